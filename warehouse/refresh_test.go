package warehouse

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse/compliance"
)

// built is a hand-built report and the captures that fetched it.
type built struct {
	report  *parser.Report
	source  Registration
	fetches []time.Time // each a capture of the URL with a payload of its own when edited
	edited  bool
}

// mkReport returns a report with the given Total-column figures and the
// identity checks they satisfy or break.
func mkReport(url, agency, level string, year int, published string, figs map[string]float64) *parser.Report {
	r := &parser.Report{
		Source: url, Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", agency, year), Agency: agency, Level: level,
		Year: year, PublishedAt: published, Template: parser.TemplateTable2021, Format: parser.FormatHTML,
		Status: parser.StatusOK, ParserVersion: parser.Version,
	}
	keys := make([]string, 0, len(figs))
	for k := range figs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.Facts = append(r.Facts, parser.Fact{Metric: k, Applicant: metrics.Total, Value: figs[k],
			Locator: parser.Locator{Table: "table3", Row: k, Column: "total"}})
	}
	r.Checks = metrics.Verify(r.Values())
	if len(r.Checks) == 0 && len(figs) > 0 {
		r.Checks = []metrics.Check{{Name: metrics.CheckReviewSum, Metric: "reviews.total", Applicant: metrics.Total, OK: true}}
	}
	return r
}

// load writes the captures and reports of bs.
func loadBuilt(t *testing.T, w *Warehouse, bs []built) {
	t.Helper()
	ctx := context.Background()
	var caps []Capture
	var loads []ReportLoad
	for _, b := range bs {
		for i, at := range b.fetches {
			digest := "sha1:" + shortHash(b.report.Source)
			if b.edited {
				digest = fmt.Sprintf("sha1:%s-%d", shortHash(b.report.Source), i)
			}
			caps = append(caps, Capture{URL: b.report.Source, FetchedAt: at, Status: 200, PayloadDigest: digest,
				PayloadLength: 1000, WARCFile: "t.warc.gz", WARCOffset: int64(100 * i), Kind: "page", Source: b.source})
			if i == len(b.fetches)-1 || b.edited {
				loads = append(loads, ReportLoad{Report: b.report, SourceURL: b.report.Source, PayloadDigest: digest,
					FetchedAt: at, WARCFile: "t.warc.gz", WARCOffset: int64(100 * i), Source: b.source})
			}
		}
	}
	if err := w.WriteCaptures(ctx, caps); err != nil {
		t.Fatalf("WriteCaptures: %v", err)
	}
	if err := w.WriteReports(ctx, loads); err != nil {
		t.Fatalf("WriteReports: %v", err)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// complianceCase is the hand-built county of TestRefreshCompliance: 靖远县
// (620421) and two of its departments, and 博白县 (450923) whose province
// sets a 31 January township deadline; every report on 2023 unless named.
func complianceCase() []built {
	county := Registration{Name: "靖远县人民政府", Level: "county", RegionCode: "620421"}
	bobai := Registration{Name: "博白县人民政府", Level: "county", RegionCode: "450923"}
	full := func(extra map[string]float64) map[string]float64 {
		m := map[string]float64{"proactive.items": 40, "requests.new": 12, "reviews.total": 0}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	rate := func(granted, partial, answered float64) map[string]float64 {
		return full(map[string]float64{"outcome.granted": granted, "outcome.partial": partial, "outcome.total": answered,
			"outcome.refused": answered - granted - partial})
	}
	u := func(s string) string { return "https://www.jingyuan.gov.cn/zwgk/" + s + ".html" }
	at := func(s string) []time.Time { return []time.Time{day(s).Add(10 * time.Hour)} }
	bad := mkReport(u("wuhe"), "五合镇人民政府", "township", 2023, "2024-01-20", full(nil))
	bad.Checks = append(bad.Checks, metrics.Check{Name: metrics.CheckRequestsBalance, Applicant: metrics.Total,
		Expected: 14, Actual: 13})
	nodata := mkReport(u("mitan"), "糜滩镇人民政府", "township", 2023, "2024-01-20", nil)
	nodata.Status = parser.StatusNoData
	old := mkReport(u("beiwan2018"), "北湾镇人民政府", "township", 2018, "2019-03-31", full(nil)) // no fees: Art. 32 wants them
	return []built{
		{report: mkReport(u("beiwan"), "北湾镇人民政府", "township", 2023, "2024-03-31", rate(8, 0, 10)), source: county, fetches: at("2024-04-05")},
		{report: mkReport(u("beiwan2022"), "北湾镇人民政府", "township", 2022, "2023-01-10", func() map[string]float64 {
			m := rate(5, 0, 10)
			m["requests.new"] = 7
			return m
		}()), source: county, fetches: at("2023-02-01")},
		{report: mkReport(u("dongwan"), "东湾镇人民政府", "township", 2023, "2024-04-01", rate(5, 1, 10)), source: county, fetches: at("2024-04-02")},
		{report: mkReport(u("wulan"), "乌兰镇人民政府", "township", 2023, "", rate(9, 0, 10)), source: county,
			fetches: []time.Time{day("2024-03-31").Add(23*time.Hour + 59*time.Minute)}},
		{report: mkReport(u("liuchuan"), "刘川镇人民政府", "township", 2023, "", full(nil)), source: county, fetches: at("2024-04-01")},
		{report: mkReport(u("beitan"), "北滩镇人民政府", "township", 2023, "2024-01-20",
			map[string]float64{"proactive.items": 5, "requests.new": 0}), source: county, fetches: at("2024-01-25")},
		{report: bad, source: county, fetches: at("2024-01-25")},
		{report: mkReport(u("dalu"), "大芦镇人民政府", "township", 2023, "2024-01-15", full(nil)), source: county,
			fetches: []time.Time{day("2024-02-01"), day("2024-05-01")}, edited: true},
		{report: nodata, source: county, fetches: at("2024-01-25")},
		{report: old, source: county, fetches: at("2019-04-02")},
		{report: mkReport(u("jiaoyu"), "靖远县教育局", "department", 2023, "2024-01-31", full(nil)), source: county, fetches: at("2024-02-10")},
		{report: mkReport(u("caizheng"), "靖远县财政局", "department", 2023, "2024-02-01", full(nil)), source: county, fetches: at("2024-02-10")},
		{report: mkReport(u("jiaoyu2018"), "靖远县教育局", "department", 2018, "2019-03-31", full(map[string]float64{"fees.amount": 0})),
			source: county, fetches: at("2019-04-10")},
		{report: mkReport("https://www.bobai.gov.cn/santan.html", "三滩镇人民政府", "township", 2023, "2024-01-31", full(nil)), source: bobai, fetches: at("2024-02-10")},
		{report: mkReport("https://www.bobai.gov.cn/bobai.html", "博白镇人民政府", "township", 2023, "2024-02-01", full(nil)), source: bobai, fetches: at("2024-02-10")},
		{report: mkReport("https://mirror.example.cn/santan.html", "三滩镇人民政府", "township", 2023, "2024-01-20", full(nil)),
			source: Registration{Name: "某镜像站"}, fetches: at("2024-02-10")},
	}
}

// openRefreshCase opens a warehouse holding complianceCase.
func openRefreshCase(t *testing.T, w *Warehouse) {
	t.Helper()
	w.cfg.Compliance = compliance.Config{TownshipDeadlines: "45=01-31", GraceDays: 30, FirstYear: 2022,
		Expect: compliance.ExpectAll}
	migrate(t, w)
	ctx := context.Background()
	err := w.WriteSources(ctx, []Source{
		{Name: "靖远县人民政府", Level: "county", RegionCode: "620421", StartURLs: []string{"https://www.jingyuan.gov.cn/"}},
		{Name: "靖远县教育局", Level: "department", RegionCode: "620421", StartURLs: []string{"https://www.jingyuan.gov.cn/jyj/"}},
		{Name: "靖远县财政局", Level: "department", RegionCode: "620421", StartURLs: []string{"https://www.jingyuan.gov.cn/czj/"}},
	})
	if err != nil {
		t.Fatalf("WriteSources: %v", err)
	}
	loadBuilt(t, w, complianceCase())
	loadBuilt(t, w, complianceCase()) // twice: nothing may count twice
}

func TestRefreshCompliance(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		openRefreshCase(t, w)
		start := time.Now()
		res, err := w.Refresh(context.Background(), day("2024-06-01"))
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		t.Logf("Refresh took %v", time.Since(start))
		if res.FirstYear != 2022 || res.LastYear != 2023 || res.Reports != 16 {
			t.Errorf("Refresh = %+v, want years 2022-2023 and 16 agency-years with a report", res)
		}
		checkComplianceCase(t, w)
		checkLatestAgree(t, w)
	})
}

// TestRefreshExpectScope checks which agencies reports are expected from:
// under ExpectRegistered, the registered county (靖远县), its townships and
// its registered departments, and nothing outside it; under ExpectAll,
// every division with a government.
func TestRefreshExpectScope(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		openRefreshCase(t, w)
		ctx := context.Background()
		scope := func() []any {
			t.Helper()
			return mustQuery(t, w, `SELECT countIf(expected = 1), countIf(expected = 1 AND NOT startsWith(region_code, '620421')),
       countIf(expected = 1 AND level = 'township'), countIf(expected = 1 AND level = 'department'),
       countIf(expected = 1 AND agency_id = '620422100')
FROM agency_years WHERE year = 2023`).Rows[0]
		}
		w.cfg.Compliance.Expect = compliance.ExpectRegistered
		if _, err := w.Refresh(ctx, day("2024-06-01")); err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		// 靖远县: the county, 18 townships, 2 departments.
		if got, want := fmt.Sprint(scope()), "[21 0 18 2 0]"; got != want {
			t.Errorf("registered scope: expected, outside 620421, townships, departments, 620422100 = %s, want %s", got, want)
		}
		w.cfg.Compliance.Expect = compliance.ExpectAll
		res, err := w.Refresh(ctx, day("2024-06-01"))
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		got := scope()
		if n := got[0].(uint64); n < 40000 || got[4].(uint64) != 1 {
			t.Errorf("all: expected %d agencies (620422100: %v), want every division (over 40,000)", n, got[4])
		}
		if res.Reports != 16 {
			t.Errorf("all: %d agency-years with a report, want 16", res.Reports)
		}
	})
}

// checkLatestAgree: Refresh chooses the report reports_latest chooses for
// every agency and year.
func checkLatestAgree(t *testing.T, w *Warehouse) {
	t.Helper()
	fromRefresh := mustQuery(t, w, "SELECT agency_key, year, report_id FROM agency_years WHERE report_id != '' ORDER BY agency_key, year").Rows
	fromView := mustQuery(t, w, "SELECT agency_key, assumeNotNull(year), report_id FROM reports_latest ORDER BY agency_key, year").Rows
	if !reflect.DeepEqual(fromRefresh, fromView) {
		t.Errorf("agency_years reports =\n%v\nreports_latest =\n%v", fromRefresh, fromView)
	}
}

// checkComplianceCase checks the compliance outcomes of complianceCase,
// refreshed as of 2024-06-01, read through w.
func checkComplianceCase(t *testing.T, w *Warehouse) {
	t.Helper()
	r := mustQuery(t, w, `SELECT agency_key, year, rule, outcome FROM compliance
	WHERE (county_code IN ('620421', '450923') OR agency_id = '') AND outcome != 'n/a'
	  AND (report_id != '' OR agency_id IN ('620421109', '620421'))
	ORDER BY agency_key, year, rule`)
	got := map[string]string{}
	for _, row := range r.Rows {
		got[fmt.Sprintf("%s %d %s", row[0], row[1], row[2])] = row[3].(string)
	}
	pass := func(key string, year int, except map[string]string) {
		for _, rule := range compliance.Rules() {
			want := "pass"
			if o, ok := except[rule]; ok {
				want = o
			}
			k := fmt.Sprintf("%s %d %s", key, year, rule)
			if want == "n/a" {
				if o, ok := got[k]; ok {
					t.Errorf("%s = %s, want n/a", k, o)
				}
			} else if got[k] != want {
				t.Errorf("%s = %q, want %s", k, got[k], want)
			}
			delete(got, k)
		}
	}
	// Townships of 靖远县 (甘肃, default deadline 2024-03-31, due by 2024-04-30).
	pass("620421101", 2023, nil)                                     // published on the deadline
	pass("620421101", 2022, nil)                                     // its previous year
	pass("620421102", 2023, map[string]string{"on_time": "fail"})    // published the day after
	pass("620421103", 2023, nil)                                     // no date; captured at 23:59 on the deadline
	pass("620421104", 2023, map[string]string{"on_time": "unknown"}) // no date; captured the day after
	pass("620421105", 2023, map[string]string{"incomplete": "fail"}) // no reviews section
	pass("620421106", 2023, map[string]string{"inconsistent": "fail"})
	pass("620421107", 2023, map[string]string{"edited": "fail"})
	pass("620421108", 2023, map[string]string{"no_data": "fail", "incomplete": "n/a", "inconsistent": "unknown"})
	pass("620421109", 2023, map[string]string{"on_time": "n/a", "missing": "fail", "incomplete": "n/a",
		"inconsistent": "n/a", "edited": "n/a", "no_data": "n/a"})
	pass("620421", 2023, map[string]string{"on_time": "n/a", "missing": "fail", "incomplete": "n/a",
		"inconsistent": "n/a", "edited": "n/a", "no_data": "n/a"})
	pass("620421", 2022, map[string]string{"on_time": "n/a", "missing": "fail", "incomplete": "n/a",
		"inconsistent": "n/a", "edited": "n/a", "no_data": "n/a"})
	pass("620421109", 2022, map[string]string{"on_time": "n/a", "missing": "fail", "incomplete": "n/a",
		"inconsistent": "n/a", "edited": "n/a", "no_data": "n/a"})
	// 2018 (Art. 31): 31 March for everyone; fees required. Not expected
	// (first year 2022), so missing is n/a.
	pass("620421101", 2018, map[string]string{"missing": "n/a", "incomplete": "fail"})
	pass("620421/靖远县教育局", 2018, map[string]string{"missing": "n/a"})
	// Departments: 31 January.
	pass("620421/靖远县教育局", 2023, nil)
	pass("620421/靖远县财政局", 2023, map[string]string{"on_time": "fail"})
	// 博白县 (广西, township deadline configured 01-31).
	pass("450923109", 2023, nil)
	pass("450923100", 2023, map[string]string{"on_time": "fail"})
	// The mirror's 三滩镇 names no region: ambiguous, judged by the
	// default township deadline, expected by nobody.
	for k, v := range got {
		if k[:5] == "body:" {
			delete(got, k)
			if v != "pass" {
				t.Errorf("%s = %s, want pass", k, v)
			}
		}
	}
	for k, v := range got {
		t.Errorf("unexpected compliance row %s = %s", k, v)
	}

	// The ambiguity is recorded.
	r = mustQuery(t, w, `SELECT match_status, match_candidates FROM reports_latest WHERE source_url LIKE 'https://mirror.%'`)
	if want := [][]any{{"ambiguous", []any{"450923109", "620421113"}}}; !reflect.DeepEqual(r.Rows, want) {
		t.Errorf("mirror report match = %v, want %v", r.Rows, want)
	}
	// Deadline and evidence beside the outcome.
	r = mustQuery(t, w, `SELECT deadline, due_by, deadline_rule, evidence, evidence_date, first_seen, payloads, reports
	FROM agency_years WHERE agency_id = '620421107' AND year = 2023`)
	want := [][]any{{"2024-03-31", "2024-04-30", compliance.DeadlineTownshipDefault, "published_at", "2024-01-15",
		day("2024-02-01"), uint64(2), uint64(1)}}
	if !reflect.DeepEqual(r.Rows, want) {
		t.Errorf("大芦镇 2023 = %v, want %v", r.Rows, want)
	}
}

// TestRefreshMissingBoundary: an absent report is pending through its
// due-by day (deadline + grace) and missing the day after.
func TestRefreshMissingBoundary(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		openRefreshCase(t, w)
		ctx := context.Background()
		for _, tc := range []struct{ asOf, township, department string }{
			{"2024-03-01", "unknown", "unknown"}, // department due by 2024-03-01 (31 January + 30 days)
			{"2024-03-02", "unknown", "fail"},
			{"2024-04-30", "unknown", "fail"}, // township due by 2024-04-30
			{"2024-05-01", "fail", "fail"},
		} {
			if _, err := w.Refresh(ctx, day(tc.asOf)); err != nil {
				t.Fatal(err)
			}
			r := mustQuery(t, w, `SELECT agency_id, outcome FROM compliance
				WHERE rule = 'missing' AND year = 2023 AND agency_id IN ('620421109', '620421/靖远县财政局', '620421/靖远县教育局')
				ORDER BY agency_id`)
			want := [][]any{{"620421/靖远县教育局", "pass"}, {"620421/靖远县财政局", "pass"}, {"620421109", tc.township}}
			if !reflect.DeepEqual(r.Rows, want) {
				t.Errorf("as of %s: missing = %v, want %v", tc.asOf, r.Rows, want)
			}
		}
		// Only the latest refresh is kept.
		if n := count(t, w, "refreshes"); n != 4 {
			t.Errorf("%d refreshes recorded, want 4", n)
		}
		latest := scalar(t, w, "SELECT max(refresh) FROM refreshes")
		for _, p := range publications() {
			r := mustQuery(t, w, "SELECT DISTINCT refresh FROM "+p.name)
			if len(r.Rows) != 1 || r.Rows[0][0] != latest {
				t.Errorf("%s holds refreshes %v, want only the latest, %v", p.name, r.Rows, latest)
			}
			if n := count(t, w, p.next.name); n != 0 {
				t.Errorf("%s holds %d rows after the refresh", p.next.name, n)
			}
		}
		if n := count(t, w, "agency_year_stage"); n != 0 {
			t.Errorf("agency_year_stage holds %d rows after the refresh", n)
		}
		checkTimeline(t, w)
		// The refresh stops the stage's merges while it runs and starts
		// them again: two parts written now merge into one.
		for range 2 {
			if err := w.eng.exec(ctx, "INSERT INTO agency_year_stage (refresh, agency_key) SELECT 90, 'x'"); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.eng.exec(ctx, "OPTIMIZE TABLE agency_year_stage FINAL"); err != nil {
			t.Errorf("agency_year_stage cannot be merged after the refresh: %v", err)
		}
		r := mustQuery(t, w, "SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'agency_year_stage' AND active")
		if n := r.Rows[0][0].(uint64); n != 1 {
			t.Errorf("agency_year_stage has %d active parts after OPTIMIZE, want 1: its merges stayed stopped", n)
		}
		if err := w.eng.exec(ctx, "ALTER TABLE agency_year_stage DROP PARTITION 90"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestReportStats(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		openRefreshCase(t, w)
		if _, err := w.Refresh(context.Background(), day("2024-06-01")); err != nil {
			t.Fatal(err)
		}
		r := mustQuery(t, w, `SELECT agency_id, answered, grant_rate, grant_rate_rank, refusal_rate_rank, peers, peers_expected,
			prev_grant_rate, grant_rate_change, requests_new_change
			FROM report_stats WHERE county_code = '620421' AND level = 'township' AND year = 2023 AND answered IS NOT NULL
			ORDER BY agency_id`)
		f := func(x float64) any { return x }
		want := [][]any{
			{"620421101", f(10), f(0.8), uint64(2), uint64(2), uint64(8), uint64(18), f(0.5), f(0.8 - 0.5), f(5)},
			{"620421102", f(10), f(0.6), uint64(3), uint64(1), uint64(8), uint64(18), nil, nil, nil},
			{"620421103", f(10), f(0.9), uint64(1), uint64(3), uint64(8), uint64(18), nil, nil, nil},
		}
		if !approxRows(r.Rows, want) {
			t.Errorf("report_stats =\n%v\nwant\n%v", r.Rows, want)
		}
		// Completeness: every township of 靖远县 is expected for 2023.
		r = mustQuery(t, w, `SELECT count(), countIf(present) FROM expected_reports
			WHERE county_code = '620421' AND level = 'township' AND year = 2023`)
		if want := [][]any{{uint64(18), uint64(8)}}; !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("expected/present townships = %v, want %v", r.Rows, want)
		}
	})
}

// approxRows compares rows, floats within 1e-9.
func approxRows(got, want [][]any) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return false
		}
		for j := range got[i] {
			g, gok := got[i][j].(float64)
			w, wok := want[i][j].(float64)
			if gok && wok {
				if math.Abs(g-w) > 1e-9 {
					return false
				}
				continue
			}
			if !reflect.DeepEqual(got[i][j], want[i][j]) {
				return false
			}
		}
	}
	return true
}

// checkTimeline checks that agency_timeline holds agency_years' rows, in
// its columns, and that there are some.
func checkTimeline(t *testing.T, w *Warehouse) {
	t.Helper()
	cols := columnNames(agencyTimelineTable.cols)
	want := mustQuery(t, w, "SELECT "+cols+" FROM agency_years ORDER BY agency_key, year")
	got := mustQuery(t, w, "SELECT "+cols+" FROM agency_timeline ORDER BY agency_key, year")
	if len(want.Rows) == 0 || !reflect.DeepEqual(got.Rows, want.Rows) {
		t.Errorf("agency_timeline holds %d rows, agency_years %d: want the same, and some", len(got.Rows), len(want.Rows))
	}
}

// TestOrderKey checks that orderKey with hexAsc and hexDesc parts sorts
// rows as the tuple of their values does, on every engine: zero, widths
// whose hex drops leading zero bytes, and each type's maximum, in both
// directions.
func TestOrderKey(t *testing.T) {
	type row struct {
		a uint16 // descending
		b uint32 // ascending
		c uint64 // ascending
		e uint32 // descending
		d string // ascending, the last part
	}
	rows := []row{
		{0, 0, 0, 0, "a"}, {0, 0, 0, 0, "b"}, {0, 0, 0, 1, "a"}, {0, 0, 0, 256, "a"},
		{0, 0, 0, math.MaxUint32, "a"}, {0, 0, 1, 0, "a"}, {0, 0, 255, 0, "a"}, {0, 0, 256, 0, "a"},
		{0, 0, 1 << 56, 0, "a"}, {0, 0, math.MaxUint64, 0, "a"}, {0, 1, 0, 0, "a"}, {0, 255, 0, 0, "a"},
		{0, 256, 0, 0, "a"}, {0, 65536, 0, 0, "a"}, {0, math.MaxUint32, 0, 0, "a"}, {1, 0, 0, 0, "a"},
		{255, 0, 0, 0, "a"}, {256, 0, 0, 0, "a"}, {math.MaxUint16, 0, 0, 0, ""}, {math.MaxUint16, 0, 0, 0, "a"},
	}
	var values []string
	for i, r := range rows {
		values = append(values, fmt.Sprintf("(%d, toUInt16(%d), toUInt32(%d), toUInt64(%d), toUInt32(%d), '%s')",
			i, r.a, r.b, r.c, r.e, r.d))
	}
	key := orderKey(hexDesc("a", 16), hexAsc("b", 32), hexAsc("c", 64), hexDesc("e", 32), "d")
	sql := fmt.Sprintf(`SELECT groupArray(i) FROM (
    SELECT i FROM (SELECT tupleElement(t, 1) AS i, tupleElement(t, 2) AS a, tupleElement(t, 3) AS b,
                          tupleElement(t, 4) AS c, tupleElement(t, 5) AS e, tupleElement(t, 6) AS d
                   FROM (SELECT arrayJoin([%s]) AS t))
    ORDER BY %s)`, strings.Join(values, ", "), key)
	want := make([]int, len(rows))
	for i := range want {
		want[i] = i
	}
	slices.SortStableFunc(want, func(x, y int) int {
		a, b := rows[x], rows[y]
		return cmp.Or(cmp.Compare(b.a, a.a), cmp.Compare(a.b, b.b), cmp.Compare(a.c, b.c), cmp.Compare(b.e, a.e),
			strings.Compare(a.d, b.d))
	})
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		got := fmt.Sprint(scalar(t, w, sql))
		if w := fmt.Sprint(want); got != w {
			t.Errorf("rows by key = %s, want %s (by tuple)", got, w)
		}
	})
}
