package dashboards

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

// TestAsPublishedVersions runs as_published on hand-built report versions
// of one county's 2023 reports, on the day before, of and after each
// change:
//   - a URL first captured on 10 January, parsed by two parser versions
//     (the later parse is the one shown), then silently edited on 15
//     February;
//   - a URL captured on 20 January and loaded twice (one row shown).
func TestAsPublishedVersions(t *testing.T) {
	ctx := context.Background()
	w := openWarehouse(t, warehouse.DefaultConfig())
	src := warehouse.Registration{Name: "靖远县人民政府", Level: "county", RegionCode: "620421"}
	edited, twice := "http://www.jingyuan.gov.cn/zwgk/2024/a.html", "http://www.jingyuan.gov.cn/zwgk/2024/b.html"
	// The edit states fewer figures than the first version, which the
	// choice among an agency's reports would otherwise prefer.
	report := func(url, agency, parserVersion string, figures ...float64) *parser.Report {
		r := &parser.Report{Source: url, Title: agency + "2023年政府信息公开工作年度报告", Agency: agency,
			Level: "county", RegionCode: "620421", Year: 2023, PublishedAt: "2024-01-08",
			Template: parser.TemplateTable2021, Format: parser.FormatHTML, Status: parser.StatusOK, ParserVersion: parserVersion}
		for i, v := range figures {
			m := []string{metrics.OutcomeTotal, metrics.RequestsNew}[i]
			r.Facts = append(r.Facts, parser.Fact{Metric: m, Applicant: metrics.Total, Value: v,
				Locator: parser.Locator{Table: "table3", Row: m, Column: "total"}})
		}
		return r
	}
	capture := func(url, digest, at string) (warehouse.Capture, time.Time) {
		fetched := day(t, at).Add(9 * time.Hour)
		return warehouse.Capture{URL: url, FetchedAt: fetched, Status: 200, PayloadDigest: digest, PayloadLength: 900,
			WARCFile: "t.warc.gz", Kind: "page", Source: src}, fetched
	}
	load := func(r *parser.Report, digest string, at time.Time) warehouse.ReportLoad {
		return warehouse.ReportLoad{Report: r, PayloadDigest: digest, FetchedAt: at, WARCFile: "t.warc.gz", Source: src}
	}
	c1, at1 := capture(edited, "sha1:A", "2024-01-10")
	c2, at2 := capture(edited, "sha1:B", "2024-02-15")
	c3, at3 := capture(twice, "sha1:C", "2024-01-20")
	c4, _ := capture(edited, "sha1:B", "2024-03-01") // a revisit: unchanged
	if err := w.WriteCaptures(ctx, []warehouse.Capture{c1, c2, c3, c4}); err != nil {
		t.Fatal(err)
	}
	// One WriteReports per parse, in the order a crawl and a reparse
	// would: each load is a later version than the one before.
	for _, l := range []warehouse.ReportLoad{
		load(report(edited, "靖远县人民政府", "p1", 10, 10), "sha1:A", at1),
		load(report(twice, "靖远县教育局", "p1", 7), "sha1:C", at3),
		load(report(edited, "靖远县人民政府", "p2", 11, 11), "sha1:A", at1),
		load(report(edited, "靖远县人民政府", "p2", 12), "sha1:B", at2),
		load(report(twice, "靖远县教育局", "p1", 7), "sha1:C", at3),
	} {
		if err := w.WriteReports(ctx, []warehouse.ReportLoad{l}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Refresh(ctx, day(t, "2024-06-01")); err != nil {
		t.Fatal(err)
	}
	q, err := Get("as_published")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		date string
		want map[string]string // report URL → parser version and payload
	}{
		{"2024-01-09", map[string]string{}},
		{"2024-01-10", map[string]string{edited: "p2 sha1:A"}},
		{"2024-01-20", map[string]string{edited: "p2 sha1:A", twice: "p1 sha1:C"}},
		{"2024-02-14", map[string]string{edited: "p2 sha1:A", twice: "p1 sha1:C"}},
		{"2024-02-15", map[string]string{edited: "p2 sha1:B", twice: "p1 sha1:C"}},
		{"2024-05-01", map[string]string{edited: "p2 sha1:B", twice: "p1 sha1:C"}},
	} {
		sql, err := warehouse.Bind(q.SQL, map[string]string{"region": "620421", "year": "2023", "date": tc.date})
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.date, err)
		}
		got := map[string]any{}
		for _, row := range res.Rows {
			url := fmt.Sprint(row[9])
			if _, dup := got[url]; dup {
				t.Errorf("%s: %s listed twice", tc.date, url)
			}
			got[url] = row[2]
		}
		want := map[string]any{}
		for url, v := range tc.want {
			var pv, digest string
			fmt.Sscan(v, &pv, &digest)
			want[url] = warehouse.ReportID(url, digest, pv)
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: reports %v, want %v (%v)", tc.date, got, want, tc.want)
		}
	}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
