//go:build !unix

package parser

// processCPU reports false: process CPU time is read on Unix only.
func processCPU() (int64, bool) { return 0, false }
