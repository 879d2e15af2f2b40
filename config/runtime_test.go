package config

import (
	"runtime/debug"
	"testing"
)

func TestRuntimeApply(t *testing.T) {
	noEnv := func(string) string { return "" }
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	beforeLimit := debug.SetMemoryLimit(-1)

	tests := []struct {
		name      string
		r         Runtime
		env       map[string]string
		wantGC    int
		wantLimit int64
	}{
		{"defaults", DefaultRuntime(), nil, 400, 192 << 20},
		{"zero leaves both", Runtime{}, nil, 100, beforeLimit},
		{"GOGC wins", DefaultRuntime(), map[string]string{"GOGC": "50"}, 100, 192 << 20},
		{"GOMEMLIMIT wins", DefaultRuntime(), map[string]string{"GOMEMLIMIT": "1GiB"}, 400, beforeLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := noEnv
			if tt.env != nil {
				getenv = func(k string) string { return tt.env[k] }
			}
			restore := tt.r.Apply(getenv)
			gc := debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			limit := debug.SetMemoryLimit(-1)
			restore()
			if gc != tt.wantGC || limit != tt.wantLimit {
				t.Errorf("applied GC %d, limit %d; want %d, %d", gc, limit, tt.wantGC, tt.wantLimit)
			}
			gc = debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			if gc != 100 || debug.SetMemoryLimit(-1) != beforeLimit {
				t.Errorf("after restore: GC %d, limit %d; want 100, %d", gc, debug.SetMemoryLimit(-1), beforeLimit)
			}
		})
	}
}

func TestRuntimeValidate(t *testing.T) {
	if err := DefaultRuntime().Validate(); err != nil {
		t.Errorf("default: %v", err)
	}
	if err := (Runtime{GCPercent: -1, MemoryLimitMiB: -5}).Validate(); err == nil {
		t.Error("negative settings validated")
	}
}
