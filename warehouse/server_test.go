package warehouse

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestClickHouse18 is the server transport against Debian's ClickHouse
// 18.16 (scripts/clickhouse-test-server start DIR prints the DSN for
// NIANBAO_TEST_CLICKHOUSE18_DSN). The rest of the suite also runs there
// when the variable is set; this test makes its absence visible, and a
// failure under NIANBAO_TEST_REQUIRE=1.
func TestClickHouse18(t *testing.T) {
	dsn := os.Getenv(envCH18)
	if dsn == "" {
		skipOrFail(t, "%s not set (scripts/clickhouse-test-server start DIR prints one)", envCH18)
	}
	w := openServerWarehouse(t, dsn)
	if !strings.HasPrefix(w.Engine(), "clickhouse 18.") {
		t.Fatalf("Engine() = %q, want a ClickHouse 18 server", w.Engine())
	}
	migrate(t, w)
	ctx := context.Background()

	// A batch INSERT that names its columns (18.16 answers a bare INSERT
	// with an empty header), then the rows back.
	fetched := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	caps := make([]Capture, 1000)
	for i := range caps {
		caps[i] = Capture{URL: fmt.Sprintf("https://x.gov.cn/%04d.html", i), FetchedAt: fetched, Status: 200,
			PayloadDigest: fmt.Sprintf("sha1:%d", i), Kind: "list", Source: Registration{Name: "某市"}}
	}
	if err := w.WriteCaptures(ctx, caps); err != nil {
		t.Fatalf("WriteCaptures: %v", err)
	}
	if n := count(t, w, "captures_current"); n != 1000 {
		t.Errorf("captures_current = %d rows, want 1000", n)
	}
	r := mustQuery(t, w, "SELECT url, fetched_at, status, source_name FROM captures_current ORDER BY url LIMIT 1")
	want := [][]any{{"https://x.gov.cn/0000.html", fetched, uint64(200), "某市"}}
	if !reflect.DeepEqual(r.Rows, want) {
		t.Errorf("first capture = %#v, want %#v", r.Rows, want)
	}
}

// TestClickHouse18ReadOnlyUser: Query works for a user the server holds to
// readonly = 1, and the server refuses its writes. (Open leaves the
// readonly setting alone for such a user: newer servers refuse even to
// have it restated; 18.16 ignores it.)
func TestClickHouse18ReadOnlyUser(t *testing.T) {
	dsn := os.Getenv(envCH18)
	if dsn == "" {
		skipOrFail(t, "%s not set (scripts/clickhouse-test-server start DIR prints one)", envCH18)
	}
	admin := openServerWarehouse(t, dsn)
	migrate(t, admin)
	ctx := context.Background()
	rep := sampleReport("https://x.gov.cn/a.html", "甲县人民政府", "620401", 2023, 7)
	if err := admin.WriteReports(ctx, []ReportLoad{sampleLoad(rep, "sha1:A", time.Now())}); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(admin.cfg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User("reader") // scripts/clickhouse-test-server's read-only user
	cfg := DefaultConfig()
	cfg.DSN = u.String()
	reader := openWarehouse(t, cfg)
	if n := count(t, reader, "reports_latest"); n != 1 {
		t.Errorf("reader sees %d reports, want 1", n)
	}
	if _, err := reader.eng.queryReadOnly(ctx, "INSERT INTO reports (report_id) SELECT 'x'"); err == nil {
		t.Error("the server let a read-only user insert")
	}
}
