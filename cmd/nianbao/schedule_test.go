package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/nianbao/nianbao/config"
)

// The default schedule follows the legal calendar: daily from January to
// April, when reports fall due, weekly (Mondays) otherwise.
func TestLegalCalendar(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var scheds []cron.Schedule
	for _, spec := range config.DefaultSchedule().Specs() {
		s, err := cron.ParseStandard(spec)
		if err != nil {
			t.Fatalf("%q: %v", spec, err)
		}
		scheds = append(scheds, s)
	}
	next := func(from time.Time) time.Time {
		var best time.Time
		for _, s := range scheds {
			if n := s.Next(from); best.IsZero() || n.Before(best) {
				best = n
			}
		}
		return best
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct{ from, want string }{
		{"2026-01-10 12:00", "2026-01-11 03:00"}, // daily in January
		{"2026-03-31 02:59", "2026-03-31 03:00"}, // the governments' deadline
		{"2026-04-29 04:00", "2026-04-30 03:00"}, // still daily in April
		{"2026-04-30 04:00", "2026-05-04 03:00"}, // then the first Monday of May
		{"2026-06-10 12:00", "2026-06-15 03:00"}, // a Wednesday in June: the next Monday
		{"2026-12-31 04:00", "2027-01-01 03:00"}, // daily again from 1 January
	}
	for _, tt := range tests {
		if got := next(at(tt.from)); !got.Equal(at(tt.want)) {
			t.Errorf("after %s the next crawl is %s, want %s", tt.from, got.In(loc).Format("2006-01-02 15:04 Mon"), tt.want)
		}
	}
}

// Runs never overlap: a run still going when the next is due makes that
// one wait for a later slot.
func TestScheduleNeverOverlaps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	type span struct{ start, end time.Time }
	var runs []span
	running := 0
	job := func(ctx context.Context) error {
		mu.Lock()
		running++
		overlap := running > 1
		mu.Unlock()
		if overlap {
			t.Error("two crawls ran at once")
		}
		s := span{start: time.Now()}
		select {
		case <-time.After(1500 * time.Millisecond):
		case <-ctx.Done():
		}
		s.end = time.Now()
		mu.Lock()
		running--
		runs = append(runs, s)
		mu.Unlock()
		return nil
	}
	sc := config.DefaultSchedule()
	sc.Cron = "* * * * * *; */2 * * * * *" // every second, twice over (seconds field: tests only)
	done := make(chan error, 1)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	go func() { done <- schedule(ctx, logger, sc, true, job) }()
	time.Sleep(4200 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) < 2 {
		t.Fatalf("%d runs in 4.2s, want at least 2", len(runs))
	}
	for i := 1; i < len(runs); i++ {
		if runs[i].start.Before(runs[i-1].end) {
			t.Errorf("run %d started at %s, before run %d ended at %s", i, runs[i].start, i-1, runs[i-1].end)
		}
	}
}

// `nianbao schedule --now` crawls right away into the warehouse, records
// the run, and stops cleanly when its context ends.
func TestScheduleCommand(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	sim := variedSim(t, ctx, logger, 0, nil)
	tmp := t.TempDir()
	sourcesFile := filepath.Join(tmp, "sources.yaml")
	f, err := os.Create(sourcesFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := config.WriteSources(f, sourcesOf(sim.Portals())); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := &syncBuffer{}
	errb := &syncBuffer{}
	env := append(os.Environ(), "NIANBAO_CRAWLER_DELAY=2ms", "NIANBAO_CRAWLER_REQUEST_TIMEOUT=5s")
	a := newApp(out, errb, env)
	dsn := "chdb://" + filepath.Join(tmp, "warehouse")
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, []string{"schedule", "--now", "--cron", "0 3 1 1 *", "--sources", sourcesFile,
			"--warehouse", dsn, "--archive", filepath.Join(tmp, "archive")}, a)
	}()
	for !strings.Contains(out.String(), " finished") {
		select {
		case err := <-done:
			t.Fatalf("schedule ended early: %v\n%s", err, errb.String())
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			t.Fatalf("no crawl finished:\n%s", errb.String())
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("schedule: %v", err)
	}
	if !strings.Contains(errb.String(), "crawl scheduled") {
		t.Errorf("the next run was not logged:\n%s", errb.String())
	}
	wcfg := config.Default().Warehouse
	wcfg.DSN = dsn
	w, err := openMigrated(ctx, wcfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	res, err := w.Query(ctx, "SELECT count(), countIf(finished_at > toDateTime(0)) FROM crawl_runs")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows[0]); got != "[1 1]" {
		t.Errorf("crawl_runs count, finished: %s, want one finished run", got)
	}
}
