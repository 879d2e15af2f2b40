//go:build linux

package chdb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// ErrLocked is matched (errors.Is) by the error CheckLock returns when
// another process holds the data directory.
var ErrLocked = errors.New("data directory in use by another process")

// CheckLock reports whether dir's lock is held, the way the engine takes
// it: an exclusive flock on dir/status. The error wraps ErrLocked when
// another process holds it and ErrBusy when this one does. The probe takes
// the lock and releases it at once. A directory that does not exist yet is
// not locked.
func CheckLock(dir string) error {
	name := filepath.Join(dir, "status")
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check lock: %w", err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		holder := ""
		if b, rerr := os.ReadFile(name); rerr == nil {
			// The status file starts "PID: 1234".
			line, _, _ := bytes.Cut(b, []byte("\n"))
			line = bytes.TrimSpace(line)
			if pid, ok := bytes.CutPrefix(line, []byte("PID: ")); ok && string(pid) == strconv.Itoa(os.Getpid()) {
				return fmt.Errorf("%w: %s is already open in this process", ErrBusy, dir)
			}
			if len(line) > 0 {
				holder = " (" + string(line) + ")"
			}
		}
		return fmt.Errorf("%w: %s%s", ErrLocked, dir, holder)
	}
	if err != nil {
		return fmt.Errorf("check lock %s: %w", name, err)
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
