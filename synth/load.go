package synth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/nianbao/nianbao/warehouse"
)

// Store is what Load writes to; *warehouse.Warehouse implements it.
type Store interface {
	WriteSources(ctx context.Context, srcs []warehouse.Source) error
	WriteCaptures(ctx context.Context, cs []warehouse.Capture) error
	WriteReports(ctx context.Context, rs []warehouse.ReportLoad) error
	Refresh(ctx context.Context, asOf time.Time) (warehouse.RefreshResult, error)
}

// merger is a store whose background merges can be paused during a bulk
// load; *warehouse.Warehouse is one.
type merger interface {
	PauseMerges(ctx context.Context) (resume func(context.Context) error, err error)
}

// Stats is what Load wrote and how long it took.
type Stats struct {
	Agencies    int
	AgencyYears int64
	Reports     int64 // report rows (an edited report is two)
	Captures    int64
	Facts       int64
	Checks      int64
	// Build is the time spent building reports, summed over workers;
	// Write the time from the start of the load until the writers had
	// written the last batch; Refresh the time of the final Refresh;
	// Wall the whole.
	Build, Write, RefreshTime, Wall time.Duration
	Refresh                         warehouse.RefreshResult
}

// DefaultAsOf is the day Load judges compliance on when given none: 30
// September of the year after LastYear, when every deadline and grace
// period has passed.
func (g *Generator) DefaultAsOf() time.Time {
	return time.Date(g.cfg.LastYear+1, time.September, 30, 0, 0, 0, 0, time.UTC)
}

// batch is one load: the captures and reports of some agency-years.
type batch struct {
	captures []warehouse.Capture
	loads    []warehouse.ReportLoad
	years    int64
	facts    int64
	checks   int64
	build    time.Duration
}

// Load writes the synthetic warehouse to st: the departments' sources,
// then every agency-year's captures and reports, in batches of about
// Config.BatchReports reports, built by Config.Workers goroutines and
// written by Config.Writers, then Refresh as of asOf (zero: DefaultAsOf). When st
// can pause its background merges (a bulk load outruns them), it does so
// while loading, until Config.ResumeMergesAt of the batches are written.
// Loading the same configuration twice writes the same
// keys, so the warehouse's views show it once.
func (g *Generator) Load(ctx context.Context, st Store, asOf time.Time) (Stats, error) {
	start := time.Now()
	stats := Stats{Agencies: len(g.agencies)}
	if asOf.IsZero() {
		asOf = g.DefaultAsOf()
	}
	if err := st.WriteSources(ctx, g.sources); err != nil {
		return stats, fmt.Errorf("synth: register departments: %w", err)
	}
	resume := func(context.Context) error { return nil }
	if m, ok := st.(merger); ok {
		r, err := m.PauseMerges(ctx)
		if err != nil {
			return stats, fmt.Errorf("synth: %w", err)
		}
		resume = onceResume(r)
	}
	years := g.Years()
	perChunk := max(1, g.cfg.BatchReports/len(years))
	chunkCount := (len(g.agencies) + perChunk - 1) / perChunk
	resumeAfter := chunkCount // batches written before merges resume
	if f := g.cfg.ResumeMergesAt; f > 0 && f < 1 {
		resumeAfter = int(math.Ceil(f * float64(chunkCount)))
	}
	written := 0
	chunks := make(chan [2]int)
	batches := make(chan batch, g.cfg.Workers)
	eg, gctx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		defer close(chunks)
		for lo := 0; lo < len(g.agencies); lo += perChunk {
			select {
			case chunks <- [2]int{lo, min(lo+perChunk, len(g.agencies))}:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	builders, builderCtx := errgroup.WithContext(gctx)
	for range g.cfg.Workers {
		builders.Go(func() error {
			for c := range chunks {
				b := g.buildChunk(c[0], c[1], years)
				select {
				case batches <- b:
				case <-builderCtx.Done():
					return builderCtx.Err()
				}
			}
			return nil
		})
	}
	eg.Go(func() error {
		err := builders.Wait()
		close(batches)
		return err
	})
	var mu sync.Mutex // guards stats while writers run
	writeStart := time.Now()
	writers, wctx := errgroup.WithContext(gctx)
	for range g.cfg.Writers {
		writers.Go(func() error {
			for b := range batches {
				if err := st.WriteCaptures(wctx, b.captures); err != nil {
					return fmt.Errorf("synth: %w", err)
				}
				if err := st.WriteReports(wctx, b.loads); err != nil {
					return fmt.Errorf("synth: %w", err)
				}
				mu.Lock()
				stats.Build += b.build
				stats.AgencyYears += b.years
				stats.Reports += int64(len(b.loads))
				stats.Captures += int64(len(b.captures))
				stats.Facts += b.facts
				stats.Checks += b.checks
				written++
				early := written == resumeAfter && resumeAfter < chunkCount
				mu.Unlock()
				if early {
					if err := resume(wctx); err != nil {
						return fmt.Errorf("synth: %w", err)
					}
				}
			}
			return nil
		})
	}
	eg.Go(func() error {
		err := writers.Wait()
		stats.Write = time.Since(writeStart)
		return err
	})
	if err := errors.Join(eg.Wait(), resume(ctx)); err != nil {
		return stats, err
	}
	t := time.Now()
	res, err := st.Refresh(ctx, asOf)
	if err != nil {
		return stats, fmt.Errorf("synth: %w", err)
	}
	stats.Refresh, stats.RefreshTime = res, time.Since(t)
	stats.Wall = time.Since(start)
	return stats, nil
}

// onceResume returns resume, run once: later calls return the first's
// error.
func onceResume(resume func(context.Context) error) func(context.Context) error {
	var once sync.Once
	var err error
	return func(ctx context.Context) error {
		once.Do(func() { err = resume(ctx) })
		return err
	}
}

// buildChunk builds the agency-years of agencies[lo:hi].
func (g *Generator) buildChunk(lo, hi int, years []int) batch {
	start := time.Now()
	// Most agency-years have one capture and one report, some none or an
	// edit more: sized once, the slices are not copied as they grow.
	n := (hi - lo) * len(years)
	b := batch{captures: make([]warehouse.Capture, 0, n+n/8), loads: make([]warehouse.ReportLoad, 0, n+n/8)}
	for _, a := range g.agencies[lo:hi] {
		for _, y := range years {
			built := g.Build(g.Plan(a, y))
			b.years++
			b.captures = append(b.captures, built.Captures...)
			b.loads = append(b.loads, built.Loads...)
			for _, l := range built.Loads {
				b.facts += int64(len(l.Report.Facts))
				b.checks += int64(len(l.Report.Checks))
			}
		}
	}
	b.build = time.Since(start)
	return b
}
