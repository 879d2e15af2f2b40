package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
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
	f := newFlags(a, "crawl", "[--sources FILE] [--warehouse DSN] [--shard i/n] [--full]",
		"Crawl the registered sources: archive every capture in WARC, parse the reports, load the warehouse.\n\n"+
			"A crawl is incremental: URLs earlier runs fetched are requested conditionally, and unchanged\n"+
			"payloads are archived as revisit records and not parsed again (--full fetches everything anew).\n"+
			"The frontier is journaled in the archive directory: a crawl that was killed resumes where it\n"+
			"stopped when run again.")
	f.warehouseFlag()
	f.key("sources", "sources", "sources registry (YAML; default sources.yaml)")
	f.key("archive.dir", "archive", "directory of the WARC archive (default ./nianbao-data/archive)")
	f.key("crawler.delay", "delay", "minimum time between two requests to one host (default 1s)")
	f.key("crawler.concurrency", "concurrency", "requests in flight across all hosts (default 64)")
	shard := f.String("shard", "", "crawl only the sources of shard i of n (i/n, by host hash), e.g. 0/4")
	full := f.Bool("full", false, "ignore what earlier runs stored: no conditional requests, no revisits")
	progressMode := f.String("progress", "auto", "progress display: auto (a bar on a terminal, else log lines), bar, log, off")
	if err := f.parse(args); err != nil {
		return err
	}
	sh, err := crawler.ParseShard(*shard)
	if err != nil {
		return fmt.Errorf("%w: --shard: %w", errUsage, err)
	}
	opts := crawlOptions{shard: sh, full: *full, logEvery: 10 * time.Second}
	switch *progressMode {
	case "auto":
		if isTerminal(a.stderr) {
			opts.bar = a.stderr
		}
	case "bar":
		opts.bar = a.stderr
	case "log":
	case "off":
		opts.logEvery = 0
	default:
		return fmt.Errorf("%w: --progress %q: want auto, bar, log or off", errUsage, *progressMode)
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	defer cfg.Runtime.Apply(a.getenv)()
	sources, err := config.LoadSources(cfg.Sources)
	if err != nil {
		return err
	}
	w, err := openMigrated(ctx, cfg.Warehouse, a.logger)
	if err != nil {
		return err
	}
	defer w.Close()
	run, err := crawlIntoWith(ctx, a.logger, cfg, w, sources, opts)
	if run.wall > 0 {
		run.print(a.stdout)
	}
	return err
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
	id        string
	shard     crawler.Shard
	sources   int
	resumed   bool
	recovered int // archived captures of an interrupted run loaded again
	crawl     crawler.Summary
	ingest    ingest.Stats
	revisits  int64
	started   time.Time
	finished  bool
	wall      time.Duration
}

// crawlOptions are the crawl command's choices beyond the configuration.
type crawlOptions struct {
	shard crawler.Shard
	// full ignores what earlier runs stored (no conditional requests, no
	// revisits).
	full bool
	// bar, when set, gets a progress bar (a terminal); otherwise progress
	// is logged every logEvery (0: never).
	bar      io.Writer
	logEvery time.Duration
}

// crawlInto crawls sources into the archive and the warehouse with the
// default options: incremental, resumable, progress logged every 10s.
func crawlInto(ctx context.Context, logger *slog.Logger, cfg config.Config, w *warehouse.Warehouse, sources []crawler.Source) (crawlRun, error) {
	return crawlIntoWith(ctx, logger, cfg, w, sources, crawlOptions{logEvery: 10 * time.Second})
}

// journalPath is where a shard's frontier journal lives.
func journalPath(archiveDir string, sh crawler.Shard) string {
	if sh.Count > 1 {
		return filepath.Join(archiveDir, fmt.Sprintf("frontier-%dof%d.journal", sh.Index, sh.Count))
	}
	return filepath.Join(archiveDir, "frontier.journal")
}

// newRunID returns a run ID that sorts by start time.
func newRunID(t time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// crawlIntoWith crawls the shard's sources into the archive and the
// warehouse. When the archive directory holds the journal of an
// interrupted crawl, that crawl is resumed: what it archived but did not
// load is loaded first, and the URLs it finished are not fetched again.
func crawlIntoWith(ctx context.Context, logger *slog.Logger, cfg config.Config, w *warehouse.Warehouse, sources []crawler.Source, opts crawlOptions) (run crawlRun, err error) {
	start := time.Now()
	run.started, run.shard = start, opts.shard
	// The sources crawled are registered (again: it is idempotent), so the
	// agencies they stand for are the ones reports are expected from.
	if err := w.WriteSources(ctx, registrySources(sources)); err != nil {
		if !errors.Is(err, warehouse.ErrInvalidSources) {
			return run, err
		}
		logger.Warn("sources not registered: no report is expected from them until fixed (nianbao sources validate)",
			"err", err)
	}
	sources = opts.shard.Select(sources)
	run.sources = len(sources)
	p, err := parser.New(cfg.Parser)
	if err != nil {
		return run, err
	}
	// The journal is opened before the archive writer, so every WARC file
	// of this run is named after the journal's start.
	j, err := crawler.OpenJournal(journalPath(cfg.Archive.Dir, opts.shard), newRunID(start), cfg.Crawler.JournalSync)
	if err != nil {
		return run, err
	}
	run.id, run.resumed = j.RunID(), j.Resumed()
	completed := false
	defer func() {
		if !completed {
			if cerr := j.Close(); cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
	}()
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
	closePipe := func() error { return pipe.Close(context.WithoutCancel(ctx)) }
	if run.resumed {
		run.recovered, err = recoverRun(ctx, w, pipe, cfg.Archive.Dir, j.RunID(), j.Started(), sources)
		if err != nil {
			return run, errors.Join(err, closePipe())
		}
	}
	var known []crawler.Known
	if !opts.full {
		var prev []ingest.Previous
		known, prev, err = previousCaptures(ctx, w)
		if err != nil {
			return run, errors.Join(err, closePipe())
		}
		pipe.UsePrevious(cfg.Archive.Dir, prev)
	}
	c, err := crawler.New(cfg.Crawler, pipe, logger)
	if err != nil {
		return run, errors.Join(err, closePipe())
	}
	logger.Info("crawl started", "run", run.id, "resumed", run.resumed, "recovered", run.recovered, "sources", len(sources),
		"known_urls", len(known), "shard", opts.shard.String(), "warehouse", cfg.Warehouse.Redacted(), "archive", cfg.Archive.Dir)
	if werr := w.WriteCrawlRun(ctx, run.row()); werr != nil {
		logger.Warn("crawl run not recorded", "run", run.id, "err", werr)
	}
	stop := watch(ctx, logger, c, pipe, opts)
	run.crawl, err = c.Run(ctx, sources, crawler.RunOptions{Journal: j, Known: known})
	stop()
	// Parse and load what was fetched even when the crawl was interrupted:
	// nothing archived is lost.
	ferr := closePipe()
	run.ingest = pipe.Stats()
	run.revisits = pipe.Revisits()
	run.wall = time.Since(start)
	err = errors.Join(err, ferr)
	if err == nil {
		// Everything is archived and loaded: the next crawl starts afresh.
		completed = true
		run.finished = true
		if cerr := j.Complete(); cerr != nil {
			err = cerr
		}
	}
	if werr := w.WriteCrawlRun(context.WithoutCancel(ctx), run.row()); werr != nil {
		err = errors.Join(err, fmt.Errorf("record crawl run: %w", werr))
	}
	return run, err
}

// row returns the crawl-run row for the warehouse.
func (r crawlRun) row() warehouse.CrawlRun {
	c := r.crawl
	row := warehouse.CrawlRun{
		RunID: r.id, StartedAt: r.started, Shard: r.shard.String(), Sources: int64(r.sources),
		Requests: c.Requests, Bytes: c.Bytes, Retries: c.Retries, Failures: c.Failures,
		Captures: r.ingest.Captures, Revisits: r.revisits, Reports: r.ingest.Reports, ParseErrors: r.ingest.ParseErrors,
	}
	if r.finished {
		row.FinishedAt = r.started.Add(r.wall)
	}
	classes := make([]string, 0, len(c.Errors))
	for k := range c.Errors {
		classes = append(classes, k)
	}
	sort.Strings(classes)
	for _, k := range classes {
		row.ErrorClasses = append(row.ErrorClasses, k)
		row.ErrorCounts = append(row.ErrorCounts, c.Errors[k])
	}
	for _, h := range c.Hosts {
		row.Hosts = append(row.Hosts, warehouse.CrawlRunHost{Host: h.Host, Requests: h.Requests, Bytes: h.Bytes, Failures: h.Failures, Tripped: h.Trips > 0})
	}
	return row
}

// previousCaptures returns every URL earlier runs fetched in full, with
// its validators (for conditional requests) and the location of its last
// response record (for revisit records).
func previousCaptures(ctx context.Context, w *warehouse.Warehouse) ([]crawler.Known, []ingest.Previous, error) {
	res, err := w.Query(ctx, `SELECT url,
    argMax(payload_digest, fetched_at), argMax(warc_file, fetched_at), argMax(warc_offset, fetched_at),
    argMax(etag, fetched_at), argMax(last_modified, fetched_at), min(depth)
FROM captures
WHERE status = 200 AND record_type = 'response' AND kind != 'robots'
GROUP BY url`)
	if err != nil {
		return nil, nil, fmt.Errorf("previous captures: %w", err)
	}
	known := make([]crawler.Known, 0, len(res.Rows))
	prev := make([]ingest.Previous, 0, len(res.Rows))
	for _, row := range res.Rows {
		str := func(i int) string { return fmt.Sprint(row[i]) }
		num := func(i int) int64 {
			var n int64
			fmt.Sscan(fmt.Sprint(row[i]), &n)
			return n
		}
		u := str(0)
		known = append(known, crawler.Known{URL: u, ETag: str(4), LastModified: str(5), Depth: int(num(6))})
		prev = append(prev, ingest.Previous{URL: u, PayloadDigest: str(1), WARCFile: str(2), WARCOffset: num(3), ETag: str(4), LastModified: str(5)})
	}
	return known, prev, nil
}

func (r crawlRun) print(w io.Writer) {
	s, c := r.ingest, r.crawl
	secs := r.wall.Seconds()
	state := "finished"
	if !r.finished {
		state = "interrupted (run again to resume)"
	}
	fmt.Fprintf(w, "run %s %s", r.id, state)
	if sh := r.shard.String(); sh != "" {
		fmt.Fprintf(w, ", shard %s", sh)
	}
	if r.resumed {
		fmt.Fprintf(w, ", resumed (%d archived captures loaded again)", r.recovered)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "crawl: %d sources, %d pages, %d requests (%d retries, %d failed, %d not modified), %.1f MB in %s: %.1f requests/s\n",
		r.sources, c.Pages, c.Requests, c.Retries, c.Failures, c.NotModified, float64(c.Bytes)/1e6, r.wall.Round(time.Millisecond), float64(c.Requests)/secs)
	if c.RobotsBlocked > 0 || c.Dropped > 0 || c.Pending > 0 {
		fmt.Fprintf(w, "skipped: %d by robots.txt, %d on hosts given up, %d still queued\n", c.RobotsBlocked, c.Dropped, c.Pending)
	}
	fmt.Fprintf(w, "archive: %d captures, %d of them revisits (unchanged, not parsed again)\n", s.Captures, r.revisits)
	fmt.Fprintf(w, "parse: %d documents, %d reports, %d other pages, %d errors, %d failed checks; parser busy %s (%.0f documents per worker-second)\n",
		s.Documents, s.Reports, s.NotReports, s.ParseErrors, s.ChecksFailed, s.ParseTime.Round(time.Millisecond), rate(s.Documents, s.ParseTime))
	rows := s.Captures + s.Reports + s.FactRows
	fmt.Fprintf(w, "load: %d captures, %d reports, %d facts in %s (%.0f rows/s)\n",
		s.Captures, s.Reports, s.FactRows, s.LoadTime.Round(time.Millisecond), rate(rows, s.LoadTime))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if len(c.Errors) > 0 {
		fmt.Fprintln(tw, "errors by class:")
		classes := make([]string, 0, len(c.Errors))
		for k := range c.Errors {
			classes = append(classes, k)
		}
		sort.Strings(classes)
		for _, k := range classes {
			fmt.Fprintf(tw, "  %s\t%d\n", k, c.Errors[k])
		}
	}
	printHosts(tw, c.Hosts)
	tw.Flush()
}

// printHosts lists hosts: all of them when few, else those that failed or
// were given up, worst first.
func printHosts(w io.Writer, hosts []crawler.HostStats) {
	const limit = 20
	shown := hosts
	title := "hosts:"
	if len(hosts) > limit {
		shown = nil
		for _, h := range hosts {
			if h.Failures > 0 || h.Trips > 0 {
				shown = append(shown, h)
			}
		}
		sort.SliceStable(shown, func(i, j int) bool { return shown[i].Failures > shown[j].Failures })
		title = fmt.Sprintf("hosts with failures (%d of %d hosts):", len(shown), len(hosts))
		if len(shown) > limit {
			shown = shown[:limit]
		}
	}
	if len(shown) == 0 {
		return
	}
	fmt.Fprintln(w, title)
	fmt.Fprintln(w, "  host\trequests\tMB\tfailed\tbreaker\tdropped\tstatuses")
	for _, h := range shown {
		codes := make([]int, 0, len(h.Statuses))
		for k := range h.Statuses {
			codes = append(codes, k)
		}
		sort.Ints(codes)
		var st []string
		for _, k := range codes {
			st = append(st, fmt.Sprintf("%d×%d", k, h.Statuses[k]))
		}
		breaker := h.Breaker
		if h.Trips > 0 {
			breaker = fmt.Sprintf("%s (%d trips)", h.Breaker, h.Trips)
		}
		fmt.Fprintf(w, "  %s\t%d\t%.1f\t%d\t%s\t%d\t%s\n", h.Host, h.Requests, float64(h.Bytes)/1e6, h.Failures, breaker, h.Dropped, strings.Join(st, " "))
	}
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
