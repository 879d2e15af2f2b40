package parser

import (
	"bytes"
	"context"
	"github.com/nianbao/nianbao/metrics"
	"os"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// benchPage is the table2021 report page the benchmarks parse.
const benchPage = "testdata/dawuli-2023.html"

func readBench(b *testing.B) []byte {
	b.Helper()
	body, err := os.ReadFile(benchPage)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// reportCPU adds the process CPU time per operation to b's results as
// cpu-ns/op, and the rate it allows on one core as reports/cpu-s. Unlike
// ns/op (wall time) it does not count time the benchmark waited for a CPU
// on a busy machine; on an idle one the two agree.
func reportCPU(b *testing.B, start int64, ok bool) {
	end, ok2 := processCPU()
	if !ok || !ok2 || b.N == 0 {
		return
	}
	perOp := float64(end-start) / float64(b.N)
	b.ReportMetric(perOp, "cpu-ns/op")
	b.ReportMetric(1e9/perOp, "reports/cpu-s")
}

// BenchmarkParse parses a table2021 HTML report end to end: decoding,
// tokenizing, tables, prose, metadata and checks. Run it with -cpu 1 for
// the rate per core.
func BenchmarkParse(b *testing.B) {
	body := readBench(b)
	p := testParser(b)
	in := Input{Source: benchPage, Body: body, ContentType: "text/html; charset=utf-8"}
	if _, err := p.Parse(context.Background(), in); err != nil { // load the gazetteer outside the timing
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		r, err := p.Parse(context.Background(), in)
		if err != nil || len(r.Facts) < 200 {
			b.Fatalf("Parse: %v, %d facts", err, len(r.Facts))
		}
	}
	reportCPU(b, start, ok)
}

// BenchmarkHTMLParse is the bare DOM build of the same page with
// golang.org/x/net/html, the floor BenchmarkParse is compared with.
func BenchmarkHTMLParse(b *testing.B) {
	body := readBench(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, ok)
}

// BenchmarkGoqueryDocument is goquery's own DOM build of the same page.
func BenchmarkGoqueryDocument(b *testing.B) {
	body := readBench(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		if _, err := goquery.NewDocumentFromReader(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, ok)
}

// BenchmarkReportVerify is Report.Verify on the table2021 report's facts,
// next to BenchmarkMetricsVerify, metrics.Verify over its Values map.
func BenchmarkReportVerify(b *testing.B) {
	r := benchReport(b)
	v := metrics.NewVerifier()
	b.ReportAllocs()
	for b.Loop() {
		r.Verify(v)
	}
}

// BenchmarkMetricsVerify is metrics.Verify(r.Values()) on the same report.
func BenchmarkMetricsVerify(b *testing.B) {
	r := benchReport(b)
	b.ReportAllocs()
	for b.Loop() {
		metrics.Verify(r.Values())
	}
}

func benchReport(b *testing.B) *Report {
	b.Helper()
	r, err := testParser(b).Parse(context.Background(), Input{Source: benchPage, Body: readBench(b), ContentType: "text/html; charset=utf-8"})
	if err != nil || len(r.Facts) < 200 {
		b.Fatalf("Parse: %v, %d facts", err, len(r.Facts))
	}
	return r
}
