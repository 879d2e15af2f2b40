package warehouse

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
)

// binaryCases are statements whose results the binary and JSON decoders
// must read alike: every type decodeRowBinary reads, at its edges, and
// types it leaves to JSON.
var binaryCases = []struct {
	name, sql string
	binary    bool // decodeRowBinary reads it (else errBinaryType)
}{
	{"integers", `SELECT toInt8(-128) a, toInt8(127) b, toInt16(-32768) c, toInt32(-2147483648) d,
		toInt64(-9223372036854775808) e, toUInt8(255) f, toUInt16(65535) g, toUInt32(4294967295) h,
		toUInt64(18446744073709551615) i, toInt64(-1) j`, true},
	{"floats", `SELECT toFloat64(0.1) a, toFloat32(0.1) b, toFloat32(1e30) c, toFloat64(-0.) d,
		toFloat64(1e-300) e, toFloat32(3.4028235e38) f, toFloat64(123456789.123456789) g`, true},
	{"non-finite", `SELECT nan a, inf b, -inf c, toFloat32(nan) d, toFloat32(-inf) e`, true},
	{"strings", `SELECT '' a, 'plain' b, '政府信息公开 "引号" \\ 斜杠/ \n 换行 \t' c,
		'http://example.gov.cn/a/b?c=1&d=2' d, toFixedString('ab', 4) e`, true},
	{"bool and nullable", `SELECT true a, false b, CAST(NULL AS Nullable(String)) c, toNullable('x') d,
		CAST(NULL AS Nullable(Float64)) e, toNullable(toUInt32(7)) f, toLowCardinality('lc') g,
		CAST(NULL AS Nullable(DateTime)) h`, true},
	{"dates", `SELECT toDate('1970-01-01') a, toDate('2149-06-06') b, toDate32('1900-01-01') c,
		toDate32('2299-12-31') d, toDateTime('2024-01-31 23:59:59', 'UTC') e,
		toDateTime('2024-01-31 23:59:59', 'Asia/Shanghai') f, toDateTime64('2024-01-31 23:59:59.123', 3, 'UTC') g,
		toDateTime64('1969-12-31 23:59:59.5', 1, 'UTC') h, toDateTime64('2024-05-06 07:08:09.123456789', 9) i`, true},
	{"arrays", `SELECT [1, 2, 3] a, emptyArrayString() b, ['x', NULL, 'z'] c, [[1], [], [2, 3]] d,
		[toDate('2024-01-01')] e, arrayMap(x -> toLowCardinality(toString(x)), range(3)) f`, true},
	{"rows", `SELECT number, toString(number) s, if(number % 3 = 0, NULL, number * 1.5) f,
		range(number % 4) a FROM numbers(1000)`, true},
	{"many blocks", `SELECT number, repeat('x', number % 50) FROM numbers(300000) SETTINGS max_block_size = 1000`, true},
	{"no rows", `SELECT number, toString(number) FROM numbers(10) WHERE number > 100`, true},
	{"decimal", `SELECT toDecimal64(1.5, 2) a, 1 b`, false},
	{"uuid", `SELECT toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0') a`, false},
	{"enum", `SELECT CAST('b' AS Enum8('a' = 1, 'b' = 2)) a`, false},
	{"tuple", `SELECT (1, 'a') a`, false},
	{"map", `SELECT map('a', 1) a`, false},
}

// TestRowBinaryMatchesJSON runs every case in both formats on chdb: the
// binary decoder gives what the JSON decoder gives, or errBinaryType for
// the types it leaves to JSON; and the engine's query, which falls back,
// gives the JSON result either way.
func TestRowBinaryMatchesJSON(t *testing.T) {
	w := openCHDBWarehouse(t)
	e, ok := w.eng.(*chdbEngine)
	if !ok {
		t.Fatalf("engine is %T", w.eng)
	}
	ctx := context.Background()
	for _, tc := range binaryCases {
		t.Run(tc.name, func(t *testing.T) {
			jchunks, err := e.conn.QueryContext(ctx, tc.sql, chdbOutputFormat)
			if err != nil {
				t.Fatal(err)
			}
			want, err := decodeJSONCompact(jchunks)
			if err != nil {
				t.Fatal(err)
			}
			bchunks, err := e.conn.QueryContext(ctx, tc.sql, chdbBinaryFormat)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeRowBinary(bchunks)
			switch {
			case !tc.binary:
				if !errors.Is(err, errBinaryType) {
					t.Fatalf("decodeRowBinary: %v, want errBinaryType", err)
				}
			case err != nil:
				t.Fatal(err)
			default:
				sameResult(t, got, want)
			}
			viaEngine, err := e.query(ctx, tc.sql)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, viaEngine, want)
			if tc.name == "many blocks" && len(bchunks) < 2 {
				t.Errorf("%d chunks: the case should span several", len(bchunks))
			}
		})
	}
}

// sameResult compares two results, NaN equal to NaN.
func sameResult(t *testing.T, got, want *Result) {
	t.Helper()
	if !reflect.DeepEqual(got.Columns, want.Columns) || !reflect.DeepEqual(got.Types, want.Types) {
		t.Fatalf("columns %v %v, want %v %v", got.Columns, got.Types, want.Columns, want.Types)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%d rows, want %d", len(got.Rows), len(want.Rows))
	}
	for i := range want.Rows {
		for j := range want.Rows[i] {
			if !sameValue(got.Rows[i][j], want.Rows[i][j]) {
				t.Fatalf("row %d column %s: %#v (%T), want %#v (%T)", i, want.Columns[j],
					got.Rows[i][j], got.Rows[i][j], want.Rows[i][j], want.Rows[i][j])
			}
		}
	}
}

func sameValue(a, b any) bool {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok && math.IsNaN(x) && math.IsNaN(y) {
			return true
		}
		// -0 and 0: the same number, which JSON may print either way.
		if y, ok := b.(float64); ok {
			return x == y
		}
	}
	if x, ok := a.(time.Time); ok {
		y, ok := b.(time.Time)
		return ok && x.Equal(y) && x.Location() == y.Location()
	}
	if x, ok := a.([]any); ok {
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestRowBinaryTruncated cuts a real result at every byte: each prefix
// decodes to an error or to fewer rows, never a panic.
func TestRowBinaryTruncated(t *testing.T) {
	w := openCHDBWarehouse(t)
	e := w.eng.(*chdbEngine)
	chunks, err := e.conn.QueryContext(context.Background(), binaryCases[5].sql+" UNION ALL "+binaryCases[5].sql, chdbBinaryFormat)
	if err != nil || len(chunks) == 0 {
		t.Fatalf("query: %v, %d chunks", err, len(chunks))
	}
	full := chunks[0]
	whole, err := decodeRowBinary([][]byte{full})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < len(full); n++ {
		r, err := decodeRowBinary([][]byte{full[:n]})
		if err == nil && len(r.Rows) >= len(whole.Rows) {
			t.Fatalf("prefix of %d of %d bytes decoded whole", n, len(full))
		}
	}
}

// FuzzDecodeRowBinary holds decodeRowBinary to errors, never panics, on
// any bytes.
func FuzzDecodeRowBinary(f *testing.F) {
	f.Add([]byte{1, 1, 'a', 6, 'S', 't', 'r', 'i', 'n', 'g', 2, 'h', 'i'})
	f.Add([]byte{2, 1, 'a', 1, 'b', 16, 'A', 'r', 'r', 'a', 'y', '(', 'N', 'u', 'l', 'l', 'a', 'b', 'l', 'e', '(', 'I', 'n', 't', '8', ')', ')', 10, 'D', 'a', 't', 'e', 'T', 'i', 'm', 'e', '6', '4', '(', '3', ')', 2, 0, 5, 1})
	f.Add([]byte{1, 1, 'x', 14, 'F', 'i', 'x', 'e', 'd', 'S', 't', 'r', 'i', 'n', 'g', '(', '3', ')', 'a', 'b', 'c'})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRowBinary([][]byte{b})
		if err == nil && r == nil {
			t.Fatal("nil result without an error")
		}
	})
}

// BenchmarkDecodeRowBinary decodes a result shaped like one province's
// as_published: about 9,500 rows of keys, names, URLs, dates, times,
// nullable figures and a repeated parser version.
func BenchmarkDecodeRowBinary(b *testing.B) {
	w := openCHDBWarehouse(b)
	e := w.eng.(*chdbEngine)
	chunks, err := e.conn.QueryContext(context.Background(), `SELECT
		concat('51', toString(100000000 + number)) AS agency_key, concat('某某乡人民政府', toString(number)) AS agency,
		hex(sipHash64(number)) AS report_id, if(number % 5 = 0, NULL, toDate('2024-01-01') + number % 60) AS published_at,
		toDateTime('2024-01-01 00:00:00', 'UTC') + number * 37 AS first_fetched,
		if(number % 7 = 0, NULL, toFloat64(number % 300)) AS requests_new, toNullable(toFloat64(number % 250)) AS answered,
		toNullable(toFloat64(number % 9)) AS refused, 'nianbao-parser/0.9.0' AS parser_version,
		concat('http://www.gov.cn/zwgk/', toString(number), '/t20240115_', toString(number * 13), '.html') AS source_url
		FROM numbers(9500)`, chdbBinaryFormat)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := decodeRowBinary(chunks)
		if err != nil || len(r.Rows) != 9500 {
			b.Fatalf("%v, %d rows", err, len(r.Rows))
		}
	}
}

// TestFormatDays holds the day formatter to the time package's, across
// leap days, century years and the range of Date32.
func TestFormatDays(t *testing.T) {
	for days := int64(-25567); days <= 120529; days++ { // 1900-01-01 .. 2299-12-31
		want := time.Unix(days*86400, 0).UTC().Format(time.DateOnly)
		if got := formatDays(days); got != want {
			t.Fatalf("formatDays(%d) = %s, want %s", days, got, want)
		}
	}
}
