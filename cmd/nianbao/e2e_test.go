package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator"
	"github.com/nianbao/nianbao/warehouse"
)

// requireLib returns the path of libchdb.so, or skips the test — fails it
// when NIANBAO_TEST_REQUIRE=1, as in CI, where a skip would look like a
// pass.
func requireLib(t *testing.T) string {
	t.Helper()
	p := os.Getenv("CHDB_LIB_PATH")
	if p == "" {
		p, _ = filepath.Abs("../../.deps/chdb/libchdb.so")
	}
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("libchdb.so not found at %s: run `make setup` or set CHDB_LIB_PATH", p)
		if os.Getenv("NIANBAO_TEST_REQUIRE") == "1" {
			t.Fatal(msg + " (NIANBAO_TEST_REQUIRE=1 forbids skipping)")
		}
		t.Skip(msg)
	}
	return p
}

// leagueRow is the part of a township_league row the test compares.
type leagueRow struct {
	requests, grantedOrPartial, answered, reviews, lawsuits *float64
	checksFailed                                            uint64
}

func (r leagueRow) String() string {
	f := func(p *float64) string {
		if p == nil {
			return "NULL"
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return fmt.Sprintf("requests=%s granted_or_partial=%s answered=%s reviews=%s lawsuits=%s checks_failed=%d",
		f(r.requests), f(r.grantedOrPartial), f(r.answered), f(r.reviews), f(r.lawsuits), r.checksFailed)
}

// want returns the league row the simulator's ground truth implies.
func want(tr simulator.Truth) leagueRow {
	get := func(m string) *float64 {
		if v, ok := tr.Values.Get(m, metrics.Total); ok {
			return &v
		}
		return nil
	}
	sum := func(ms ...string) *float64 {
		total := 0.0
		for _, m := range ms {
			v := get(m)
			if v == nil {
				return nil
			}
			total += *v
		}
		return &total
	}
	lawsuits := get(metrics.LawsuitsTotal)
	if lawsuits == nil {
		lawsuits = sum("lawsuits.direct.total", "lawsuits.after_review.total")
	}
	return leagueRow{
		requests:         get(metrics.RequestsNew),
		grantedOrPartial: sum(metrics.OutcomeGranted, metrics.OutcomePartial),
		answered:         get(metrics.OutcomeTotal),
		reviews:          get(metrics.ReviewsTotal),
		lawsuits:         lawsuits,
	}
}

func league(t *testing.T, ctx context.Context, w *warehouse.Warehouse, county string, year int) map[string]leagueRow {
	t.Helper()
	res, err := querySaved(ctx, w, "township_league", map[string]string{"county": county, "year": strconv.Itoa(year)})
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range res.Columns {
		col[c] = i
	}
	num := func(row []any, name string) *float64 {
		v := row[col[name]]
		if v == nil {
			return nil
		}
		f, ok := v.(float64)
		if !ok {
			t.Fatalf("column %s = %T %v, want float64 or NULL", name, v, v)
		}
		return &f
	}
	out := map[string]leagueRow{}
	for _, row := range res.Rows {
		code := row[col["region_code"]].(string)
		if _, dup := out[code]; dup {
			t.Errorf("township_league(%s, %d): %s listed twice", county, year, code)
		}
		out[code] = leagueRow{
			requests: num(row, "requests"), grantedOrPartial: num(row, "granted_or_partial"), answered: num(row, "answered"),
			reviews: num(row, "reviews"), lawsuits: num(row, "lawsuits"), checksFailed: row[col["checks_failed"]].(uint64),
		}
	}
	return out
}

// TestEndToEnd crawls the simulated portals into an embedded warehouse and
// checks that the saved comparison query returns the simulator's ground
// truth for every township and year, and that crawling again changes
// nothing.
func TestEndToEnd(t *testing.T) {
	lib := requireLib(t)
	t.Setenv("CHDB_LIB_PATH", lib)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))

	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	simCfg := simulator.DefaultConfig()
	sim, err := simulator.New(simCfg, gaz, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })

	dir := t.TempDir()
	cfg := config.Default()
	cfg.Warehouse.DSN = "chdb://" + filepath.Join(dir, "warehouse")
	cfg.Archive.Dir = filepath.Join(dir, "archive")
	cfg.Crawler.Delay = 2 * time.Millisecond
	w, err := openMigrated(ctx, cfg.Warehouse, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	sources := sourcesOf(sim.Portals())
	run, err := crawlInto(ctx, logger, cfg, w, sources)
	if err != nil {
		t.Fatal(err)
	}
	truth := sim.Truth()
	if run.ingest.Reports != int64(len(truth)) || run.ingest.ParseErrors != 0 {
		t.Errorf("first crawl parsed %d reports with %d errors, want the %d published", run.ingest.Reports, run.ingest.ParseErrors, len(truth))
	}

	check := func(pass string) map[string]map[string]leagueRow {
		got := map[string]map[string]leagueRow{}
		for _, county := range simCfg.Counties {
			for year := simCfg.FirstYear; year <= simCfg.LastYear; year++ {
				got[fmt.Sprint(county, year)] = league(t, ctx, w, county, year)
			}
		}
		townships := 0
		for _, tr := range truth {
			if tr.Level != "township" {
				continue
			}
			townships++
			rows := got[fmt.Sprint(tr.RegionCode[:6], tr.Year)]
			row, ok := rows[tr.RegionCode]
			if !ok {
				t.Errorf("%s: %s %d (%s) missing from township_league", pass, tr.Agency, tr.Year, tr.URL)
				continue
			}
			if w := want(tr); row.String() != w.String() {
				t.Errorf("%s: %s %d (%s, %s):\n got %s\nwant %s", pass, tr.Agency, tr.Year, tr.Template, tr.URL, row, w)
			}
			delete(rows, tr.RegionCode)
		}
		for k, rows := range got {
			for code := range rows {
				t.Errorf("%s: township_league %s lists %s, which published no report", pass, k, code)
			}
		}
		if townships < 50 {
			t.Errorf("only %d township reports in the ground truth", townships)
		}
		return got
	}
	check("first crawl")
	countReports := func() string {
		res, err := w.Query(ctx, "SELECT (SELECT count() FROM reports), (SELECT count() FROM reports_latest), (SELECT count() FROM facts), (SELECT count() FROM checks)")
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(res.Rows[0])
	}
	first := countReports()

	if _, err := crawlInto(ctx, logger, cfg, w, sources); err != nil {
		t.Fatal(err)
	}
	check("second crawl")
	if again := countReports(); again != first {
		t.Errorf("reports, reports_latest, facts, checks: %s after a second identical crawl, %s after the first", again, first)
	}
}

// TestQueryCommandJSON runs `nianbao query --format json` and --saved
// through the command line against a fresh warehouse.
func TestQueryCommandJSON(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	dsn := "chdb://" + filepath.Join(t.TempDir(), "wh")
	var out, errb bytes.Buffer
	a := newApp(&out, &errb, os.Environ())
	ctx := context.Background()
	if err := run(ctx, []string{"migrate", "--warehouse", dsn}, a); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errb.String())
	}
	out.Reset()
	if err := run(ctx, []string{"query", "--warehouse", dsn, "--format", "json", "SELECT count() AS n FROM reports"}, a); err != nil {
		t.Fatalf("query: %v\n%s", err, errb.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("query --format json output %q: %v", out.String(), err)
	}
	if len(rows) != 1 || fmt.Sprint(rows[0]["n"]) != "0" {
		t.Errorf("count on an empty warehouse = %v", rows)
	}
	err := run(ctx, []string{"query", "--warehouse", dsn, "DROP TABLE reports"}, a)
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("query DROP TABLE = %v, want a read-only error", err)
	}
	out.Reset()
	if err := run(ctx, []string{"query", "--warehouse", dsn, "--saved", "township_league", "--param", "county=620421", "--param", "year=2023"}, a); err != nil {
		t.Errorf("saved query on an empty warehouse: %v", err)
	}
	err = run(ctx, []string{"query", "--warehouse", dsn, "--saved", "township_league", "--param", "county=620421"}, a)
	if err == nil || !strings.Contains(err.Error(), "year") {
		t.Errorf("saved query without year = %v, want an error naming the missing parameter", err)
	}
}

// testWriter sends log output to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
