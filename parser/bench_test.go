package parser

import (
	"bytes"
	"context"
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

// BenchmarkParse parses a table2021 HTML report end to end: decoding, DOM,
// tables, prose, metadata and checks.
func BenchmarkParse(b *testing.B) {
	body := readBench(b)
	p := testParser(b)
	in := Input{Source: benchPage, Body: body, ContentType: "text/html; charset=utf-8"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := p.Parse(context.Background(), in)
		if err != nil || len(r.Facts) < 200 {
			b.Fatalf("Parse: %v, %d facts", err, len(r.Facts))
		}
	}
}

// BenchmarkHTMLParse is the bare DOM build of the same page with
// golang.org/x/net/html, the floor BenchmarkParse is compared with.
func BenchmarkHTMLParse(b *testing.B) {
	body := readBench(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoqueryDocument is goquery's own DOM build of the same page.
func BenchmarkGoqueryDocument(b *testing.B) {
	body := readBench(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := goquery.NewDocumentFromReader(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}
