// Command warehouse-bench measures the warehouse at national scale: the
// time to generate and load the synthetic national warehouse into chDB
// through the warehouse's loader (P4), and the latency of every saved
// dashboard query on it (P5). It prints figures; it is not a test.
//
//	go run ./bench/warehouse load --dir DIR [--regions 62,44] [--first 2008] [--last 2024]
//	go run ./bench/warehouse queries --dir DIR [--runs 20]
//	go run ./bench/warehouse refresh --dir DIR [--runs 3]
//	go run ./bench/warehouse sql --dir DIR [--runs 5] SQL...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nianbao/nianbao/dashboards"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/synth"
	"github.com/nianbao/nianbao/warehouse"
	"github.com/nianbao/nianbao/warehouse/compliance"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "warehouse-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: warehouse-bench load|queries|refresh|sql [flags]")
	}
	switch args[0] {
	case "load":
		return load(ctx, args[1:], out)
	case "queries":
		return queries(ctx, args[1:], out)
	case "refresh":
		return refresh(ctx, args[1:], out)
	case "sql":
		return timeSQL(ctx, args[1:], out)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// open opens (and migrates) the chDB warehouse in dir.
func open(ctx context.Context, dir string, cc func(*warehouse.Config)) (*warehouse.Warehouse, error) {
	cfg := warehouse.DefaultConfig()
	cfg.DSN = "chdb://" + dir
	if cc != nil {
		cc(&cfg)
	}
	level := slog.LevelWarn
	if os.Getenv("NIANBAO_BENCH_DEBUG") != "" {
		level = slog.LevelDebug // the refresh's steps and their times
	}
	w, err := warehouse.Open(ctx, cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
	if err != nil {
		return nil, err
	}
	if err := w.Migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// peakRSS returns the process's peak resident set size in MiB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// cpuTime returns the CPU time (user + system) the process has used, the
// engine's threads included.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// stealTime returns the CPU time the hypervisor has taken from this
// machine's virtual CPUs since boot (the steal column of /proc/stat, in
// the kernel's USER_HZ ticks of 10 ms), or 0 when it cannot be read. A
// run on a VM whose neighbours are busy shows it: its wall time then
// says less about the code.
func stealTime() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	ticks, err := strconv.ParseUint(f[8], 10, 64)
	if err != nil {
		return 0
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// cpuStore is the warehouse as Load's store, noting the process's CPU
// time when the refresh starts and ends, so the load's and the refresh's
// CPU can be told apart.
type cpuStore struct {
	*warehouse.Warehouse
	refreshStart, refreshEnd time.Duration
}

// Refresh refreshes the warehouse, noting the CPU time around it.
func (s *cpuStore) Refresh(ctx context.Context, asOf time.Time) (warehouse.RefreshResult, error) {
	s.refreshStart = cpuTime()
	defer func() { s.refreshEnd = cpuTime() }()
	return s.Warehouse.Refresh(ctx, asOf)
}

func load(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	dir := fs.String("dir", "", "warehouse directory (created; must not hold a warehouse)")
	regions := fs.String("regions", "", "comma-separated NBS codes to generate (default: the whole country)")
	first := fs.Int("first", 2008, "first year")
	last := fs.Int("last", 2024, "last year")
	workers := fs.Int("workers", 0, "report builders (0: one per CPU)")
	writers := fs.Int("writers", 0, "goroutines writing batches at once (0: synth's default, 2)")
	batch := fs.Int("batch", 25000, "reports per load (WriteCaptures + WriteReports call); 25,000 keeps a national load under 100 parts per table")
	insertRows := fs.Int("insert-rows", 2_000_000, "most rows per INSERT (warehouse.batch_size)")
	profile := fs.String("cpuprofile", "", "write a CPU profile here")
	resumeAt := fs.Float64("resume-merges-at", 0.8, "share of the batches written after which the paused merges of facts and checks start again (synth.Config.ResumeMergesAt; 1: when the load ends)")
	gogc := fs.Int("gogc", 200, "Go GC target percentage while loading (debug.SetGCPercent); 200 halves the collections of the default 100")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("load: --dir is required")
	}
	debug.SetGCPercent(*gogc)
	stop, err := startCPUProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	g, err := gazetteer.Load()
	if err != nil {
		return err
	}
	cfg := synth.DefaultConfig()
	cfg.FirstYear, cfg.LastYear, cfg.Workers, cfg.Writers, cfg.BatchReports = *first, *last, *workers, *writers, *batch
	cfg.ResumeMergesAt = *resumeAt
	if *regions != "" {
		cfg.Regions = strings.Split(*regions, ",")
	}
	gen, err := synth.New(cfg, g)
	if err != nil {
		return err
	}
	start := time.Now()
	w, err := open(ctx, *dir, func(c *warehouse.Config) {
		c.Compliance.FirstYear = *first
		// The whole country is expected of a national warehouse; of a
		// regional one, the regions, registered below as sources.
		c.Compliance.Expect = compliance.ExpectAll
		if len(cfg.Regions) > 0 {
			c.Compliance.Expect = compliance.ExpectRegistered
		}
		c.BatchSize = *insertRows
	})
	if err != nil {
		return err
	}
	defer w.Close()
	if err := registerRegions(ctx, w, g, cfg.Regions); err != nil {
		return err
	}
	opened := time.Since(start)
	store := &cpuStore{Warehouse: w}
	cpu0, steal0 := cpuTime(), stealTime()
	st, err := gen.Load(ctx, store, time.Time{})
	if err != nil {
		return err
	}
	cpuSettle := cpuTime()
	settle, parts, err := settleMerges(ctx, w)
	if err != nil {
		return err
	}
	cpuEnd := cpuTime() // the settle wait itself only polls twice a second
	loadWall := st.Wall - st.RefreshTime
	fmt.Fprintf(out, "P4: synthetic warehouse %s, %d-%d, generated and loaded into chDB (%s) through WriteSources/WriteCaptures/WriteReports\n",
		scope(cfg.Regions), *first, *last, w.Engine())
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\t\n", k, v) }
	row("agencies", strconv.Itoa(st.Agencies))
	row("agency-years", strconv.FormatInt(st.AgencyYears, 10))
	row("reports (rows)", strconv.FormatInt(st.Reports, 10))
	row("captures", strconv.FormatInt(st.Captures, 10))
	row("facts", strconv.FormatInt(st.Facts, 10))
	row("checks", strconv.FormatInt(st.Checks, 10))
	row("open + migrate", opened.Round(time.Millisecond).String())
	row("generate + load", loadWall.Round(time.Millisecond).String())
	row("  facts/s", fmt.Sprintf("%.0f", float64(st.Facts)/loadWall.Seconds()))
	row("  build (summed over workers)", st.Build.Round(time.Millisecond).String())
	row("  write (loader, until the last batch)", st.Write.Round(time.Millisecond).String())
	row("  CPU, engine included", (store.refreshStart - cpu0).Round(time.Millisecond).String())
	row("refresh", st.RefreshTime.Round(time.Millisecond).String())
	row("  CPU, engine included", (store.refreshEnd - store.refreshStart).Round(time.Millisecond).String())
	row("total", (opened + st.Wall).Round(time.Millisecond).String())
	row("merges still owed, settled in", fmt.Sprintf("%s (fact_sets: %d parts after)", settle.Round(time.Millisecond), parts))
	row("  CPU", (cpuEnd - cpuSettle).Round(time.Millisecond).String())
	row("total incl. merges", (opened + st.Wall + settle).Round(time.Millisecond).String())
	row("  facts/s incl. refresh", fmt.Sprintf("%.0f", float64(st.Facts)/(opened+st.Wall).Seconds()))
	row("agency-years refreshed", strconv.FormatUint(st.Refresh.AgencyYears, 10))
	if ev, err := engineEvents(ctx, w); err == nil {
		row("blocks inserted (already sorted)", fmt.Sprintf("%d (%d)", ev["MergeTreeDataWriterBlocks"], ev["MergeTreeDataWriterBlocksAlreadySorted"]))
		row("merged: rows, uncompressed GiB", fmt.Sprintf("%d, %.1f", ev["MergedRows"], float64(ev["MergedUncompressedBytes"])/(1<<30)))
	}
	row("peak RSS (MiB)", fmt.Sprintf("%.0f", peakRSS()))
	row("CPU stolen by the hypervisor, all CPUs", (stealTime() - steal0).Round(10*time.Millisecond).String())
	tw.Flush()
	var size int64
	filepath.Walk(*dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	fmt.Fprintf(out, "warehouse on disk: %.1f GiB\n", float64(size)/(1<<30))
	return nil
}

// settleMerges waits for the merges a load leaves the engine: the parts it
// wrote are merged in the background, work the load still owes and that
// queries would otherwise compete with. The engine backs off between merge
// rounds, so a pause is not the end: it waits until no merge has run for
// quietFor, or maxSettle has passed, and returns the time to the last merge
// seen and how many parts fact_sets has then.
func settleMerges(ctx context.Context, w *warehouse.Warehouse) (time.Duration, uint64, error) {
	const quietFor, maxSettle = 30 * time.Second, 15 * time.Minute
	start := time.Now()
	last := start
	for now := start; now.Sub(last) < quietFor && now.Sub(start) < maxSettle; now = time.Now() {
		r, err := w.Query(ctx, "SELECT count() FROM system.merges WHERE database = currentDatabase()")
		if err != nil {
			return 0, 0, fmt.Errorf("merges: %w", err)
		}
		if n, _ := r.Rows[0][0].(uint64); n > 0 {
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	r, err := w.Query(ctx, "SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'fact_sets' AND active")
	if err != nil {
		return 0, 0, fmt.Errorf("parts: %w", err)
	}
	parts, _ := r.Rows[0][0].(uint64)
	return last.Sub(start), parts, nil
}

// engineEvents returns the engine's counters of what it did since it
// started (system.events), by name.
func engineEvents(ctx context.Context, w *warehouse.Warehouse) (map[string]uint64, error) {
	r, err := w.Query(ctx, "SELECT event, value FROM system.events")
	if err != nil {
		return nil, fmt.Errorf("engine events: %w", err)
	}
	ev := make(map[string]uint64, len(r.Rows))
	for _, row := range r.Rows {
		name, _ := row[0].(string)
		ev[name], _ = row[1].(uint64)
	}
	return ev, nil
}

// registerRegions registers the government of each region as a source, so
// that a regional warehouse expects reports from the regions' agencies
// only.
func registerRegions(ctx context.Context, w *warehouse.Warehouse, g *gazetteer.Gazetteer, regions []string) error {
	var srcs []warehouse.Source
	for _, code := range regions {
		d, ok := g.ByCode(code)
		if !ok {
			return fmt.Errorf("load: --regions: no division %q", code)
		}
		srcs = append(srcs, warehouse.Source{Name: d.Name, Level: string(d.Level), RegionCode: d.Code,
			StartURLs: []string{"http://127.0.0.1/" + d.Code + "/"}})
	}
	if len(srcs) == 0 {
		return nil
	}
	return w.WriteSources(ctx, srcs)
}

func scope(regions []string) string {
	if len(regions) == 0 {
		return "national"
	}
	return "regions " + strings.Join(regions, ",")
}

// benchQuery is one saved query with the parameters it is timed with.
type benchQuery struct {
	name   string
	scope  string
	params map[string]string
}

// benchQueries returns the saved queries to time: each at the scope its
// parameters allow, a county (or a county's peers) and a province for the
// regional ones, the country for the national trend.
func benchQueries(ctx context.Context, w *warehouse.Warehouse) ([]benchQuery, error) {
	pick := func(sql string) (string, error) {
		r, err := w.Query(ctx, sql)
		if err != nil {
			return "", err
		}
		if len(r.Rows) == 0 {
			return "", fmt.Errorf("no row for %s", sql)
		}
		return fmt.Sprint(r.Rows[0][0]), nil
	}
	// The province with the most agencies, its county with the most
	// townships, a report and an agency there.
	province, err := pick("SELECT province_code FROM agencies WHERE level = 'township' GROUP BY province_code ORDER BY count() DESC LIMIT 1")
	if err != nil {
		return nil, err
	}
	county, err := pick("SELECT county_code FROM agencies WHERE level = 'township' AND province_code = '" + province + "' GROUP BY county_code ORDER BY count() DESC LIMIT 1")
	if err != nil {
		return nil, err
	}
	report, err := pick("SELECT report_id FROM report_stats WHERE province_code = '" + province + "' AND county_code = '" + county + "' AND level = 'county' AND answered IS NOT NULL ORDER BY year DESC LIMIT 1")
	if err != nil {
		return nil, err
	}
	var qs []benchQuery
	add := func(name, scope string, kv ...string) {
		p := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		qs = append(qs, benchQuery{name, scope, p})
	}
	add("national_trend", "country", "level", "all", "from", "2008", "to", "2024")
	add("national_trend", "country, townships", "level", "township", "from", "2008", "to", "2024")
	add("province_trend", "province "+province, "province", province, "from", "2008", "to", "2024")
	add("refusal_reasons", "province "+province, "region", province, "year", "2023")
	add("review_litigation", "province "+province, "region", province, "from", "2008", "to", "2024")
	add("completeness", "province "+province, "region", province, "year", "2023")
	add("as_published", "province "+province, "region", province, "year", "2023", "date", "2024-03-01")
	add("township_league", "county "+county, "county", county, "year", "2023")
	add("missing_reports", "county "+county, "county", county, "from", "2008", "to", "2024")
	add("county_compliance", "county "+county, "county", county, "year", "2023")
	add("peer_ranking", "townships of "+county, "parent", county, "level", "township", "year", "2023")
	add("refusal_reasons", "county "+county, "region", county, "year", "2023")
	add("as_published", "county "+county, "region", county, "year", "2023", "date", "2024-03-01")
	add("agency_history", "county "+county, "agency", county)
	add("report_figures", "one report", "report", report)
	all, err := dashboards.All()
	if err != nil {
		return nil, err
	}
	for _, q := range all {
		if !slices.ContainsFunc(qs, func(b benchQuery) bool { return b.name == q.Name }) {
			return nil, fmt.Errorf("saved query %s is not benchmarked", q.Name)
		}
	}
	return qs, nil
}

func queries(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("queries", flag.ContinueOnError)
	dir := fs.String("dir", "", "warehouse directory (loaded by the load command)")
	runs := fs.Int("runs", 20, "timed runs per query (after one warm-up)")
	only := fs.String("only", "", "run only the saved queries whose name contains this")
	profile := fs.String("cpuprofile", "", "write a CPU profile here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("queries: --dir is required")
	}
	stop, err := startCPUProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	w, err := open(ctx, *dir, nil)
	if err != nil {
		return err
	}
	defer w.Close()
	var facts, reports uint64
	if r, err := w.Query(ctx, "SELECT (SELECT sum(length(metric)) FROM fact_sets), (SELECT count() FROM report_rows)"); err == nil {
		facts, reports = r.Rows[0][0].(uint64), r.Rows[0][1].(uint64)
	}
	qs, err := benchQueries(ctx, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "P5: saved dashboard queries on %s (%d report rows, %d fact rows), %d runs each after a warm-up\n",
		w.Engine(), reports, facts, *runs)
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "query\tscope\trows\tp50 ms\tp95 ms\tmax ms\n")
	for _, q := range qs {
		if !strings.Contains(q.name, *only) {
			continue
		}
		saved, err := dashboards.Get(q.name)
		if err != nil {
			return err
		}
		sql, err := warehouse.Bind(saved.SQL, q.params)
		if err != nil {
			return err
		}
		times, rows, err := timeQuery(ctx, w, sql, *runs)
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\n", q.name, q.scope, rows, pct(times, 0.5), pct(times, 0.95), times[len(times)-1])
	}
	tw.Flush()
	fmt.Fprintf(out, "peak RSS (MiB): %.0f\n", peakRSS())
	return nil
}

// timeQuery runs sql once to warm up, then runs more times, and returns
// those runs' times in milliseconds, sorted, and the rows the query gave.
func timeQuery(ctx context.Context, w *warehouse.Warehouse, sql string, runs int) (times []float64, rows int, err error) {
	for i := 0; i <= runs; i++ {
		start := time.Now()
		r, err := w.Query(ctx, sql)
		if err != nil {
			return nil, 0, err
		}
		if i > 0 {
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
		rows = len(r.Rows)
	}
	sort.Float64s(times)
	return times, rows, nil
}

// pct returns the p-quantile of sorted values (nearest rank).
func pct(sorted []float64, p float64) float64 {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// timeSQL times ad-hoc statements (for investigating a saved query).
func timeSQL(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sql", flag.ContinueOnError)
	dir := fs.String("dir", "", "warehouse directory")
	runs := fs.Int("runs", 5, "timed runs per statement (after one warm-up)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stop, err := startCPUProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	w, err := open(ctx, *dir, nil)
	if err != nil {
		return err
	}
	defer w.Close()
	for _, sql := range fs.Args() {
		times, rows, err := timeQuery(ctx, w, sql, *runs)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%8.1f ms p50 %8.1f ms max  %d rows  %.100s\n", pct(times, 0.5), times[len(times)-1], rows, sql)
	}
	return nil
}

// refresh times Refresh on a warehouse that load made, run after run: the
// refresh alone, without the merges a load leaves running beside it.
func refresh(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("refresh", flag.ContinueOnError)
	dir := fs.String("dir", "", "warehouse directory (a finished load)")
	runs := fs.Int("runs", 3, "refreshes, one after the other")
	expect := fs.String("expect", compliance.ExpectAll, "compliance.expect: whose reports are expected (load's: all nationally, registered for --regions)")
	asOf := fs.String("as-of", "2025-09-30", "day compliance is judged on (load's default for --last 2024)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("refresh: --dir is required")
	}
	day, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		return fmt.Errorf("refresh: --as-of: %w", err)
	}
	w, err := open(ctx, *dir, func(c *warehouse.Config) { c.Compliance.Expect = *expect })
	if err != nil {
		return err
	}
	defer w.Close()
	for i := range *runs {
		cpu0, start := cpuTime(), time.Now()
		res, err := w.Refresh(ctx, day)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "refresh %d: %s (CPU %s), %d agency-years\n", i+1, time.Since(start).Round(time.Millisecond),
			(cpuTime() - cpu0).Round(time.Millisecond), res.AgencyYears)
	}
	return nil
}

// startCPUProfile writes a CPU profile to path (none when path is empty)
// until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
