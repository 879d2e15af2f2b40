package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

func runCrawl(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "crawl", "[--sources FILE] [--warehouse DSN]",
		"Crawl the registered sources: archive every capture in WARC, parse the reports, load the warehouse.")
	f.warehouseFlag()
	f.key("sources", "sources", "sources registry (YAML; default sources.yaml)")
	f.key("archive.dir", "archive", "directory of the WARC archive (default ./nianbao-data/archive)")
	f.key("crawler.delay", "delay", "minimum time between two requests to one host (default 1s)")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	sources, err := config.LoadSources(cfg.Sources)
	if err != nil {
		return err
	}
	w, err := openMigrated(ctx, cfg.Warehouse, a.logger)
	if err != nil {
		return err
	}
	defer w.Close()
	run, err := crawlInto(ctx, a.logger, cfg, w, sources)
	if err != nil {
		return err
	}
	run.print(a.stdout)
	return nil
}

// openMigrated opens the warehouse and brings its schema up to date.
func openMigrated(ctx context.Context, cfg warehouse.Config, logger *slog.Logger) (*warehouse.Warehouse, error) {
	w, err := warehouse.Open(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	if err := w.Migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// crawlRun is what one crawl did.
type crawlRun struct {
	crawl  crawler.Summary
	ingest ingest.Stats
	wall   time.Duration
}

// crawlInto crawls sources into the archive and the warehouse.
func crawlInto(ctx context.Context, logger *slog.Logger, cfg config.Config, w *warehouse.Warehouse, sources []crawler.Source) (run crawlRun, err error) {
	start := time.Now()
	p, err := parser.New(cfg.Parser)
	if err != nil {
		return run, err
	}
	aw, err := archive.NewWriter(cfg.Archive, logger)
	if err != nil {
		return run, err
	}
	defer func() {
		if cerr := aw.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close archive: %w", cerr)
		}
	}()
	pipe, err := ingest.New(cfg.Ingest, aw, w, p.Parse, logger)
	if err != nil {
		return run, err
	}
	c, err := crawler.New(cfg.Crawler, pipe, logger)
	if err != nil {
		return run, errors.Join(err, pipe.Close(ctx))
	}
	logger.Info("crawl started", "sources", len(sources), "warehouse", cfg.Warehouse.Redacted(), "archive", cfg.Archive.Dir)
	stop := progress(ctx, logger, pipe, 10*time.Second)
	run.crawl, err = c.Run(ctx, sources, crawler.RunOptions{})
	stop()
	// Parse and load what was fetched even when the crawl was interrupted:
	// nothing archived is lost.
	ferr := pipe.Close(context.WithoutCancel(ctx))
	run.ingest = pipe.Stats()
	run.wall = time.Since(start)
	return run, errors.Join(err, ferr)
}

// progress logs the pipeline's counts every interval until stop is called.
func progress(ctx context.Context, logger *slog.Logger, p *ingest.Pipeline, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s := p.Stats()
				logger.Info("crawl progress", "captures", s.Captures, "reports", s.Reports, "parse_errors", s.ParseErrors)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func (r crawlRun) print(w io.Writer) {
	s, c := r.ingest, r.crawl
	secs := r.wall.Seconds()
	fmt.Fprintf(w, "crawl: %d requests (%d retries, %d failed), %.1f MB in %s: %.1f pages/s\n",
		c.Requests, c.Retries, c.Failures, float64(c.Bytes)/1e6, r.wall.Round(time.Millisecond), float64(c.Requests)/secs)
	fmt.Fprintf(w, "parse: %d documents, %d reports, %d other pages, %d errors, %d failed checks; parser busy %s (%.0f documents per worker-second)\n",
		s.Documents, s.Reports, s.NotReports, s.ParseErrors, s.ChecksFailed, s.ParseTime.Round(time.Millisecond), rate(s.Documents, s.ParseTime))
	rows := s.Captures + s.Reports + s.FactRows
	fmt.Fprintf(w, "load: %d captures, %d reports, %d facts in %s (%.0f rows/s)\n",
		s.Captures, s.Reports, s.FactRows, s.LoadTime.Round(time.Millisecond), rate(rows, s.LoadTime))
	if len(c.Errors) > 0 {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "errors by class:")
		classes := make([]string, 0, len(c.Errors))
		for k := range c.Errors {
			classes = append(classes, k)
		}
		sort.Strings(classes)
		for _, k := range classes {
			fmt.Fprintf(tw, "  %s\t%d\n", k, c.Errors[k])
		}
		tw.Flush()
	}
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
