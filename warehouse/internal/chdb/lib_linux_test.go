//go:build linux

package chdb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestLoadMissing(t *testing.T) {
	if process.lib != nil {
		t.Skip("the library is already loaded in this process")
	}
	missing := filepath.Join(t.TempDir(), "libchdb.so")
	_, err := Load(Search{Explicit: missing})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load error = %v, want ErrNotFound", err)
	}
	var nf *NotFoundError
	if !errors.As(err, &nf) || len(nf.Tried) != 1 || nf.Tried[0].Path != missing {
		t.Fatalf("Load error = %#v, want one attempt at %s", err, missing)
	}
	if !strings.Contains(err.Error(), missing+" (no such file or directory)") {
		t.Errorf("Load error = %q", err)
	}

	// A file that is not a shared library fails at dlopen, with its reason.
	bogus := filepath.Join(t.TempDir(), "libchdb.so")
	if err := os.WriteFile(bogus, []byte("not an ELF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(Search{Explicit: bogus})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), bogus) {
		t.Fatalf("Load of a non-library = %v", err)
	}
}

func TestNewError(t *testing.T) {
	tests := []struct {
		msg  string
		code int
	}{
		{"Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)", 60},
		{"Error: Code: 164. DB::Exception: readonly", 164},
		{"Invalid or closed connection", 0},
		{"Code: x", 0},
	}
	for _, tt := range tests {
		e := newError(tt.msg + "\n")
		if e.Code != tt.code || e.Message != tt.msg {
			t.Errorf("newError(%q) = %+v, want code %d", tt.msg, e, tt.code)
		}
	}
}

func TestCheckLockUnlockedAndMissing(t *testing.T) {
	dir := t.TempDir()
	if err := CheckLock(dir); err != nil {
		t.Errorf("CheckLock(empty dir) = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "status"), []byte("PID: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckLock(dir); err != nil {
		t.Errorf("CheckLock(unlocked status file) = %v", err)
	}
}

func TestCheckLockHeld(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "status")
	if err := os.WriteFile(name, []byte("PID: 4242\nStarted at: now\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// flock locks belong to open file descriptions, so this one conflicts
	// with CheckLock's even within one process.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	err = CheckLock(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "PID: 4242") {
		t.Fatalf("CheckLock(held) = %v, want ErrLocked naming %s and the PID", err, dir)
	}
}
