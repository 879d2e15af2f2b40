package warehouse

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse/agency"
)

// TestAppendFactMatchesColumns: the unboxed fact-set and check-set
// appenders fill the columns in factSetsTable's and checkSetsTable's
// order, a report's facts (checks) in one row and a report without any in
// none.
func TestAppendFactMatchesColumns(t *testing.T) {
	f := parser.Fact{Metric: "requests.new", Applicant: metrics.Business, Value: 7, Approximate: true, Derived: true,
		Locator: parser.Locator{Table: "table3", Row: "一、本年新收政府信息公开申请数量", Column: "商业企业", Start: 3, End: 9, Text: "x"}}
	g := parser.Fact{Metric: "requests.new", Applicant: metrics.Total, Value: 8,
		Locator: parser.Locator{Table: "table3", Row: "一、本年新收政府信息公开申请数量", Column: "总计"}}
	fast := newFactSets(1, 1, [6]int{}) // smaller than needed: the windows must survive growth
	fast.add("r1", []parser.Fact{f, g}, 42)
	fast.add("r2", nil, 42)
	fast.add("r3", []parser.Fact{g}, 43)
	slow, err := rowsBlock(factSetsTable, [][]any{
		{"r1", []string{"requests.new", "requests.new"}, []string{"business", "total"}, []float64{7, 8},
			[]uint8{1, 0}, []uint8{1, 0}, []string{"table3", "table3"},
			[]string{"一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量"}, []string{"商业企业", "总计"},
			[]uint32{3, 0}, []uint32{9, 0}, []string{"x", ""}, uint64(42)},
		{"r3", []string{"requests.new"}, []string{"total"}, []float64{8}, []uint8{0}, []uint8{0}, []string{"table3"},
			[]string{"一、本年新收政府信息公开申请数量"}, []string{"总计"}, []uint32{0}, []uint32{0}, []string{""}, uint64(43)},
	})
	if err != nil {
		t.Fatal(err)
	}
	sameBlock(t, fast.block, slow)
	c := metrics.Check{Name: "outcome_sum", Metric: "outcome.total", Applicant: metrics.Total, Expected: 5, Actual: 4}
	d := metrics.Check{Name: "requests_balance", Applicant: metrics.Business, OK: true, Expected: 2, Actual: 2}
	fastC := newCheckSets(1, 1) // smaller than needed, as above
	if failed := fastC.add("r1", []metrics.Check{c, d}, 42); failed != 1 {
		t.Errorf("checkSets.add: %d failed, want 1", failed)
	}
	fastC.add("r2", nil, 42)
	fastC.add("r3", []metrics.Check{d}, 43)
	slowC, err := rowsBlock(checkSetsTable, [][]any{
		{"r1", []string{"outcome_sum", "requests_balance"}, []string{"outcome.total", ""}, []string{"total", "business"},
			[]uint8{0, 1}, []float64{5, 2}, []float64{4, 2}, []float64{-1, 0}, uint64(42)},
		{"r3", []string{"requests_balance"}, []string{""}, []string{"business"}, []uint8{1}, []float64{2}, []float64{2},
			[]float64{0}, uint64(43)},
	})
	if err != nil {
		t.Fatal(err)
	}
	sameBlock(t, fastC.block, slowC)
}

// sameBlock checks that fast holds slow's rows: the same Native encoding
// and the same values for the server, whole and in every slice of rows.
func sameBlock(t *testing.T, fast, slow *block) {
	t.Helper()
	if fast.n != slow.n {
		t.Fatalf("%s: %d rows, want %d", slow.t.name, fast.n, slow.n)
	}
	for lo := 0; lo <= slow.n; lo++ {
		for hi := lo; hi <= slow.n; hi++ {
			f, s := fast.slice(lo, hi), slow.slice(lo, hi)
			fb, err := f.appendNative(nil)
			if err != nil {
				t.Fatal(err)
			}
			sb, err := s.appendNative(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fb, sb) {
				t.Errorf("%s rows [%d, %d): the appender and rowsBlock encode differently", slow.t.name, lo, hi)
			}
			if n := f.nativeSize(); n != len(fb) {
				t.Errorf("%s rows [%d, %d): nativeSize %d, encoded %d bytes", slow.t.name, lo, hi, n, len(fb))
			}
			for i, c := range slow.t.cols {
				fv, sv := f.columnSlice(i), s.columnSlice(i)
				if reflect.ValueOf(sv).Len() == 0 && reflect.ValueOf(fv).Len() == 0 {
					continue
				}
				if !reflect.DeepEqual(fv, sv) {
					t.Errorf("%s rows [%d, %d) column %s = %v, want %v", slow.t.name, lo, hi, c.name, fv, sv)
				}
			}
		}
	}
}

func TestBlockRejectsWrongTypes(t *testing.T) {
	if _, err := rowsBlock(migrationsTable, [][]any{{"1", "x", time.Now()}}); err == nil {
		t.Error("a string for UInt32 accepted")
	}
	if _, err := rowsBlock(migrationsTable, [][]any{{uint32(1)}}); err == nil {
		t.Error("a short row accepted")
	}
	b := newBlock(migrationsTable, 1)
	b.n = 1 // a row count the columns do not have
	if _, err := b.appendNative(nil); err == nil {
		t.Error("a ragged block encoded")
	}
}

// BenchmarkNative measures encoding a block of fact sets (100 copies of
// a report's facts) in the Native format; rows/s counts facts.
func BenchmarkNative(b *testing.B) {
	r := benchReport("https://x.gov.cn/a.html")
	var bytes [6]int
	addFactBytes(&bytes, r.Facts)
	for i := range bytes {
		bytes[i] *= 100
	}
	sets := newFactSets(100, 100*len(r.Facts), bytes)
	for range 100 {
		sets.add("0123456789abcdef0123456789abcdef", r.Facts, 1)
	}
	blk := sets.block
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = blk.appendNative(buf[:0])
	}
	b.ReportMetric(float64(100*len(r.Facts)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkFactSetsAdd measures building a block of fact sets from 1,000
// copies of a full report's facts, as WriteReports does; rows/s counts
// facts.
func BenchmarkFactSetsAdd(b *testing.B) {
	r := benchReport("https://x.gov.cn/a.html")
	const reports = 1000
	var bytes [6]int
	addFactBytes(&bytes, r.Facts)
	for i := range bytes {
		bytes[i] *= reports
	}
	b.ReportAllocs()
	for b.Loop() {
		sets := newFactSets(reports, reports*len(r.Facts), bytes)
		for range reports {
			sets.add("0123456789abcdef0123456789abcdef", r.Facts, 1)
		}
	}
	b.ReportMetric(float64(reports*len(r.Facts)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestNativeSize: nativeSize is the exact length of the Native encoding,
// for every loader table and every column type, with NULLs, empty arrays
// and strings longer than one varint byte counts.
func TestNativeSize(t *testing.T) {
	long := strings.Repeat("长", 100) // 300 bytes: a two-byte length
	day := time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC)
	value := func(typ colType, i int) any {
		switch typ {
		case tString:
			return []string{"", "x", long}[i]
		case tUInt8:
			return uint8(i)
		case tUInt16:
			return uint16(i)
		case tUInt32:
			return uint32(i)
		case tUInt64:
			return uint64(i)
		case tFloat64:
			return float64(i)
		case tDateTime, tDate:
			return day
		case tNullUInt16:
			return []*uint16{nil, new(uint16(7)), nil}[i]
		case tNullDate, tNullDateTime:
			return []*time.Time{nil, &day, nil}[i]
		case tNullFloat64:
			return []*float64{nil, new(1.5), nil}[i]
		case tArrayString:
			return [][]string{nil, {"a"}, {long, "", "b"}}[i]
		case tArrayUInt64:
			return [][]uint64{nil, {1}, {2, 3}}[i]
		case tArrayFloat64:
			return [][]float64{nil, {1}, {2, 3}}[i]
		case tArrayUInt8:
			return [][]uint8{nil, {1}, {2, 3}}[i]
		case tArrayUInt32:
			return [][]uint32{nil, {1}, {2, 3}}[i]
		}
		t.Fatalf("no sample value of %s", typ)
		return nil
	}
	for _, tb := range append(loaderTables(), migrationsTable) {
		rows := make([][]any, 3)
		for i := range rows {
			for _, c := range tb.cols {
				rows[i] = append(rows[i], value(c.typ, i))
			}
		}
		b, err := rowsBlock(tb, rows)
		if err != nil {
			t.Fatalf("%s: %v", tb.name, err)
		}
		enc, err := b.appendNative(nil)
		if err != nil {
			t.Fatalf("%s: %v", tb.name, err)
		}
		if got := b.nativeSize(); got != len(enc) {
			t.Errorf("%s: nativeSize() = %d, encoding has %d bytes", tb.name, got, len(enc))
		}
	}
}

// TestReportRow: addReportRow puts each of a report's values in its own
// column of report_rows, NULL where the report states nothing.
func TestReportRow(t *testing.T) {
	fetched := time.Date(2024, 3, 1, 8, 30, 15, 0, time.UTC)
	loaded := fetched.Add(time.Hour)
	rep := sampleReport("https://x.gov.cn/a.html", "三滩镇人民政府", "620421113", 2023, 12)
	rep.PublishedAt = ""
	l := sampleLoad(rep, "sha1:AAAA", fetched)
	m := agency.Match{AgencyID: "620421113", Status: "matched", Method: "name", Candidates: []string{"620421113"}}
	b := newBlock(reportsTable, 1)
	if err := addReportRow(b.row(), &l, rep, "rid", rep.Source, l.CaptureID, m, 1, figureIndexes(), loaded, 9); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for i, c := range reportsTable.cols {
		v := reflect.ValueOf(b.columnSlice(i))
		if v.Len() != 1 {
			t.Fatalf("column %s has %d values, want 1", c.name, v.Len())
		}
		got[c.name] = v.Index(0).Interface()
	}
	deref := func(v any) any {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
			return rv.Elem().Interface()
		}
		return v
	}
	for col, want := range map[string]any{
		"report_id": "rid", "source_url": rep.Source, "capture_id": l.CaptureID, "payload_digest": "sha1:AAAA",
		"fetched_at": fetched, "warc_file": l.WARCFile, "warc_offset": uint64(4096),
		"agency": "三滩镇人民政府", "level": rep.Level, "region_code": "620421113", "year": uint16(2023),
		"template": rep.Template, "title": rep.Title, "index_no": rep.IndexNo, "publisher": rep.Publisher,
		"source_name": "三滩县人民政府", "source_region_code": "620421",
		"fact_count": uint32(len(rep.Facts)), "checks_failed": uint32(1), "checks_total": uint32(len(rep.Checks)),
		"agency_id": "620421113", "match_status": "matched", "match_method": "name",
		"match_candidates": []string{"620421113"}, "sections": []string{"proactive", "requests"},
		"requests_new": 12.0, "requests_carried_over": 2.0, "loaded_at": loaded, "version": uint64(9),
	} {
		if g := deref(got[col]); !reflect.DeepEqual(g, want) {
			t.Errorf("%s = %v (%T), want %v (%T)", col, g, g, want, want)
		}
	}
	for _, col := range []string{"published_at", "granted", "reviews_total"} {
		if v := reflect.ValueOf(got[col]); !v.IsNil() {
			t.Errorf("%s = %v, want NULL", col, deref(got[col]))
		}
	}
}

// TestRowWriterRejects: a value of the wrong type, or too few or too many
// values, fails the row.
func TestRowWriterRejects(t *testing.T) {
	for name, write := range map[string]func(w *rowWriter){
		"wrong type": func(w *rowWriter) { w.str("1"); w.str("x"); w.time(time.Now()) },
		"short":      func(w *rowWriter) { w.u32(1); w.str("x") },
		"long":       func(w *rowWriter) { w.u32(1); w.str("x"); w.time(time.Now()); w.str("y") },
	} {
		b := newBlock(migrationsTable, 1)
		w := b.row()
		write(w)
		if err := w.end(); err == nil || b.n != 0 {
			t.Errorf("%s: end() = %v with %d rows, want an error and none", name, err, b.n)
		}
	}
	b := newBlock(migrationsTable, 1)
	w := b.row()
	w.u32(1)
	w.str("x")
	w.time(time.Now())
	if err := w.end(); err != nil || b.n != 1 {
		t.Errorf("a whole row: end() = %v with %d rows", err, b.n)
	}
}

// TestCaptureRows: addCaptureRow and addDocumentRow put each of a
// capture's values in its own column.
func TestCaptureRows(t *testing.T) {
	fetched := time.Date(2024, 3, 1, 8, 30, 15, 0, time.UTC)
	loaded := fetched.Add(time.Hour)
	c := Capture{URL: "https://x.gov.cn/a.html", FetchedAt: fetched, Status: 200, ContentType: "text/html",
		Charset: "gb18030", PayloadDigest: "sha1:AAAA", PayloadLength: 1234, WARCFile: "a.warc.gz", WARCOffset: 99,
		WARCLength: 500, WARCRecordID: "<urn:uuid:1>", Kind: "page", Depth: 2,
		Source:   Registration{Name: "三滩县人民政府", Level: "county", RegionCode: "620421"},
		RefersTo: "<urn:uuid:0>", ETag: `"e"`, LastModified: "Fri, 01 Mar 2024 08:00:00 GMT", RunID: "run1"}
	row := func(tb *table, add func(w *rowWriter) error) map[string]any {
		b := newBlock(tb, 1)
		if err := add(b.row()); err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for i, col := range tb.cols {
			v := reflect.ValueOf(b.columnSlice(i))
			if v.Len() != 1 {
				t.Fatalf("%s.%s has %d values, want 1", tb.name, col.name, v.Len())
			}
			got[col.name] = v.Index(0).Interface()
		}
		return got
	}
	for _, tc := range []struct {
		tb   *table
		add  func(w *rowWriter) error
		want map[string]any
	}{
		{capturesTable, func(w *rowWriter) error { return addCaptureRow(w, &c, "cid", RecordResponse, loaded, 7) }, map[string]any{
			"capture_id": "cid", "url": c.URL, "fetched_at": fetched, "status": uint16(200), "content_type": "text/html",
			"charset": "gb18030", "payload_digest": "sha1:AAAA", "payload_length": uint64(1234), "warc_file": "a.warc.gz",
			"warc_offset": uint64(99), "warc_length": uint64(500), "warc_record_id": "<urn:uuid:1>", "kind": "page",
			"depth": uint16(2), "source_name": "三滩县人民政府", "source_level": "county", "source_region_code": "620421",
			"record_type": RecordResponse, "refers_to": "<urn:uuid:0>", "etag": `"e"`,
			"last_modified": "Fri, 01 Mar 2024 08:00:00 GMT", "run_id": "run1", "loaded_at": loaded, "version": uint64(7),
		}},
		{documentsTable, func(w *rowWriter) error { return addDocumentRow(w, &c, "cid") }, map[string]any{
			"payload_digest": "sha1:AAAA", "payload_length": uint64(1234), "content_type": "text/html", "first_url": c.URL,
			"first_fetched_at": fetched, "capture_id": "cid", "warc_file": "a.warc.gz", "warc_offset": uint64(99),
			"warc_length": uint64(500), "warc_record_id": "<urn:uuid:1>",
			"earliness": uint32(math.MaxUint32 - uint32(fetched.Unix())),
		}},
	} {
		got := row(tc.tb, tc.add)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d columns, the test names %d", tc.tb.name, len(got), len(tc.want))
		}
		for col, want := range tc.want {
			if !reflect.DeepEqual(got[col], want) {
				t.Errorf("%s.%s = %v (%T), want %v (%T)", tc.tb.name, col, got[col], got[col], want, want)
			}
		}
	}
}
