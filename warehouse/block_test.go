package warehouse

import (
	"reflect"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
)

// TestAppendFactMatchesColumns: the unboxed fact and check appenders fill
// the columns in factsTable's and checksTable's order.
func TestAppendFactMatchesColumns(t *testing.T) {
	f := parser.Fact{Metric: "requests.new", Applicant: metrics.Business, Value: 7, Approximate: true, Derived: true,
		Locator: parser.Locator{Table: "table3", Row: "一、本年新收政府信息公开申请数量", Column: "商业企业", Start: 3, End: 9, Text: "x"}}
	fast := newBlock(factsTable, 1)
	appendFact(fast, "r1", &f, 42)
	slow, err := rowsBlock(factsTable, [][]any{{"r1", "requests.new", "business", 7.0, uint8(1), uint8(1), "table3",
		"一、本年新收政府信息公开申请数量", "商业企业", uint32(3), uint32(9), "x", uint64(42)}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("appendFact = %+v\nrowsBlock = %+v", fast.cols, slow.cols)
	}
	c := metrics.Check{Name: "outcome_sum", Metric: "outcome.total", Applicant: metrics.Total, Expected: 5, Actual: 4}
	fastC := newBlock(checksTable, 1)
	appendCheck(fastC, "r1", c, 42)
	slowC, err := rowsBlock(checksTable, [][]any{{"r1", "outcome_sum", "outcome.total", "total", uint8(0), 5.0, 4.0, -1.0, uint64(42)}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fastC, slowC) {
		t.Errorf("appendCheck = %+v\nrowsBlock = %+v", fastC.cols, slowC.cols)
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

// BenchmarkNative measures encoding a block of facts in the Native
// format.
func BenchmarkNative(b *testing.B) {
	r := benchReport("https://x.gov.cn/a.html")
	blk := newBlock(factsTable, len(r.Facts))
	for i := range r.Facts {
		appendFact(blk, "0123456789abcdef0123456789abcdef", &r.Facts[i], 1)
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = blk.appendNative(buf[:0])
	}
	b.ReportMetric(float64(blk.n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
