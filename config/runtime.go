package config

import (
	"errors"
	"runtime/debug"
)

// Runtime tunes the Go garbage collector of the long-running commands
// (crawl, schedule, simulate). A crawl allocates about one page body per
// request and keeps thousands of connection goroutines whose stacks every
// collection scans, so with the runtime's default (a collection each time
// the heap doubles) a fast crawl spends a fifth of its CPU collecting. A
// higher GC percentage under a soft memory limit collects a quarter as
// often while keeping the heap bounded: the crawler's live heap is a few
// tens of MiB by design, whatever the crawl's size.
type Runtime struct {
	// GCPercent is the garbage collector's target heap growth (GOGC);
	// 0 keeps the Go default of 100. The GOGC environment variable wins.
	GCPercent int `mapstructure:"gc_percent"`
	// MemoryLimitMiB is the soft memory limit (GOMEMLIMIT) in MiB: past it
	// the collector runs as often as needed. 0 sets none. The GOMEMLIMIT
	// environment variable wins.
	MemoryLimitMiB int `mapstructure:"memory_limit_mib"`
}

// DefaultRuntime returns the runtime settings used when none are set.
func DefaultRuntime() Runtime {
	return Runtime{GCPercent: 400, MemoryLimitMiB: 192}
}

// Validate reports every problem with r.
func (r Runtime) Validate() error {
	var errs []error
	if r.GCPercent < 0 {
		errs = append(errs, errors.New("runtime.gc_percent: must not be negative"))
	}
	if r.MemoryLimitMiB < 0 {
		errs = append(errs, errors.New("runtime.memory_limit_mib: must not be negative"))
	}
	return errors.Join(errs...)
}

// Apply sets the process's garbage collector from r, except what the
// environment (looked up by getenv) already sets through GOGC and
// GOMEMLIMIT. It returns a function restoring the previous settings.
func (r Runtime) Apply(getenv func(string) string) (restore func()) {
	gc, limit := -2, int64(-1) // -2: unchanged
	if r.GCPercent > 0 && getenv("GOGC") == "" {
		gc = debug.SetGCPercent(r.GCPercent)
	}
	if r.MemoryLimitMiB > 0 && getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(int64(r.MemoryLimitMiB) << 20)
	}
	return func() {
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
