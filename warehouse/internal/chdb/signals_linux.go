//go:build linux && (amd64 || arm64)

package chdb

import (
	"syscall"
	"unsafe"
)

// kernelSigaction is the kernel's struct sigaction on linux/amd64 and
// linux/arm64, as rt_sigaction(2) reads and writes it (the Go runtime
// installs its handlers with the same layout).
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// protectedSignals are the signals whose dispositions the Go runtime relies
// on and libchdb may change. Measured with 26.7.3: a connection made
// without chdb_set_signal_handlers_enabled(0) installs the engine's SIGTSTP
// handler; with it, nothing changes. Other releases are documented to
// reset SIGABRT, SIGSEGV, SIGILL, SIGBUS, SIGSYS, SIGFPE, SIGTSTP and
// SIGTRAP to SIG_DFL in that call and in chdb_connect, which would turn
// Go's nil-dereference panics into crashes; saving and restoring around
// every engine call that may do so keeps the runtime's handlers whatever
// the release does.
var protectedSignals = [...]syscall.Signal{
	syscall.SIGABRT, syscall.SIGSEGV, syscall.SIGILL, syscall.SIGBUS,
	syscall.SIGSYS, syscall.SIGFPE, syscall.SIGTSTP, syscall.SIGTRAP,
	syscall.SIGURG, syscall.SIGPROF, syscall.SIGPIPE,
}

// signalState is a snapshot of the protected signals' dispositions.
type signalState [len(protectedSignals)]kernelSigaction

// saveSignals snapshots the current dispositions.
func saveSignals() signalState {
	var s signalState
	for i, sig := range protectedSignals {
		// An error leaves the zero value, which restoreSignals skips.
		_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0,
			uintptr(unsafe.Pointer(&s[i])), 8, 0, 0)
	}
	return s
}

// restoreSignals puts back every disposition that changed since s was
// taken and returns the signals it restored.
func restoreSignals(s signalState) []syscall.Signal {
	var changed []syscall.Signal
	for i, sig := range protectedSignals {
		if s[i].handler == 0 {
			continue
		}
		var now kernelSigaction
		_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0,
			uintptr(unsafe.Pointer(&now)), 8, 0, 0)
		if now == s[i] {
			continue
		}
		_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig),
			uintptr(unsafe.Pointer(&s[i])), 0, 8, 0, 0)
		if errno == 0 {
			changed = append(changed, sig)
		}
	}
	return changed
}
