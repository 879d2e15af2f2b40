package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/simulator"
	"github.com/nianbao/nianbao/warehouse"
)

// variedSim starts a simulator with every portal convention the crawler
// must handle: TRS and Hanweb portals (some on the xxgk annual-report
// module), home-page start URLs, next-only pagers, column names other than
// zfxxgknb, PDF and DOCX reports behind stub pages, junk attachments,
// robots.txt variants (Crawl-delay, blocked parts, none), GBK pages, and,
// on faulty hosts, every fault kind.
func variedSim(t *testing.T, ctx context.Context, logger *slog.Logger, faulty float64, edit func(*simulator.Config)) *simulator.Simulator {
	t.Helper()
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := simulator.DefaultConfig()
	cfg.Styles = map[string]float64{simulator.StyleTRS: 0.5, simulator.StyleHanweb: 0.5}
	cfg.HanwebModuleShare = 0.3
	cfg.HomeStartShare = 0.5
	cfg.NextOnlyShare = 0.3
	cfg.ColumnVariety = 0.5
	cfg.JunkShare = 0.3
	cfg.Formats = map[string]float64{simulator.FormatHTML: 0.7, simulator.FormatPDF: 0.15, simulator.FormatDOCX: 0.15}
	cfg.Robots = simulator.Robots{CrawlDelayShare: 0.1, CrawlDelay: 0.05, BlockPartShare: 0.1, BlockPDFShare: 0.05, MissingShare: 0.1}
	f := simulator.DefaultFaults()
	f.HostShare = faulty
	f.Rates = map[string]float64{
		simulator.FaultServerError: 0.05, simulator.FaultTimeout: 0.02, simulator.FaultReset: 0.03, simulator.FaultTooMany: 0.03,
		simulator.FaultTruncate: 0.03, simulator.FaultDrip: 0.02, simulator.FaultRedirectLoop: 0.01,
	}
	f.PermanentShare = 0.2
	f.Hang = 6 * time.Second
	f.Drip = 300 * time.Millisecond
	f.RetryAfter = 200 * time.Millisecond
	cfg.Faults = f
	if edit != nil {
		edit(&cfg)
	}
	sim, err := simulator.New(cfg, gaz, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// crawlConfig is a configuration for crawling a simulator fast: short
// delays and backoffs, and a breaker that tolerates the simulator's fault
// rates. The timeout leaves room for PDFs rendered on request by a
// simulator sharing two cores with the crawler and the parser.
func crawlConfig(dir string) config.Config {
	cfg := config.Default()
	cfg.Warehouse.DSN = "chdb://" + filepath.Join(dir, "warehouse")
	cfg.Archive.Dir = filepath.Join(dir, "archive")
	cfg.Crawler.Delay = 2 * time.Millisecond
	cfg.Crawler.RequestTimeout = 5 * time.Second
	cfg.Crawler.BackoffBase = 10 * time.Millisecond
	cfg.Crawler.BackoffMax = time.Second
	cfg.Crawler.BreakerThreshold = 16
	cfg.Crawler.BreakerCooldown = 100 * time.Millisecond
	return cfg
}

// reportURLs returns each report's source URL with how many report rows
// it has.
func reportURLs(t *testing.T, ctx context.Context, w *warehouse.Warehouse) map[string]int {
	t.Helper()
	res, err := w.Query(ctx, "SELECT source_url, count() FROM reports GROUP BY source_url")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, row := range res.Rows {
		var n int
		fmt.Sscan(fmt.Sprint(row[1]), &n)
		out[fmt.Sprint(row[0])] = n
	}
	return out
}

// captureLog lists the captures of urls, for failure messages.
func captureLog(t *testing.T, ctx context.Context, w *warehouse.Warehouse, urls ...string) string {
	t.Helper()
	var parts []string
	for _, u := range urls {
		res, err := w.Query(ctx, "SELECT status, fetched_at, record_type FROM captures WHERE url = '"+strings.ReplaceAll(u, "'", "")+"' ORDER BY fetched_at")
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s %v", u, res.Rows))
	}
	return strings.Join(parts, "; ")
}

// A crawl of portals that fail in every way the simulator knows archives
// and parses every report reachable under the faults, once, and finishes.
func TestCrawlUnderFaults(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	sim := variedSim(t, ctx, logger, 0.4, nil)
	cfg := crawlConfig(t.TempDir())
	w, err := openMigrated(ctx, cfg.Warehouse, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	run, err := crawlInto(ctx, logger, cfg, w, sourcesOf(sim.Portals()))
	if err != nil {
		t.Fatal(err)
	}
	got := reportURLs(t, ctx, w)
	reachable, missed := 0, 0
	kinds := map[string]int{}
	for _, tr := range sim.Truth() {
		if !tr.Reachable() {
			kinds[tr.Unreachable]++
			continue
		}
		reachable++
		kinds[tr.Format]++
		if got[tr.DocumentURL] == 0 {
			missed++
			t.Errorf("reachable report %s %d not loaded: %s (%s, %s); captures: %s", tr.Agency, tr.Year, tr.DocumentURL, tr.Format, tr.URL,
				captureLog(t, ctx, w, tr.URL, tr.DocumentURL))
		}
	}
	for u, n := range got {
		if n != 1 {
			t.Errorf("%s loaded as %d reports", u, n)
		}
	}
	if run.crawl.Failures == 0 || run.crawl.Retries == 0 {
		t.Errorf("crawl saw %d failures and %d retries; the faults did not bite", run.crawl.Failures, run.crawl.Retries)
	}
	var keys []string
	for k, n := range kinds {
		keys = append(keys, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(keys)
	t.Logf("%d reachable reports, %d missed; %s; crawl %+v", reachable, missed, strings.Join(keys, " "), run.crawl.Errors)
	if reachable < 100 {
		t.Errorf("only %d reachable reports", reachable)
	}
}

// A recrawl of unchanged portals sends conditional requests for every URL
// it knows and archives the 304s as revisits, parsing nothing again; after
// the portals change, it parses and loads only what is new or edited.
func TestRecrawlIsIncremental(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	sim := variedSim(t, ctx, logger, 0, func(c *simulator.Config) {
		c.Changes = simulator.Changes{EditShare: 0.1, NewShare: 0.3}
	})
	cfg := crawlConfig(t.TempDir())
	w, err := openMigrated(ctx, cfg.Warehouse, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sources := sourcesOf(sim.Portals())
	first, err := crawlInto(ctx, logger, cfg, w, sources)
	if err != nil {
		t.Fatal(err)
	}

	// Unchanged: only conditional requests (robots.txt aside), all 304.
	sim.ResetStats()
	second, err := crawlInto(ctx, logger, cfg, w, sources)
	if err != nil {
		t.Fatal(err)
	}
	var reqs, cond, notMod int64
	for _, h := range sim.Stats() {
		reqs += h.Requests
		cond += h.Conditional
		notMod += h.NotModified
	}
	robots := int64(len(sources))
	if cond != reqs-robots || notMod != cond {
		t.Errorf("unchanged recrawl: %d requests, %d conditional, %d answered 304; want all but %d robots.txt conditional and 304",
			reqs, cond, notMod, robots)
	}
	if second.ingest.Documents != 0 || second.revisits != cond {
		t.Errorf("unchanged recrawl parsed %d documents and wrote %d revisits; want 0 and %d", second.ingest.Documents, second.revisits, cond)
	}
	revisits, err := w.Query(ctx, "SELECT count() FROM captures WHERE record_type = 'revisit' AND refers_to != ''")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(revisits.Rows[0][0]) != fmt.Sprint(cond) {
		t.Errorf("captures index %v revisits, want %d", revisits.Rows[0][0], cond)
	}

	// Changed: new and edited reports are parsed and loaded, nothing else.
	gen := sim.Advance()
	third, err := crawlInto(ctx, logger, cfg, w, sources)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, tr := range sim.TruthAt(gen) {
		if tr.Reachable() && (tr.FirstGeneration == gen || tr.Version == gen) {
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the simulator changed nothing")
	}
	if third.ingest.Reports != int64(changed) {
		t.Errorf("after a change, the recrawl loaded %d reports, want the %d new or edited", third.ingest.Reports, changed)
	}
	got := reportURLs(t, ctx, w)
	for _, tr := range sim.TruthAt(gen) {
		if tr.Reachable() && got[tr.DocumentURL] == 0 {
			t.Errorf("%s %d (%s) not loaded after the change", tr.Agency, tr.Year, tr.DocumentURL)
		}
	}
	t.Logf("first %d reports; unchanged recrawl %d requests (%d conditional); change: %d new or edited, %d parsed documents",
		first.ingest.Reports, reqs, cond, changed, third.ingest.Documents)
}
