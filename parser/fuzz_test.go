package parser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// seedCorpus adds every real corpus file and testdata page as seeds.
func seedCorpus(f *testing.F, pattern string) {
	for _, glob := range []string{filepath.Join(corpusDir, pattern), filepath.Join("testdata", pattern)} {
		files, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// warmParser returns a Parser whose OpenCC dictionaries are already loaded,
// so that loading them (new coverage in every worker) is not part of the
// first fuzzed inputs.
func warmParser(f *testing.F) *Parser {
	p := testParser(f)
	if got := p.norm.Fold("國"); got != "国" {
		f.Fatalf("Fold(國) = %q", got)
	}
	return p
}

// fuzzParse is the invariant every fuzz target checks: Parse never panics,
// and an error is always a *parser.Error.
func fuzzParse(t *testing.T, p *Parser, in Input) {
	r, err := p.Parse(context.Background(), in)
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("Parse error %T %v is not a *parser.Error", err, err)
		}
		return
	}
	if r == nil {
		t.Fatal("Parse returned neither a report nor an error")
	}
	for _, f := range r.Facts {
		if f.Metric == "" || f.Applicant == "" {
			t.Fatalf("fact without metric or applicant: %+v", f)
		}
	}
	if _, err := r.MarshalJSON(); err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
}

func FuzzParseHTML(f *testing.F) {
	seedCorpus(f, "*.html")
	f.Add([]byte(`<table><tr><td rowspan="65534" colspan="1000">一、本年新收政府信息公开申请数量</td><td>1</td></tr></table>`))
	f.Add([]byte(`<table><tr><td>规章</td><td><table><tr><td>0</td></tr></table></td></tr></table>`))
	p := warmParser(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzParse(t, p, Input{Source: "fuzz.html", Body: b, ContentType: "text/html; charset=utf-8"})
	})
}

func FuzzParseText(f *testing.F) {
	seedCorpus(f, "*.txt")
	f.Add([]byte("规章000\n|\n(六)其\n3、其他 1 2 3 4 5 6 7\n-4-\n"))
	p := warmParser(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzParse(t, p, Input{Source: "fuzz.txt", Body: b, ContentType: "text/plain"})
	})
}

func FuzzParseDOCX(f *testing.F) {
	f.Add(docxReport(f))
	f.Add(docxOf(f, wp("某镇2020年政府信息公开工作年度报告")+`<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="99999"/><w:vMerge/></w:tcPr></w:tc></w:tr></w:tbl>`))
	p := warmParser(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzParse(t, p, Input{Source: "fuzz.docx", Body: b})
	})
}
