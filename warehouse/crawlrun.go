package warehouse

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// CrawlRun summarises one crawl run (or one shard of it): when it ran,
// what it fetched and how it failed. The crawl_runs view holds one row per
// (RunID, Shard) and crawl_run_hosts one per (RunID, Shard, Host).
type CrawlRun struct {
	// RunID identifies the run; captures carry it (Capture.RunID).
	RunID string
	// StartedAt and FinishedAt bound the run; a zero FinishedAt means the
	// run has not finished (or did not say).
	StartedAt  time.Time
	FinishedAt time.Time
	// Shard names the part of the run this process did, when a run is
	// split across processes; empty for an unsharded run.
	Shard string

	Sources     int64 // sources crawled
	Requests    int64 // HTTP requests sent, retries included
	Bytes       int64 // payload bytes received
	Retries     int64
	Failures    int64 // fetches that failed after their retries
	Captures    int64 // exchanges archived
	Revisits    int64 // captures archived as revisits (payload unchanged)
	Reports     int64 // captures the parser read as reports
	ParseErrors int64

	// ErrorClasses and ErrorCounts are parallel: ErrorCounts[i] failures
	// of class ErrorClasses[i] (e.g. "timeout", "http_5xx").
	ErrorClasses []string
	ErrorCounts  []int64

	// Hosts break the run down per host.
	Hosts []CrawlRunHost
}

// CrawlRunHost is one host's share of a crawl run.
type CrawlRunHost struct {
	Host     string
	Requests int64
	Bytes    int64
	Failures int64
	// Tripped is set when the host's circuit breaker opened during the
	// run (the crawler stopped asking it).
	Tripped bool
}

// WriteCrawlRun records a crawl run's summary and its hosts. Writing the
// same (RunID, Shard) again replaces the earlier summary in every view,
// so a run may be written when it starts and again, with its totals, when
// it ends; hosts are replaced per (RunID, Shard, Host). It is safe to retry
// after an error.
func (w *Warehouse) WriteCrawlRun(ctx context.Context, r CrawlRun) error {
	if r.RunID == "" {
		return errors.New("write crawl run: no run ID")
	}
	if len(r.ErrorClasses) != len(r.ErrorCounts) {
		return fmt.Errorf("write crawl run %s: %d error classes, %d counts", r.RunID, len(r.ErrorClasses), len(r.ErrorCounts))
	}
	version, loadedAt := w.nextVersion()
	counts := make([]uint64, len(r.ErrorCounts))
	for i, n := range r.ErrorCounts {
		counts[i] = clampUint64(n)
	}
	classes := append([]string{}, r.ErrorClasses...)
	hosts := make([][]any, 0, len(r.Hosts))
	for _, h := range r.Hosts {
		if h.Host == "" {
			return fmt.Errorf("write crawl run %s: a host row has no host", r.RunID)
		}
		hosts = append(hosts, []any{
			r.RunID, r.Shard, h.Host, clampUint64(h.Requests), clampUint64(h.Bytes), clampUint64(h.Failures),
			boolUint8(h.Tripped), version,
		})
	}
	// Hosts first: a reader who sees the summary sees its hosts.
	if err := w.insertBatched(ctx, crawlRunHostsTable, hosts); err != nil {
		return fmt.Errorf("write crawl run %s: %w", r.RunID, err)
	}
	row := []any{
		r.RunID, r.Shard, clampDateTime(r.StartedAt), clampDateTime(r.FinishedAt),
		clampUint64(r.Sources), clampUint64(r.Requests), clampUint64(r.Bytes), clampUint64(r.Retries),
		clampUint64(r.Failures), clampUint64(r.Captures), clampUint64(r.Revisits), clampUint64(r.Reports),
		clampUint64(r.ParseErrors), classes, counts, clampDateTime(loadedAt), version,
	}
	if err := w.insertBatched(ctx, crawlRunsTable, [][]any{row}); err != nil {
		return fmt.Errorf("write crawl run %s: %w", r.RunID, err)
	}
	return nil
}
