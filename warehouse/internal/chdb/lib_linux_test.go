//go:build linux

package chdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

// library finds libchdb.so for tests, or skips (fails when
// NIANBAO_TEST_REQUIRE=1).
func library(t *testing.T) *Library {
	t.Helper()
	path := os.Getenv("CHDB_LIB_PATH")
	if _, err := os.Stat(path); path != "" && err != nil {
		path = ""
	}
	if path == "" {
		dir, _ := os.Getwd()
		for ; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, DepsPath)); err == nil {
				path = filepath.Join(dir, DepsPath)
				break
			}
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("NIANBAO_TEST_REQUIRE") == "1" {
			t.Fatal("libchdb.so not found (set CHDB_LIB_PATH) and NIANBAO_TEST_REQUIRE=1 forbids skipping")
		}
		t.Skip("libchdb.so not found: set CHDB_LIB_PATH or run `make setup`")
	}
	lib, err := Load(Search{Explicit: path})
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestConnectLeavesSignalsAlone: with the engine's handlers disabled, a
// connection changes no signal disposition. (Without the switch the
// engine takes SIGTSTP; a library that took SIGSEGV or SIGURG would break
// Go's nil checks and preemption.)
func TestConnectLeavesSignalsAlone(t *testing.T) {
	before := saveSignals()
	lib := library(t)
	c, err := lib.Connect([]string{"clickhouse", "--path=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.Query("SELECT 1", "CSV"); err != nil {
		t.Fatal(err)
	}
	after := saveSignals()
	for i, sig := range protectedSignals {
		if after[i] != before[i] {
			t.Errorf("%v disposition changed: %+v → %+v", sig, before[i], after[i])
		}
	}
}

func TestConn(t *testing.T) {
	lib := library(t)
	c, err := lib.Connect([]string{"clickhouse", "--path=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Connect([]string{"clickhouse", "--path=" + t.TempDir()}); !errors.Is(err, ErrBusy) {
		t.Errorf("second Connect error = %v, want ErrBusy", err)
	}
	out, st, err := c.Query("SELECT number FROM numbers(3)", "CSV")
	if err != nil || string(out) != "0\n1\n2\n" || st.RowsRead != 3 {
		t.Errorf("Query = %q, %+v, %v", out, st, err)
	}
	// Binary data after FORMAT travels intact: the query is passed by length.
	if _, _, err := c.Query("CREATE TABLE b (s String) ENGINE = Memory", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Query("INSERT INTO b FORMAT RowBinary\n\x03a\x00b", ""); err != nil {
		t.Fatal(err)
	}
	if out, _, err := c.Query("SELECT hex(s) FROM b", "TSV"); err != nil || string(out) != "610062\n" {
		t.Errorf("stored %q, %v; want hex 610062", out, err)
	}
	// Insert, streaming and (as with a library without the streaming
	// calls) through the query text.
	if _, err := c.Insert("INSERT INTO b (s)", "RowBinary", []byte("\x01x\x02yz")); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	noStream := *lib
	noStream.insertStart = nil
	c.lib = &noStream
	if _, err := c.Insert("INSERT INTO b (s)", "RowBinary", []byte("\x01w")); err != nil {
		t.Fatalf("Insert without streaming: %v", err)
	}
	c.lib = lib
	if out, _, err := c.Query("SELECT groupArray(s) FROM (SELECT s FROM b ORDER BY s)", "TSV"); err != nil ||
		string(out) != "['a\\0b','w','x','yz']\n" {
		t.Errorf("table holds %q, %v", out, err)
	}
	if _, err := c.Insert("INSERT INTO b (s)", "RowBinary", []byte("\x05ab")); err == nil {
		t.Error("Insert of truncated RowBinary succeeded")
	}
	if _, err := c.Insert("INSERT INTO nope (s)", "RowBinary", []byte("\x01x")); err == nil {
		t.Error("Insert into a missing table succeeded")
	}
	_, _, err = c.Query("SELECT * FROM no_such_table", "CSV")
	var ce *Error
	if !errors.As(err, &ce) || ce.Code != 60 {
		t.Errorf("unknown table error = %#v, want code 60", err)
	}
	for sql, want := range map[string]Analysis{
		"SELECT 1":                   {ReadOnly, 1},
		"SELECT 1; SELECT 2":         {ReadOnly, 2},
		"INSERT INTO b VALUES ('x')": {Mutating, 1},
		"SELECT 1 INTO OUTFILE 'x'":  {Control, 1},
	} {
		got, err := c.Classify(sql)
		if errors.Is(err, ErrUnsupported) {
			t.Skip("this libchdb has no chdb_classify_query_n")
		}
		if err != nil || got != want {
			t.Errorf("Classify(%q) = %+v, %v; want %+v", sql, got, err, want)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Query("SELECT 1", ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Query after Close error = %v, want ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	c2, err := lib.Connect([]string{"clickhouse", "--path=" + t.TempDir()})
	if err != nil {
		t.Fatalf("Connect after Close: %v", err)
	}
	c2.Close()
}

func TestQueryContext(t *testing.T) {
	lib := library(t)
	c, err := lib.Connect([]string{"clickhouse", "--path=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	chunks, err := c.QueryContext(context.Background(), "SELECT number FROM numbers(200000)", "TSVWithNames")
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 2 {
		t.Errorf("200000 rows came in %d chunk(s); want several", len(chunks))
	}
	rows := 0
	for i, ch := range chunks {
		if !strings.HasPrefix(string(ch), "number\n") {
			t.Errorf("chunk %d does not start with the header: %q", i, ch[:min(20, len(ch))])
		}
		rows += strings.Count(string(ch), "\n") - 1
	}
	if rows != 200000 {
		t.Errorf("streamed %d rows, want 200000", rows)
	}
	// Statements the engine cannot stream come back whole.
	chunks, err = c.QueryContext(context.Background(), "SHOW DATABASES", "TSV")
	if err != nil || len(chunks) != 1 || !strings.Contains(string(chunks[0]), "system\n") {
		t.Errorf("SHOW DATABASES = %q, %v", chunks, err)
	}
	chunks, err = c.QueryContext(context.Background(), "SELECT 1 WHERE 0", "TSVWithNames")
	t.Logf("empty result: %q, %v", chunks, err)
	if _, err := c.QueryContext(context.Background(), "SELECT * FROM no_such_table", "TSV"); err == nil {
		t.Error("QueryContext of a missing table succeeded")
	}

	// An endless statement stops when the context ends.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.QueryContext(ctx, "SELECT number FROM system.numbers", "TSV")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("endless query error = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	// The connection is usable afterwards.
	if out, _, err := c.Query("SELECT 42", "TSV"); err != nil || string(out) != "42\n" {
		t.Errorf("Query after a cancelled stream = %q, %v", out, err)
	}
}

func TestCheckLockHeldByThisProcess(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "status")
	if err := os.WriteFile(name, []byte("PID: "+strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if err := CheckLock(dir); !errors.Is(err, ErrBusy) || errors.Is(err, ErrLocked) {
		t.Fatalf("CheckLock(held here) = %v, want ErrBusy", err)
	}
}
