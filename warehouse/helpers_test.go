package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse/internal/chdb"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Environment variables the integration tests read.
const (
	// envRequire, set to 1 (CI does), turns every skipped integration test
	// into a failure.
	envRequire = "NIANBAO_TEST_REQUIRE"
	// envCH18 is the DSN of a ClickHouse 18.16 server
	// (scripts/clickhouse-test-server start DIR prints one).
	envCH18 = "NIANBAO_TEST_CLICKHOUSE18_DSN"
	// envCH is the DSN of a modern ClickHouse server.
	envCH = "NIANBAO_TEST_CLICKHOUSE_DSN"
)

// skipOrFail skips the test with a reason, or fails it when CI requires
// every integration test to run.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(envRequire) == "1" {
		t.Fatalf("%s (and %s=1 forbids skipping)", msg, envRequire)
	}
	t.Skip(msg)
}

// chdbLibrary finds libchdb.so for tests: $CHDB_LIB_PATH, else
// .deps/chdb/libchdb.so in this directory or any parent (the repository
// root when tests run from warehouse/).
func chdbLibrary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHDB_LIB_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			skipOrFail(t, "CHDB_LIB_PATH: %v; run `make setup`", err)
		}
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, chdb.DepsPath)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	skipOrFail(t, "libchdb.so not found: set CHDB_LIB_PATH or run `make setup`")
	return ""
}

// testLogger logs to the test's output.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// transport opens a fresh, empty warehouse of one kind for a test.
type transport struct {
	name string
	open func(t testing.TB) *Warehouse
}

// openCHDBWarehouse opens a chdb warehouse in a new temporary directory and
// closes it when the test ends.
func openCHDBWarehouse(t testing.TB) *Warehouse {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DSN = "chdb://" + filepath.Join(t.TempDir(), "warehouse")
	cfg.CHDBLibrary = chdbLibrary(t)
	return openWarehouse(t, cfg)
}

// openServerWarehouse opens a warehouse in a database of its own on the
// server dsn names, and drops that database when the test ends.
func openServerWarehouse(t testing.TB, dsn string) *Warehouse {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", redactDSN(dsn), err)
	}
	sum := sha256.Sum256([]byte(t.Name() + time.Now().String()))
	db := strings.Trim(u.Path, "/") + "_" + sanitize(t.Name()) + "_" + hex.EncodeToString(sum[:4])
	u.Path = "/" + db
	cfg := DefaultConfig()
	cfg.DSN = u.String()
	w := openWarehouse(t, cfg)
	t.Cleanup(func() {
		// Registered after openWarehouse's Close, so it runs before it.
		if err := w.eng.exec(context.Background(), "DROP DATABASE IF EXISTS "+db); err != nil {
			t.Errorf("drop test database %s: %v", db, err)
		}
	})
	return w
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)

func sanitize(s string) string {
	s = nonIdent.ReplaceAllString(s, "_")
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

func openWarehouse(t testing.TB, cfg Config) *Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := Open(ctx, cfg, testLogger(t))
	if err != nil {
		t.Fatalf("Open(%s): %v", cfg.Redacted(), err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

// transports returns every warehouse kind the environment offers: chdb
// always (skipped or failed when the library is missing), servers when
// their DSN variables are set.
func transports() []transport {
	ts := []transport{{name: "chdb", open: openCHDBWarehouse}}
	if dsn := os.Getenv(envCH18); dsn != "" {
		ts = append(ts, transport{name: "clickhouse18", open: func(t testing.TB) *Warehouse { return openServerWarehouse(t, dsn) }})
	}
	if dsn := os.Getenv(envCH); dsn != "" {
		ts = append(ts, transport{name: "clickhouse", open: func(t testing.TB) *Warehouse { return openServerWarehouse(t, dsn) }})
	}
	return ts
}

// forEachTransport runs f as a subtest on every transport, sequentially
// (chdb allows one open warehouse per process).
func forEachTransport(t *testing.T, f func(t *testing.T, w *Warehouse)) {
	t.Helper()
	for _, tr := range transports() {
		t.Run(tr.name, func(t *testing.T) {
			f(t, tr.open(t))
		})
	}
}

// migrated opens and migrates.
func migrate(t testing.TB, w *Warehouse) {
	t.Helper()
	if err := w.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
}

// mustQuery runs a read-only query.
func mustQuery(t testing.TB, w *Warehouse, sql string) *Result {
	t.Helper()
	r, err := w.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("Query(%q): %v", sql, err)
	}
	return r
}

// scalar runs a query that returns one value.
func scalar(t testing.TB, w *Warehouse, sql string) any {
	t.Helper()
	r := mustQuery(t, w, sql)
	if len(r.Rows) != 1 || len(r.Rows[0]) != 1 {
		t.Fatalf("Query(%q) = %d rows, want one value", sql, len(r.Rows))
	}
	return r.Rows[0][0]
}

// count runs SELECT count() FROM what.
func count(t testing.TB, w *Warehouse, what string) uint64 {
	t.Helper()
	v := scalar(t, w, "SELECT count() FROM "+what)
	n, ok := v.(uint64)
	if !ok {
		t.Fatalf("count() from %s = %T, want uint64", what, v)
	}
	return n
}

// sampleReport returns a table-template report for body agency and year,
// with a full requests balance (ok) and one broken outcome sum.
func sampleReport(source, agency, region string, year int, newRequests float64) *parser.Report {
	r := &parser.Report{
		Source:        source,
		Title:         fmt.Sprintf("%s%d年政府信息公开工作年度报告", agency, year),
		Agency:        agency,
		Level:         parser.LevelCounty,
		RegionCode:    region,
		Year:          year,
		PublishedAt:   fmt.Sprintf("%d-01-28", year+1),
		Template:      parser.TemplateTable2021,
		Format:        parser.FormatHTML,
		Status:        parser.StatusOK,
		IndexNo:       "000014349/2021-00001",
		DocNo:         "",
		Publisher:     agency + "办公室",
		Charset:       "utf-8",
		ParserVersion: parser.Version,
	}
	add := func(metric string, a metrics.Applicant, v float64, row string) {
		r.Facts = append(r.Facts, parser.Fact{Metric: metric, Applicant: a, Value: v,
			Locator: parser.Locator{Table: "table3", Row: row, Column: string(a)}})
	}
	add(metrics.RequestsNew, metrics.Total, newRequests, "一、本年新收政府信息公开申请数量")
	add(metrics.RequestsCarriedOver, metrics.Total, 2, "二、上年结转政府信息公开申请数量")
	add(metrics.OutcomeTotal, metrics.Total, newRequests, "（七）总计")
	r.Facts[len(r.Facts)-1].Derived = true
	add(metrics.RequestsCarriedForward, metrics.Total, 2, "四、结转下年度继续办理")
	add(metrics.RequestsNew, metrics.NaturalPerson, newRequests-1, "一、本年新收政府信息公开申请数量")
	r.Facts = append(r.Facts, parser.Fact{Metric: metrics.ProactiveItems, Applicant: metrics.Total, Value: 82,
		Approximate: true, Locator: parser.Locator{Start: 120, End: 131, Text: "共公开政府信息82余条"}})
	r.Alternates = []parser.Fact{
		{Metric: metrics.ProactiveItems, Applicant: metrics.Total, Value: 80,
			Locator: parser.Locator{Start: 10, End: 18, Text: "主动公开信息80条"}},
		{Metric: metrics.ProactiveItems, Applicant: metrics.Total, Value: 82,
			Locator: parser.Locator{Table: "table2", Row: "总计"}},
	}
	r.Checks = metrics.Verify(r.Values())
	r.Checks = append(r.Checks, metrics.Check{Name: metrics.CheckOutcomeSum, Metric: metrics.OutcomeTotal,
		Applicant: metrics.Total, OK: false, Expected: newRequests, Actual: newRequests - 1})
	return r
}

// sampleLoad wraps a report with provenance.
func sampleLoad(r *parser.Report, digest string, fetched time.Time) ReportLoad {
	return ReportLoad{
		Report:        r,
		CaptureID:     CaptureID(r.Source, fetched, digest),
		PayloadDigest: digest,
		FetchedAt:     fetched,
		WARCFile:      "nianbao-20240101-00000.warc.gz",
		WARCOffset:    4096,
		Source:        Registration{Name: "三滩县人民政府", Level: parser.LevelCounty, RegionCode: "620421"},
	}
}

// errorsIs is errors.Is with a failure message naming both errors.
func errorsIs(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v does not match %v", err, target)
	}
}
