package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the schedule's zone (Asia/Shanghai) on machines without zoneinfo

	"github.com/go-co-op/gocron/v2"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
)

func runSchedule(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "schedule", "[--cron SPEC] [--shard i/n] [--now] [--sources FILE] [--warehouse DSN]",
		"Run incremental crawls on a schedule until stopped (SIGINT, SIGTERM). Runs never overlap: a run\n"+
			"still going when the next is due makes that one wait for the next slot. The default schedule\n"+
			"follows the legal calendar (reports due 31 January and 31 March): daily at 03:00 from January\n"+
			"to April, weekly on Mondays otherwise, in schedule.timezone (Asia/Shanghai).\n"+
			"A stopped crawl is resumed by the next run.")
	f.warehouseFlag()
	f.key("sources", "sources", "sources registry (YAML; default sources.yaml), read anew for every run")
	f.key("archive.dir", "archive", "directory of the WARC archive (default ./nianbao-data/archive)")
	f.key("crawler.delay", "delay", "minimum time between two requests to one host (default 1s)")
	f.key("schedule.cron", "cron", "cron expressions (minute hour day month weekday), ';'-separated (default: the legal calendar)")
	f.key("schedule.timezone", "timezone", "zone the expressions are read in (default Asia/Shanghai)")
	shard := f.String("shard", "", "crawl only the sources of shard i of n (i/n, by host hash), e.g. 0/4")
	now := f.Bool("now", false, "also crawl once right away")
	if err := f.parse(args); err != nil {
		return err
	}
	sh, err := crawler.ParseShard(*shard)
	if err != nil {
		return fmt.Errorf("%w: --shard: %w", errUsage, err)
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	defer cfg.Runtime.Apply(a.getenv)()
	crawlOnce := func(ctx context.Context) error {
		sources, err := config.LoadSources(cfg.Sources)
		if err != nil {
			return err
		}
		// The warehouse is opened for each run and closed after, so that
		// queries can use an embedded warehouse between runs.
		w, err := openMigrated(ctx, cfg.Warehouse, a.logger)
		if err != nil {
			return err
		}
		defer w.Close()
		run, err := crawlIntoWith(ctx, a.logger, cfg, w, sources, crawlOptions{shard: sh, logEvery: time.Minute})
		if run.wall > 0 {
			run.print(a.stdout)
		}
		return err
	}
	return schedule(ctx, a.logger, cfg.Schedule, *now, crawlOnce)
}

// schedule runs job on the schedule's cron expressions (and once at start
// when now is set) until ctx is done, one run at a time. A failed run is
// logged; the schedule goes on.
func schedule(ctx context.Context, logger *slog.Logger, sc config.Schedule, now bool, job func(context.Context) error) error {
	loc, err := time.LoadLocation(sc.Timezone)
	if err != nil {
		return fmt.Errorf("schedule.timezone: %w", err)
	}
	s, err := gocron.NewScheduler(
		gocron.WithLocation(loc),
		gocron.WithLogger(logger),
		// One crawl at a time across every expression: a run due while
		// another is under way is skipped until its next slot.
		gocron.WithLimitConcurrentJobs(1, gocron.LimitModeReschedule),
		gocron.WithStopTimeout(sc.StopTimeout),
	)
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	var mu sync.Mutex // belt and braces: runs never overlap, whatever gocron does
	task := func(ctx context.Context) {
		if !mu.TryLock() {
			logger.Warn("crawl skipped: the previous one is still running")
			return
		}
		defer mu.Unlock()
		start := time.Now()
		logger.Info("scheduled crawl starting")
		if err := job(ctx); err != nil {
			logger.Error("scheduled crawl failed", "err", err, "took", time.Since(start).Round(time.Second))
			return
		}
		logger.Info("scheduled crawl done", "took", time.Since(start).Round(time.Second))
	}
	specs := sc.Specs()
	for i, spec := range specs {
		withSeconds := len(strings.Fields(spec)) == 6 // tests only; config asks for five fields
		opts := []gocron.JobOption{
			gocron.WithName(fmt.Sprintf("crawl %d: %s", i, spec)),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithContext(ctx),
		}
		if now && i == 0 {
			opts = append(opts, gocron.WithStartAt(gocron.WithStartImmediately()))
		}
		if _, err := s.NewJob(gocron.CronJob(spec, withSeconds), gocron.NewTask(task), opts...); err != nil {
			s.Shutdown()
			return fmt.Errorf("schedule.cron %q: %w", spec, err)
		}
	}
	s.Start()
	for _, j := range s.Jobs() {
		if next, err := j.NextRun(); err == nil {
			logger.Info("crawl scheduled", "job", j.Name(), "next", next.In(loc).Format(time.RFC3339))
		}
	}
	<-ctx.Done()
	if err := s.Shutdown(); err != nil && !errors.Is(err, gocron.ErrStopJobsTimedOut) {
		return fmt.Errorf("scheduler: %w", err)
	}
	return nil
}
