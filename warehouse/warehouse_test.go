package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
)

// The suite below runs on every transport transports() offers: chdb, and
// ClickHouse servers named by NIANBAO_TEST_CLICKHOUSE18_DSN and
// NIANBAO_TEST_CLICKHOUSE_DSN.

func TestMigrate(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if v, err := w.SchemaVersion(ctx); err != nil || v != 0 {
			t.Fatalf("SchemaVersion before Migrate = %d, %v; want 0, nil", v, err)
		}
		migrate(t, w)
		migrate(t, w) // idempotent
		latest := migrations()[len(migrations())-1].version
		if v, err := w.SchemaVersion(ctx); err != nil || v != latest {
			t.Fatalf("SchemaVersion = %d, %v; want %d, nil", v, err, latest)
		}
		if n := count(t, w, "schema_migrations"); n != uint64(latest) {
			t.Errorf("schema_migrations has %d rows after two Migrates, want %d", n, latest)
		}
		r := mustQuery(t, w, "SHOW TABLES")
		var got []string
		for _, row := range r.Rows {
			got = append(got, row[0].(string))
		}
		want := append(Tables(), Views()...)
		for _, name := range want {
			if !slices.Contains(got, name) {
				t.Errorf("SHOW TABLES = %v, missing %s", got, name)
			}
		}
	})
}

// TestSchemaMatchesLoader checks that the DDL the migrations ran and the
// column lists the loader inserts agree, name and type.
func TestSchemaMatchesLoader(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		migrate(t, w)
		for _, tb := range loaderTables() {
			r := mustQuery(t, w, "DESCRIBE TABLE "+tb.name)
			var got, want []string
			for _, row := range r.Rows {
				got = append(got, row[0].(string)+" "+row[1].(string))
			}
			for _, c := range tb.cols {
				want = append(want, c.name+" "+c.typ.String())
			}
			if !slices.Equal(got, want) {
				t.Errorf("DESCRIBE %s =\n%v\nloader writes\n%v", tb.name, got, want)
			}
		}
	})
}

func TestLoadAndQuery(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		migrate(t, w)
		fetched := time.Date(2024, 3, 1, 8, 30, 15, 0, time.UTC)
		rep := sampleReport("https://www.santan.gov.cn/zwgk/2023nb.html", "三滩县人民政府", "620421", 2023, 5)
		load := sampleLoad(rep, "sha1:AAAA", fetched)
		load.CaptureID = "" // derived the same way as the capture's
		capture := Capture{
			URL: rep.Source, FetchedAt: fetched, Status: 200, ContentType: "text/html; charset=gbk",
			Charset: "gb18030", PayloadDigest: "sha1:AAAA", PayloadLength: 31337,
			WARCFile: load.WARCFile, WARCOffset: load.WARCOffset, WARCLength: 9000,
			Kind: "report", Depth: 2, Source: load.Source,
		}
		if err := w.WriteCaptures(ctx, []Capture{capture}); err != nil {
			t.Fatalf("WriteCaptures: %v", err)
		}
		if err := w.WriteReports(ctx, []ReportLoad{load}); err != nil {
			t.Fatalf("WriteReports: %v", err)
		}

		if got := scalar(t, w, "SELECT count() FROM reports_latest AS r ALL INNER JOIN captures_current AS c USING capture_id"); got != uint64(1) {
			t.Errorf("report joined to its capture: %v rows, want 1", got)
		}
		r := mustQuery(t, w, `SELECT report_id, source_url, capture_id, agency, level, region_code, year,
			published_at, fetched_at, template, status, parser_version, title, fact_count, checks_failed,
			source_name, body_key, warc_offset FROM reports_latest`)
		want := [][]any{{
			ReportID(rep.Source, "sha1:AAAA", parser.Version), rep.Source, CaptureID(rep.Source, fetched, "sha1:AAAA"),
			"三滩县人民政府", "county", "620421", uint64(2023), "2024-01-28", fetched, "table2021", "ok",
			parser.Version, rep.Title, uint64(len(rep.Facts)), uint64(1), "三滩县人民政府",
			"county:620421:三滩县人民政府", uint64(4096),
		}}
		if !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("reports_latest =\n%#v\nwant\n%#v", r.Rows, want)
		}
		wantTypes := []string{"String", "String", "String", "String", "String", "String", "Nullable(UInt16)",
			"Nullable(Date)", "DateTime", "String", "String", "String", "String", "UInt32", "UInt32",
			"String", "String", "UInt64"}
		if !slices.Equal(r.Types, wantTypes) {
			t.Errorf("reports_latest types = %v, want %v", r.Types, wantTypes)
		}

		r = mustQuery(t, w, `SELECT metric, applicant, value, approximate, derived, loc_table, loc_row, loc_start, loc_end,
			loc_text, year FROM facts_latest ORDER BY metric, applicant`)
		if len(r.Rows) != len(rep.Facts) {
			t.Fatalf("facts_latest has %d rows, want %d", len(r.Rows), len(rep.Facts))
		}
		wantFirst := []any{"outcome.total", "total", 5.0, uint64(0), uint64(1), "table3", "（七）总计", uint64(0), uint64(0), "", uint64(2023)}
		if !reflect.DeepEqual(r.Rows[0], wantFirst) {
			t.Errorf("first fact = %#v, want %#v", r.Rows[0], wantFirst)
		}
		wantProactive := []any{"proactive.items", "total", 82.0, uint64(1), uint64(0), "", "", uint64(120), uint64(131),
			"共公开政府信息82余条", uint64(2023)}
		if !reflect.DeepEqual(r.Rows[1], wantProactive) {
			t.Errorf("proactive fact = %#v, want %#v", r.Rows[1], wantProactive)
		}
		r = mustQuery(t, w, `SELECT metric, applicant, ordinal, value, loc_text, agency FROM alternates_latest
			ORDER BY metric, applicant, ordinal`)
		wantAlt := [][]any{
			{"proactive.items", "total", uint64(1), 80.0, "主动公开信息80条", "三滩县人民政府"},
			{"proactive.items", "total", uint64(2), 82.0, "", "三滩县人民政府"},
		}
		if !reflect.DeepEqual(r.Rows, wantAlt) {
			t.Errorf("alternates_latest = %#v, want %#v", r.Rows, wantAlt)
		}

		if got := scalar(t, w, "SELECT countIf(ok = 0) FROM checks_latest"); got != uint64(1) {
			t.Errorf("failed checks = %v, want 1", got)
		}
		r = mustQuery(t, w, "SELECT url, status, charset, payload_length, kind, depth, fetched_at FROM captures_current")
		wantCap := [][]any{{rep.Source, uint64(200), "gb18030", uint64(31337), "report", uint64(2), fetched}}
		if !reflect.DeepEqual(r.Rows, wantCap) {
			t.Errorf("captures_current = %#v, want %#v", r.Rows, wantCap)
		}
	})
}

// TestLoadTwiceChangesNothing is the idempotence contract: running the
// same crawl twice leaves every view's answers unchanged.
func TestLoadTwiceChangesNothing(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		migrate(t, w)
		fetched := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		var loads []ReportLoad
		var caps []Capture
		for i, body := range []string{"甲镇人民政府", "乙镇人民政府", "丙镇人民政府"} {
			rep := sampleReport("https://x.gov.cn/"+body, body, "62042110"+string(rune('0'+i)), 2022, float64(10*i))
			loads = append(loads, sampleLoad(rep, "sha1:"+body, fetched))
			caps = append(caps, Capture{URL: rep.Source, FetchedAt: fetched, Status: 200, PayloadDigest: "sha1:" + body})
		}
		queries := []string{
			"SELECT count() FROM captures_current",
			"SELECT count() FROM reports_current",
			"SELECT count() FROM reports_latest",
			"SELECT count(), sum(value) FROM facts_latest",
			"SELECT count(), sum(ok) FROM checks_latest",
			"SELECT count() FROM reports",
			"SELECT count() FROM facts",
		}
		snapshot := func() []string {
			var out []string
			for _, q := range queries {
				var b strings.Builder
				if err := mustQuery(t, w, q).Write(&b, FormatCSV); err != nil {
					t.Fatal(err)
				}
				out = append(out, b.String())
			}
			return out
		}
		for range 2 {
			if err := w.WriteCaptures(ctx, caps); err != nil {
				t.Fatal(err)
			}
			if err := w.WriteReports(ctx, loads); err != nil {
				t.Fatal(err)
			}
		}
		once := snapshot()
		if once[2] != "count()\n3\n" {
			t.Fatalf("reports_latest count = %q, want 3", once[2])
		}
		// A second crawl of the same pages, later, with the same payloads.
		later := fetched.Add(24 * time.Hour)
		for i := range loads {
			loads[i].FetchedAt = later
			caps[i].FetchedAt = later
		}
		if err := w.WriteReports(ctx, loads); err != nil {
			t.Fatal(err)
		}
		again := snapshot()
		for i, q := range queries {
			if i == 0 {
				continue // a new crawl is new captures
			}
			if again[i] != once[i] {
				t.Errorf("%s after reloading = %q, before %q", q, again[i], once[i])
			}
		}
		if got := scalar(t, w, "SELECT min(fetched_at) FROM reports_latest"); got != later {
			t.Errorf("reports_latest fetched_at = %v, want the later crawl %v", got, later)
		}
	})
}

// TestReportsArriveSorted: WriteReports sends the rows of every table
// keyed by report_id in the order of that key, and WriteCaptures the
// captures and documents in theirs, whatever order they came in, so the
// engine writes each block as it comes (its own count of blocks it found
// already sorted says so) rather than permuting it first.
func TestReportsArriveSorted(t *testing.T) {
	w := openCHDBWarehouse(t)
	ctx := context.Background()
	migrate(t, w)
	fetched := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var loads []ReportLoad
	for i := range 40 {
		rep := sampleReport(fmt.Sprintf("https://x.gov.cn/%d.html", i), "甲镇人民政府", "620421100", 2022, float64(i))
		loads = append(loads, sampleLoad(rep, fmt.Sprintf("sha1:%d", i), fetched))
	}
	// An alternate whose metric sorts before the report's others.
	rep := loads[0].Report
	rep.Alternates = append(rep.Alternates, parser.Fact{Metric: metrics.OutcomeTotal, Applicant: metrics.Total, Value: 9,
		Locator: parser.Locator{Table: "table3", Row: "（七）总计"}})
	ids, _, err := reportIDs(loads)
	if err != nil {
		t.Fatal(err)
	}
	if slices.IsSorted(ids) {
		t.Fatal("the loads are in report ID order already; the test needs them out of it")
	}
	events := func() (blocks, sorted uint64) {
		r := mustQuery(t, w, `SELECT sumIf(value, event = 'MergeTreeDataWriterBlocks'),
    sumIf(value, event = 'MergeTreeDataWriterBlocksAlreadySorted') FROM system.events`)
		return r.Rows[0][0].(uint64), r.Rows[0][1].(uint64)
	}
	blocks0, sorted0 := events()
	if err := w.WriteReports(ctx, loads); err != nil {
		t.Fatal(err)
	}
	blocks, sorted := events()
	// fact_sets, check_sets, alternate_rows and report_rows.
	if blocks-blocks0 != 4 || sorted-sorted0 != 4 {
		t.Errorf("WriteReports wrote %d blocks, %d of them already sorted; want 4 and 4", blocks-blocks0, sorted-sorted0)
	}
	if got := scalar(t, w, "SELECT groupArray(ordinal) FROM (SELECT ordinal FROM alternate_rows WHERE metric = 'proactive.items' AND report_id = '"+ids[0]+"' ORDER BY ordinal)"); fmt.Sprint(got) != "[1 2]" {
		t.Errorf("report %s's proactive.items alternates have ordinals %v, want [1 2]", ids[0], got)
	}
	if got := count(t, w, "reports"); got != 40 {
		t.Errorf("%d reports, want 40", got)
	}
	var caps []Capture
	for i := range 40 {
		caps = append(caps, Capture{URL: fmt.Sprintf("https://x.gov.cn/%d.html", i), FetchedAt: fetched, Status: 200,
			PayloadDigest: fmt.Sprintf("sha1:%d", 40-i)})
	}
	blocks0, sorted0 = events()
	if err := w.WriteCaptures(ctx, caps); err != nil {
		t.Fatal(err)
	}
	blocks, sorted = events()
	if blocks-blocks0 != 2 || sorted-sorted0 != 2 {
		t.Errorf("WriteCaptures wrote %d blocks, %d of them already sorted; want 2 and 2", blocks-blocks0, sorted-sorted0)
	}
	if got := count(t, w, "captures"); got != 40 {
		t.Errorf("%d captures, want 40", got)
	}
}

// TestReportsLatestChoosesOnePerBody: a body's report reached at two URLs,
// and a page whose bytes change between crawls, still count once.
func TestReportsLatestChoosesOnePerBody(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		migrate(t, w)
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		a := sampleReport("https://x.gov.cn/a.html", "甲县人民政府", "620401", 2023, 7)
		b := sampleReport("https://x.gov.cn/m/a.html", "甲县人民政府", "620401", 2023, 7)
		b.Status = parser.StatusNoData
		c := sampleReport("https://x.gov.cn/c.html", "", "", 2023, 1) // body unknown: keyed by URL
		loads := []ReportLoad{sampleLoad(a, "sha1:A1", t0), sampleLoad(b, "sha1:B1", t0), sampleLoad(c, "sha1:C1", t0)}
		if err := w.WriteReports(ctx, loads); err != nil {
			t.Fatal(err)
		}
		// The page a.html changed bytes (a visit counter) on a later crawl.
		a2 := sampleReport(a.Source, a.Agency, a.RegionCode, 2023, 7)
		if err := w.WriteReports(ctx, []ReportLoad{sampleLoad(a2, "sha1:A2", t0.Add(time.Hour))}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, w, "reports"); n != 4 {
			t.Errorf("reports = %d rows, want 4 distinct parses", n)
		}
		if n := count(t, w, "reports_current"); n != 3 {
			t.Errorf("reports_current = %d rows, want one per URL (3)", n)
		}
		r := mustQuery(t, w, "SELECT source_url, payload_digest FROM reports_latest ORDER BY source_url")
		want := [][]any{{"https://x.gov.cn/a.html", "sha1:A2"}, {"https://x.gov.cn/c.html", "sha1:C1"}}
		if !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("reports_latest = %v, want %v", r.Rows, want)
		}
		if got := scalar(t, w, "SELECT sum(value) FROM facts_latest WHERE metric = 'requests.new' AND applicant = 'total'"); got != 8.0 {
			t.Errorf("sum of requests.new = %v, want 8 (7 + 1, each body once)", got)
		}
	})
}

func TestQueryReadOnly(t *testing.T) {
	refused := []string{
		"INSERT INTO reports (report_id) VALUES ('x')",
		"CREATE TABLE t (a UInt8) ENGINE = Memory",
		"DROP TABLE reports",
		"ALTER TABLE reports DELETE WHERE 1",
		"TRUNCATE TABLE facts",
		"OPTIMIZE TABLE reports FINAL",
		"SET readonly = 0",
		"SYSTEM STOP MERGES",
		"SELECT 1; DROP TABLE reports",
		"SELECT 1;\nINSERT INTO reports (report_id) VALUES ('x')",
		"/* SELECT */ DROP TABLE reports",
		"-- SELECT\nDROP TABLE reports",
		"(SELECT 1); DROP TABLE reports",
		"SELECT 1 INTO OUTFILE '/tmp/nianbao-test-outfile'",
		"RENAME TABLE reports TO r2",
		"DETACH TABLE reports",
		"KILL QUERY WHERE 1",
		"ATTACH TABLE reports",
	}
	accepted := []string{
		"SELECT 1",
		"select count() from reports_latest;",
		"  -- a comment\n  SELECT 'DROP TABLE reports' AS s",
		"WITH 2 AS x SELECT x",
		"(SELECT 1) UNION ALL (SELECT 2)",
		"SHOW TABLES",
		"DESCRIBE TABLE reports",
		"DESC facts",
		"EXISTS TABLE reports",
		"SELECT format FROM reports",
		"SELECT 1 SETTINGS max_threads = 1",
	}
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		migrate(t, w)
		for _, q := range refused {
			_, err := w.Query(ctx, q)
			if !errors.Is(err, ErrReadOnly) {
				t.Errorf("Query(%q) error = %v, want ErrReadOnly", q, err)
			}
		}
		// Twice: the second time chdb remembers the classification.
		for range 2 {
			for _, q := range accepted {
				if _, err := w.Query(ctx, q); err != nil {
					t.Errorf("Query(%q): %v", q, err)
				}
			}
		}
		// The engine's own enforcement, without the lexical check in front,
		// still refuses writes after read-only statements were remembered.
		for _, q := range []string{
			"INSERT INTO reports (report_id) SELECT 'x'",
			"CREATE TABLE t2 (a UInt8) ENGINE = Memory",
			"DROP TABLE facts",
		} {
			if _, err := w.eng.queryReadOnly(ctx, q); err == nil {
				t.Errorf("engine ran %q under read-only enforcement", q)
			}
		}
		if n := count(t, w, "facts"); n != 0 {
			t.Errorf("facts has %d rows after refused writes", n)
		}
		if _, err := w.Query(ctx, "SELECT 1 FORMAT CSV"); !errors.Is(err, ErrFormatClause) {
			t.Errorf("Query with FORMAT clause error = %v, want ErrFormatClause", err)
		}
		if _, err := w.Query(ctx, " ;; "); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("Query of nothing error = %v, want ErrEmptyQuery", err)
		}
	})
}

// TestResultValues checks that both engines decode every portable type to
// the same Go values.
func TestResultValues(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		r := mustQuery(t, w, `SELECT toInt8(-8) AS i8, toInt64(-9000000000) AS i64, toUInt8(200) AS u8,
			toUInt64(18000000000000000000) AS u64, toFloat64(1.5) AS f, toFloat32(0.25) AS f32,
			'字符串' AS s, toFixedString('ab', 2) AS fs, toDate('2021-02-03') AS d,
			toDateTime('2021-02-03 04:05:06', 'UTC') AS dt, [1, 2] AS arr, ['x', 'y'] AS sarr,
			CAST(NULL AS Nullable(String)) AS n, CAST(7 AS Nullable(UInt16)) AS nn,
			[CAST(NULL AS Nullable(UInt8)), 3] AS narr, 1/0 AS inf, emptyArrayString() AS ea`)
		want := []any{int64(-8), int64(-9000000000), uint64(200), uint64(18000000000000000000), 1.5, 0.25,
			"字符串", "ab", "2021-02-03", time.Date(2021, 2, 3, 4, 5, 6, 0, time.UTC), []any{uint64(1), uint64(2)},
			[]any{"x", "y"}, nil, uint64(7), []any{nil, uint64(3)}, math.Inf(1), []any{}}
		if len(r.Rows) != 1 {
			t.Fatalf("got %d rows", len(r.Rows))
		}
		for i, v := range r.Rows[0] {
			if !reflect.DeepEqual(v, want[i]) {
				t.Errorf("%s (%s) = %#v, want %#v", r.Columns[i], r.Types[i], v, want[i])
			}
		}
		wantTypes := []string{"Int8", "Int64", "UInt8", "UInt64", "Float64", "Float32", "String", "FixedString(2)",
			"Date", "DateTime('UTC')", "Array(UInt8)", "Array(String)", "Nullable(String)", "Nullable(UInt16)",
			"Array(Nullable(UInt8))", "Float64", "Array(String)"}
		if !slices.Equal(r.Types, wantTypes) {
			t.Errorf("types = %v\nwant %v", r.Types, wantTypes)
		}
		nan := scalar(t, w, "SELECT 0/0")
		if f, ok := nan.(float64); !ok || !math.IsNaN(f) {
			t.Errorf("0/0 = %#v, want NaN", nan)
		}
		empty := mustQuery(t, w, "SELECT 1 AS a WHERE 0")
		if !slices.Equal(empty.Columns, []string{"a"}) || len(empty.Rows) != 0 {
			t.Errorf("empty result = %+v, want column a and no rows", empty)
		}
	})
}

// TestBindRuns runs bound queries on the engines: hostile values come back
// as the very strings that were bound.
func TestBindRuns(t *testing.T) {
	hostile := []string{
		`'; DROP TABLE reports; --`,
		`\'; DROP TABLE reports; --`,
		`back\slash`,
		"new\nline\ttab\x00nul\x01",
		`'' OR 1=1`,
		`{x:String}`,
		`三滩镇人民政府`,
		`"double" and ` + "`back`",
	}
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		for _, s := range hostile {
			q, err := Bind("SELECT {s:String} AS s, length({s:String}) AS n", map[string]string{"s": s})
			if err != nil {
				t.Fatalf("Bind(%q): %v", s, err)
			}
			r, err := w.Query(ctx, q)
			if err != nil {
				t.Fatalf("Query(%q): %v", q, err)
			}
			if got := r.Rows[0][0]; got != s {
				t.Errorf("bound %q came back as %q (query %q)", s, got, q)
			}
			if got := r.Rows[0][1]; got != uint64(len(s)) {
				t.Errorf("length of bound %q = %v, want %d", s, got, len(s))
			}
		}
		q, err := Bind(`SELECT {y:UInt16} + 1 AS y, {d:Date} AS d, {t:DateTime} AS t, {f:Float64} AS f,
			{i:Int32} AS i, {b:Bool} AS b LIMIT {n:UInt32}`, map[string]string{
			"y": "2023", "d": "2024-02-29", "t": "2024-02-29T10:11:12+08:00", "f": "-1.25", "i": "-7", "b": "true", "n": "5"})
		if err != nil {
			t.Fatal(err)
		}
		r := mustQuery(t, w, q)
		want := []any{uint64(2024), "2024-02-29", time.Date(2024, 2, 29, 2, 11, 12, 0, time.UTC), -1.25, int64(-7), uint64(1)}
		if !reflect.DeepEqual(r.Rows[0], want) {
			t.Errorf("bound values = %#v, want %#v", r.Rows[0], want)
		}
	})
}

// TestSecondCHDBOpenIsRefused: libchdb allows one open directory per
// process; a second Open must fail, not hand back the first.
func TestSecondCHDBOpenIsRefused(t *testing.T) {
	lib := chdbLibrary(t)
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.CHDBLibrary = lib
	cfg.DSN = "chdb://" + t.TempDir()
	first := openWarehouse(t, cfg)
	migrate(t, first)

	other := cfg
	other.DSN = "chdb://" + t.TempDir()
	if w, err := Open(ctx, other, nil); !errors.Is(err, ErrEngineInUse) {
		if err == nil {
			w.Close()
		}
		t.Fatalf("second Open error = %v, want ErrEngineInUse", err)
	}
	if w, err := Open(ctx, cfg, nil); !errors.Is(err, ErrEngineInUse) || !strings.Contains(err.Error(), "this process") {
		if err == nil {
			w.Close()
		}
		t.Fatalf("Open of the same directory again error = %v, want ErrEngineInUse saying this process has it", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := openWarehouse(t, other)
	if v, err := second.SchemaVersion(ctx); err != nil || v != 0 {
		t.Errorf("fresh directory after switching: SchemaVersion = %d, %v; want 0 (not the first directory's)", v, err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	reopened := openWarehouse(t, cfg)
	if v, err := reopened.SchemaVersion(ctx); err != nil || v == 0 {
		t.Errorf("first directory reopened: SchemaVersion = %d, %v; want its migrations", v, err)
	}
}

// TestGoSignalsSurviveCHDB: the engine must leave the Go runtime's fatal
// signal handlers alone, or a nil dereference would kill the process
// instead of panicking.
func TestGoSignalsSurviveCHDB(t *testing.T) {
	w := openCHDBWarehouse(t)
	migrate(t, w)
	recovered := func() (r any) {
		defer func() { r = recover() }()
		var p *int
		return *p
	}()
	if recovered == nil {
		t.Fatal("nil dereference did not panic")
	}
	if n := count(t, w, "reports"); n != 0 {
		t.Errorf("reports = %d", n)
	}
}

// TestQueryCancel: a statement that would run forever stops when the
// context ends.
func TestQueryCancel(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := w.Query(ctx, "SELECT number FROM system.numbers")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("endless query error = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("cancellation took %v", d)
		}
		if got := scalar(t, w, "SELECT 1"); got != uint64(1) {
			t.Errorf("query after cancellation = %v", got)
		}
	})
}

// TestLargeResult: a result that arrives in many blocks decodes whole.
func TestLargeResult(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		r := mustQuery(t, w, "SELECT number, toString(number) AS s FROM numbers(200000)")
		if len(r.Rows) != 200000 {
			t.Fatalf("got %d rows, want 200000", len(r.Rows))
		}
		for _, i := range []int{0, 65536, 199999} {
			want := []any{uint64(i), fmt.Sprint(i)}
			if !reflect.DeepEqual(r.Rows[i], want) {
				t.Errorf("row %d = %v, want %v", i, r.Rows[i], want)
			}
		}
	})
}

// TestConcurrentUse: writers and readers share one Warehouse.
func TestConcurrentUse(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		migrate(t, w)
		ctx := context.Background()
		fetched := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		errs := make(chan error, 8)
		for g := range 4 {
			go func() {
				rep := sampleReport(fmt.Sprintf("https://x.gov.cn/%d.html", g), fmt.Sprintf("单位%d", g), "620421", 2023, 3)
				errs <- w.WriteReports(ctx, []ReportLoad{sampleLoad(rep, "sha1:x", fetched)})
			}()
			go func() {
				_, err := w.Query(ctx, "SELECT count() FROM facts_latest")
				errs <- err
			}()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		if n := count(t, w, "reports_latest"); n != 4 {
			t.Errorf("reports_latest = %d rows, want 4", n)
		}
	})
}

// TestMigrateFromV7CopiesFacts: facts loaded one row per fact before
// migration 8 read the same through the facts view after it, once each
// even where a report was loaded twice or the copy runs again. (The rows
// go in by INSERT … SELECT: clickhouse-go waits for data blocks after an
// INSERT … VALUES sent as a statement.)
func TestMigrateFromV7CopiesFacts(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 7); err != nil {
			t.Fatal(err)
		}
		for _, v := range []int{1, 2} { // r1 loaded twice
			if err := w.eng.exec(ctx, fmt.Sprintf(`INSERT INTO fact_rows
				(report_id, metric, applicant, value, approximate, derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, version)
				SELECT 'r1', 'requests.new', 'total', 9, 0, 0, 'table3', '一、本年新收政府信息公开申请数量', '总计', 0, 0, '', %[1]d
				UNION ALL
				SELECT 'r1', 'requests.new', 'business', 4, 1, 0, 'table3', '一、本年新收政府信息公开申请数量', '商业企业', 0, 0, '', %[1]d`, v)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.eng.exec(ctx, `INSERT INTO fact_rows
			(report_id, metric, applicant, value, approximate, derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, version)
			SELECT 'r2', 'requests.new', 'total', 3, 0, 1, '', '', '', 10, 14, '收到申请3件', 5`); err != nil {
			t.Fatal(err)
		}
		migrate(t, w)
		const q = `SELECT report_id, metric, applicant, value, approximate, derived, loc_table, loc_column, loc_start, loc_end, loc_text, version
			FROM facts ORDER BY report_id, applicant`
		want := [][]any{
			{"r1", "requests.new", "business", 4.0, uint64(1), uint64(0), "table3", "商业企业", uint64(0), uint64(0), "", uint64(2)},
			{"r1", "requests.new", "total", 9.0, uint64(0), uint64(0), "table3", "总计", uint64(0), uint64(0), "", uint64(2)},
			{"r2", "requests.new", "total", 3.0, uint64(0), uint64(1), "", "", uint64(10), uint64(14), "收到申请3件", uint64(5)},
		}
		// Running migration 8 again (as after an interruption) copies
		// again, and the view still shows each fact once.
		checkRerun(t, w, 8, migration8(), "facts", q, want)
	})
}

// TestMigrateFromV9CopiesChecks: checks loaded one row per check before
// migration 10 read the same through the checks view after it, once each
// even where a report was loaded twice or the copy runs again; and a
// report written after it reads back through the view.
func TestMigrateFromV9CopiesChecks(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 9); err != nil {
			t.Fatal(err)
		}
		for _, v := range []int{1, 2} { // r1 loaded twice
			if err := w.eng.exec(ctx, fmt.Sprintf(`INSERT INTO check_rows
				(report_id, name, metric, applicant, ok, expected, actual, delta, version)
				SELECT 'r1', 'outcome_sum', 'outcome.total', 'total', 0, 5, 4, -1, %[1]d
				UNION ALL
				SELECT 'r1', 'requests_balance', '', 'business', 1, 2, 2, 0, %[1]d`, v)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.eng.exec(ctx, `INSERT INTO check_rows
			(report_id, name, metric, applicant, ok, expected, actual, delta, version)
			SELECT 'r2', 'lawsuits_total', 'lawsuits.total', 'total', 1, 3, 3, 0, 5`); err != nil {
			t.Fatal(err)
		}
		migrate(t, w)
		const q = `SELECT report_id, name, metric, applicant, ok, expected, actual, delta, version
			FROM checks ORDER BY report_id, name`
		want := [][]any{
			{"r1", "outcome_sum", "outcome.total", "total", uint64(0), 5.0, 4.0, -1.0, uint64(2)},
			{"r1", "requests_balance", "", "business", uint64(1), 2.0, 2.0, 0.0, uint64(2)},
			{"r2", "lawsuits_total", "lawsuits.total", "total", uint64(1), 3.0, 3.0, 0.0, uint64(5)},
		}
		checkRerun(t, w, 10, migration10(), "checks", q, want)
		// The loader writes check_sets now; check_rows is left as it was.
		rep := sampleReport("https://www.example.gov.cn/a.html", "三滩镇人民政府", "620421113", 2023, 9)
		if err := w.WriteReports(ctx, []ReportLoad{sampleLoad(rep, "sha1:A", time.Now())}); err != nil {
			t.Fatal(err)
		}
		r := mustQuery(t, w, `SELECT count(), countIf(report_id IN ('r1', 'r2')) FROM checks`)
		if n := r.Rows[0][0].(uint64); n != 3+uint64(len(rep.Checks)) || r.Rows[0][1].(uint64) != 3 {
			t.Errorf("checks after a load: %v rows, want the 3 copied and the new report's", r.Rows[0])
		}
		if r := mustQuery(t, w, `SELECT count() FROM check_rows`); r.Rows[0][0].(uint64) != 5 {
			t.Errorf("check_rows holds %v rows after the load, want the 5 written before migration 10", r.Rows[0][0])
		}
	})
}

// TestMigrateFromV10FillsTimeline: migration 11 copies the published
// agency_years into agency_timeline, run again it copies them once more,
// and a refresh after it keeps the two alike.
func TestMigrateFromV10FillsTimeline(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 10); err != nil {
			t.Fatal(err)
		}
		if err := w.eng.exec(ctx, `INSERT INTO agency_years (refresh, agency_key, agency_id, province_code, year, expected, report_id, granted, on_time)
			SELECT 3, '620421109', '620421109', '62', 2023, 1, 'r1', 10, 'pass'
			UNION ALL
			SELECT 3, '620421109', '620421109', '62', 2022, 1, '', NULL, 'n/a'`); err != nil {
			t.Fatal(err)
		}
		migrate(t, w)
		const q = "SELECT refresh, agency_key, year, report_id, granted, on_time FROM agency_timeline ORDER BY year"
		want := [][]any{
			{uint64(3), "620421109", uint64(2022), "", nil, "n/a"},
			{uint64(3), "620421109", uint64(2023), "r1", 10.0, "pass"},
		}
		checkRerun(t, w, 11, migration11(), "agency_timeline", q, want)
		rep := sampleReport("https://www.example.gov.cn/a.html", "三滩镇人民政府", "620421113", 2023, 9)
		if err := w.WriteReports(ctx, []ReportLoad{sampleLoad(rep, "sha1:A", time.Now())}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Refresh(ctx, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		checkTimeline(t, w)
	})
}

// TestMigrateFromV11Supersedes: migration 12 computes superseded_on for
// the report versions the last refresh published, drops the versions a
// later one replaced on the day they were captured, and run again changes
// nothing.
func TestMigrateFromV11Supersedes(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 11); err != nil {
			t.Fatal(err)
		}
		// a: captured on 10 January, reparsed (a later load version),
		// edited on 15 February. b: one version, its row written twice.
		if err := w.eng.exec(ctx, `INSERT INTO report_history (refresh, province_code, year, source_url, first_fetched, report_id, version)
			SELECT 7, '62', 2023, 'a', toDateTime('2024-01-10 09:00:00'), 'a1', 1
			UNION ALL SELECT 7, '62', 2023, 'a', toDateTime('2024-01-10 09:00:00'), 'a2', 3
			UNION ALL SELECT 7, '62', 2023, 'a', toDateTime('2024-02-15 09:00:00'), 'a3', 4
			UNION ALL SELECT 7, '62', 2023, 'b', toDateTime('2024-01-20 09:00:00'), 'b1', 2
			UNION ALL SELECT 7, '62', 2023, 'b', toDateTime('2024-01-20 09:00:00'), 'b1', 2`); err != nil {
			t.Fatal(err)
		}
		want := [][]any{{uint64(7), "a2", "2024-02-15"}, {uint64(7), "a3", nil}, {uint64(7), "b1", nil}, {uint64(7), "b1", nil}}
		q := `SELECT refresh, report_id, superseded_on FROM report_history ORDER BY report_id`
		migrate(t, w)
		checkRerun(t, w, 12, migration12(), "report_history", q, want)
		if n := count(t, w, reportHistoryTable.name); n != 0 {
			t.Errorf("%s keeps %d rows", reportHistoryTable.name, n)
		}
	})
}

// checkRerun checks that q gives want after migrating, runs migration n's
// steps again (as after an interruption) and checks that q still gives it.
func checkRerun(t *testing.T, w *Warehouse, n int, steps []step, what, q string, want [][]any) {
	t.Helper()
	if r := mustQuery(t, w, q); !reflect.DeepEqual(r.Rows, want) {
		t.Errorf("%s after migrating =\n%v\nwant\n%v", what, r.Rows, want)
	}
	for _, st := range steps {
		if err := st.apply(context.Background(), w.eng); err != nil {
			t.Fatalf("migration %d again: %v", n, err)
		}
	}
	if r := mustQuery(t, w, q); !reflect.DeepEqual(r.Rows, want) {
		t.Errorf("%s after migration %d ran twice =\n%v\nwant\n%v", what, n, r.Rows, want)
	}
}

// TestMigrateFromV8PublishesLatestRefresh: migration 9 turns the views
// that picked the latest refresh into tables holding just that refresh's
// rows, drops the partitioned tables, and run again changes nothing.
func TestMigrateFromV8PublishesLatestRefresh(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 8); err != nil {
			t.Fatal(err)
		}
		for _, refresh := range []int{1, 2} {
			for _, sql := range []string{
				`INSERT INTO refresh_rows (refresh, agency_years) SELECT %[1]d, 2`,
				`INSERT INTO agency_year_rows (refresh, agency_key, agency_id, province_code, year, expected, report_id, granted)
				 SELECT %[1]d, '620421109', '620421109', '62', 2023, 1, 'r%[1]d', %[1]d * 10
				 UNION ALL
				 SELECT %[1]d, '620421110', '620421110', '62', 2023, 1, '', NULL`,
				`INSERT INTO year_summary_rows (refresh, level, province_code, year, present) SELECT %[1]d, 'township', '62', 2023, %[1]d`,
				`INSERT INTO report_history_rows (refresh, province_code, year, report_id) SELECT %[1]d, '62', 2023, 'r%[1]d'`,
				`INSERT INTO deadline_rows (refresh, level, province_code, year, rule) SELECT %[1]d, 'township', '62', 2023, 'rule %[1]d'`,
			} {
				if err := w.eng.exec(ctx, fmt.Sprintf(sql, refresh)); err != nil {
					t.Fatal(err)
				}
			}
		}
		check := func(when string) {
			t.Helper()
			for _, c := range []struct {
				sql  string
				want [][]any
			}{
				{`SELECT refresh, agency_id, report_id, granted FROM agency_years ORDER BY agency_id`,
					[][]any{{uint64(2), "620421109", "r2", 20.0}, {uint64(2), "620421110", "", nil}}},
				{`SELECT agency_id, present, missing FROM expected_reports ORDER BY agency_id`,
					[][]any{{"620421109", uint64(1), ""}, {"620421110", uint64(0), ""}}},
				{`SELECT report_id, granted FROM report_stats`, [][]any{{"r2", 20.0}}},
				{`SELECT refresh, present FROM year_summary`, [][]any{{uint64(2), uint64(2)}}},
				{`SELECT refresh, report_id FROM report_history`, [][]any{{uint64(2), "r2"}}},
				{`SELECT refresh, rule FROM deadlines`, [][]any{{uint64(2), "rule 2"}}},
			} {
				if r := mustQuery(t, w, c.sql); !reflect.DeepEqual(r.Rows, c.want) {
					t.Errorf("%s: %s = %v, want %v", when, c.sql, r.Rows, c.want)
				}
			}
			r := mustQuery(t, w, `SELECT name, engine FROM system.tables WHERE database = currentDatabase()
				AND name IN ('agency_years', 'agency_year_rows', 'year_summary', 'year_summary_rows',
				             'report_history', 'report_history_rows', 'deadlines', 'deadline_rows') ORDER BY name`)
			for _, row := range r.Rows {
				if name, engine := row[0].(string), row[1].(string); strings.HasSuffix(name, "_rows") || engine == "View" {
					t.Errorf("%s: %s is still there (%s)", when, name, engine)
				}
			}
			if len(r.Rows) != 4 {
				t.Errorf("%s: tables %v, want the four published ones", when, r.Rows)
			}
		}
		migrate(t, w)
		check("after migrating")
		for _, st := range migration9() {
			if err := st.apply(ctx, w.eng); err != nil {
				t.Fatalf("migration 9 again: %v", err)
			}
		}
		check("after migration 9 ran twice")
		// A refresh replaces the carried-over rows.
		if _, err := w.Refresh(ctx, day("2024-06-01")); err != nil {
			t.Fatal(err)
		}
		if n := count(t, w, "agency_years WHERE refresh <= 2"); n != 0 {
			t.Errorf("after a refresh, agency_years keeps %d rows of the old refreshes", n)
		}
	})
}

// TestMigrateFromV1: a warehouse made by migration 1 alone, holding data,
// migrates to the latest schema and keeps its rows.
func TestMigrateFromV1(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if v, err := w.SchemaVersion(ctx); err != nil || v != 1 {
			t.Fatalf("SchemaVersion = %d, %v; want 1", v, err)
		}
		// A row as the version 1 loader wrote it.
		if err := w.eng.exec(ctx, `INSERT INTO facts (report_id, metric, applicant, value, version)
			SELECT 'r1', 'requests.new', 'total', 9, 1`); err != nil {
			t.Fatal(err)
		}
		migrate(t, w)
		r := mustQuery(t, w, "SELECT report_id, value, derived, loc_text FROM facts")
		want := [][]any{{"r1", 9.0, uint64(0), ""}}
		if !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("facts after migrating = %#v, want %#v", r.Rows, want)
		}
		// The loader writes the new shape.
		rep := sampleReport("https://x.gov.cn/a.html", "甲县人民政府", "620401", 2023, 7)
		if err := w.WriteReports(ctx, []ReportLoad{sampleLoad(rep, "sha1:A", time.Now())}); err != nil {
			t.Fatalf("WriteReports after migrating: %v", err)
		}
		if n := count(t, w, "facts_latest WHERE derived = 1"); n != 1 {
			t.Errorf("derived facts = %d, want 1", n)
		}
	})
}

// TestShortHashKeepsKeys: keys hash each part as "LEN:PART;", as they
// always have, so a warehouse's existing IDs are what a load computes
// again (loading twice must not add rows under new keys).
func TestShortHashKeepsKeys(t *testing.T) {
	for _, parts := range [][]string{
		{}, {""}, {"report", "https://x.gov.cn/a.html", "sha1:AAAA", "v1"}, {"capture", "甲县", "2023-01-31T13:24:00Z", ""},
		{"a;b", "1:c"},
	} {
		h := sha256.New()
		for _, p := range parts {
			fmt.Fprintf(h, "%d:%s;", len(p), p)
		}
		want := hex.EncodeToString(h.Sum(nil)[:16])
		if got := shortHash(parts...); got != want {
			t.Errorf("shortHash(%q) = %s, want %s", parts, got, want)
		}
	}
	// A report key as the loader has always computed it.
	if got, want := ReportID("https://x.gov.cn/a.html", "sha1:AAAA", "1"), "02bf3725ab46c2150788573032fcba2b"; got != want {
		t.Errorf("ReportID = %s, want %s", got, want)
	}
}
