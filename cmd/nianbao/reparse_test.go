package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

// fixture is a warehouse and archive holding two real reports (the
// parser's testdata) and a list page, crawled as a crawl would.
type fixture struct {
	cfg     config.Config
	dsn     string
	archive string
	dawuli  string // URLs
	hebao   string
	bodies  map[string][]byte
}

// newFixture archives, indexes, parses and loads the fixture's pages
// through the ingest pipeline, and closes everything so commands can open
// the warehouse.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	dir := t.TempDir()
	fx := &fixture{cfg: config.Default(), dsn: "chdb://" + filepath.Join(dir, "warehouse"),
		archive: filepath.Join(dir, "archive"), dawuli: "http://127.0.0.5/zwgk/dawuli-2023.html",
		hebao: "http://127.0.0.6/zwgk/hebao-2020.html", bodies: map[string][]byte{}}
	fx.cfg.Warehouse.DSN = fx.dsn
	fx.cfg.Archive.Dir = fx.archive
	ctx := context.Background()
	w, err := openMigrated(ctx, fx.cfg.Warehouse, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p, err := parser.New(fx.cfg.Parser)
	if err != nil {
		t.Fatal(err)
	}
	aw, err := archive.NewWriter(fx.cfg.Archive, nil)
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := ingest.New(fx.cfg.Ingest, aw, w, p.Parse, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, time.February, 3, 4, 5, 6, 0, time.UTC)
	for _, c := range []struct{ url, file, name, level, region string }{
		{fx.dawuli, "dawuli-2023.html", "迁安市人民政府", "county", "130283"},
		{fx.hebao, "hebao-2020.html", "荣昌区人民政府", "county", "500153"},
		{"http://127.0.0.5/zwgk/index.html", "list-page.html", "迁安市人民政府", "county", "130283"},
	} {
		body, err := os.ReadFile(filepath.Join("..", "..", "parser", "testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		fx.bodies[c.url] = body
		if err := pipe.Capture(ctx, &crawler.Capture{
			Source: crawler.Source{Name: c.name, Level: c.level, RegionCode: c.region}, URL: c.url, Kind: crawler.KindPage,
			Method: "GET", FetchedAt: at, Status: 200, Header: http.Header{"Content-Type": {"text/html"}},
			Body: body,
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := pipe.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	return fx
}

// run runs a command line and returns its standard output.
func (fx *fixture) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb, os.Environ())
	err := run(context.Background(), args, a)
	if err != nil {
		t.Logf("nianbao %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), err
}

// query runs SQL against the fixture's warehouse.
func (fx *fixture) query(t *testing.T, sql string) [][]any {
	t.Helper()
	w, err := warehouse.Open(context.Background(), fx.cfg.Warehouse, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := w.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	return r.Rows
}

// TestReparseNewParserVersion: a reparse by a newer parser adds a second
// version of every report beside the first, which stays queryable, and
// the latest views show the newer; a second reparse by the same parser
// adds nothing; no capture is written twice.
func TestReparseNewParserVersion(t *testing.T) {
	fx := newFixture(t)
	counts := `SELECT (SELECT count() FROM captures), (SELECT count() FROM reports), (SELECT count() FROM reports_latest),
		(SELECT count() FROM facts), (SELECT groupArray(parser_version) FROM reports_latest)`
	before := fx.query(t, counts)[0]
	if before[1] != uint64(2) || before[2] != uint64(2) {
		t.Fatalf("fixture: captures, reports, latest, facts = %v, want 2 reports", before)
	}
	const bumped = parser.Version + "-next"
	p, err := parser.New(fx.cfg.Parser)
	if err != nil {
		t.Fatal(err)
	}
	parse := func(ctx context.Context, in parser.Input) (*parser.Report, error) {
		r, err := p.Parse(ctx, in)
		if r != nil {
			r.ParserVersion = bumped
		}
		return r, err
	}
	for range 2 {
		w, err := warehouse.Open(context.Background(), fx.cfg.Warehouse, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		a := newApp(&out, &out, nil)
		err = reparseInto(context.Background(), a, w, fx.archive, fx.cfg.Ingest, parse, bumped)
		w.Close()
		if err != nil {
			t.Fatalf("reparse: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "3 response records (3 parsed") || !strings.Contains(out.String(), "2 reports") {
			t.Errorf("reparse printed:\n%s", out.String())
		}
	}
	after := fx.query(t, counts)[0]
	if after[0] != before[0] || after[1] != uint64(4) || after[2] != uint64(2) || after[3] != 2*before[3].(uint64) {
		t.Errorf("captures, reports, latest, facts = %v after reparsing twice, was %v; want the reports and facts doubled once", after, before)
	}
	if got := after[4].([]any); len(got) != 2 || got[0] != bumped || got[1] != bumped {
		t.Errorf("reports_latest parser versions = %v, want %s", got, bumped)
	}
	old := fx.query(t, "SELECT count(), sum(fact_count) FROM reports WHERE parser_version = '"+parser.Version+"'")[0]
	if old[0] != uint64(2) {
		t.Errorf("reports of the old version = %v, want both still there", old)
	}
	// The comparison tables were refreshed: report_stats shows the new parse.
	if got := fx.query(t, "SELECT groupUniqArray(parser_version) FROM report_stats")[0][0]; len(got.([]any)) != 1 || got.([]any)[0] != bumped {
		t.Errorf("report_stats parser versions = %v, want [%s]", got, bumped)
	}
}

// TestReparseCommand runs `nianbao reparse` with this program's parser:
// the reports are those already loaded, so nothing changes.
func TestReparseCommand(t *testing.T) {
	fx := newFixture(t)
	counts := "SELECT (SELECT count() FROM captures), (SELECT count() FROM reports), (SELECT count() FROM facts)"
	before := fx.query(t, counts)
	out, err := fx.run(t, "reparse", "--warehouse", fx.dsn, "--archive", fx.archive)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "parser "+parser.Version+": 2 reports") {
		t.Errorf("reparse printed:\n%s", out)
	}
	if after := fx.query(t, counts); !equalRows(after, before) {
		t.Errorf("captures, reports, facts = %v after reparsing with the same parser, was %v", after, before)
	}
	if _, err := fx.run(t, "reparse", "--warehouse", fx.dsn, "--archive", filepath.Join(fx.archive, "nope")); err == nil {
		t.Error("reparse of a missing archive succeeded")
	}
}

func TestRefreshCommand(t *testing.T) {
	fx := newFixture(t)
	out, err := fx.run(t, "refresh", "--warehouse", fx.dsn, "--as-of", "2024-03-01")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "as of 2024-03-01") || !strings.Contains(out, "2 with a report") {
		t.Errorf("refresh printed %q", out)
	}
	// 大五里镇's 2023 report, published 2024-01-19: on time for a
	// township (31 March by default).
	rows := fx.query(t, "SELECT agency_id, on_time FROM report_stats WHERE year = 2023")
	if len(rows) != 1 || rows[0][0] != "130283115" || rows[0][1] != "pass" {
		t.Errorf("report_stats 2023 = %v, want 大五里镇 (130283115) on time", rows)
	}
	if _, err := fx.run(t, "refresh", "--warehouse", fx.dsn, "--as-of", "March"); err == nil {
		t.Error("refresh --as-of March succeeded")
	}
}

func equalRows(a, b [][]any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
