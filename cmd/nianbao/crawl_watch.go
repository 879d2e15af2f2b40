package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/ingest"
)

// watch shows a crawl's progress until stop is called: a bar redrawn in
// place on opts.bar (a terminal), else a log line every opts.logEvery.
func watch(ctx context.Context, logger *slog.Logger, c *crawler.Crawler, p *ingest.Pipeline, opts crawlOptions) (stop func()) {
	every := opts.logEvery
	if opts.bar != nil {
		every = 250 * time.Millisecond
	}
	if every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { // ends when stop cancels ctx
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				if opts.bar != nil {
					fmt.Fprintln(opts.bar, progressLine(c.Progress(), p.Stats(), 100))
				}
				return
			case <-t.C:
				pr, st := c.Progress(), p.Stats()
				if opts.bar != nil {
					fmt.Fprint(opts.bar, "\r"+progressLine(pr, st, 100)+"\x1b[K")
					continue
				}
				logger.Info("crawl progress", "pages", pr.Pages, "requests", pr.Requests, "mb", fmt.Sprintf("%.1f", float64(pr.Bytes)/1e6),
					"queued", pr.Queued, "in_flight", pr.InFlight, "errors", pr.Errors, "retries", pr.Retries,
					"captures", st.Captures, "reports", st.Reports, "parse_errors", st.ParseErrors,
					"elapsed", pr.Elapsed.Round(time.Second), "eta", pr.ETA.Round(time.Second))
			}
		}
	}()
	return func() { cancel(); <-done }
}

// progressLine renders one line: a bar of finished against known URLs,
// then the counts.
func progressLine(pr crawler.Progress, st ingest.Stats, width int) string {
	const barWidth = 24
	total := pr.Pages + pr.Queued + pr.InFlight
	filled := 0
	if total > 0 {
		filled = int(float64(barWidth) * float64(pr.Pages) / float64(total))
	}
	bar := strings.Repeat("█", filled) + strings.Repeat("░", barWidth-filled)
	eta := "--"
	if pr.ETA > 0 {
		eta = pr.ETA.Round(time.Second).String()
	}
	line := fmt.Sprintf("%s %d/%d pages  %.1f MB  queue %d  errors %d  reports %d  %s  ETA %s",
		bar, pr.Pages, total, float64(pr.Bytes)/1e6, pr.Queued, pr.Errors, st.Reports, pr.Elapsed.Round(time.Second), eta)
	if r := []rune(line); len(r) > width {
		line = string(r[:width])
	}
	return line
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
