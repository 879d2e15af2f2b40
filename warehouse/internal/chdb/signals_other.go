//go:build linux && !(amd64 || arm64)

package chdb

import "syscall"

// signalState is empty where the kernel sigaction layout is not known.
type signalState struct{}

func saveSignals() signalState { return signalState{} }

func restoreSignals(signalState) []syscall.Signal { return nil }
