package parser

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentParse parses the corpus from several goroutines with one
// Parser (run with -race): results equal the sequential ones.
func TestConcurrentParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus: %v", err)
	}
	more, _ := filepath.Glob("testdata/*.html")
	files = append(files, more...)
	p := testParser(t)
	want := make(map[string]string)
	for _, f := range files {
		want[f] = parseToJSON(t, p, f)
	}
	fresh := testParser(t) // OpenCC and the gazetteer load under contention
	var wg sync.WaitGroup
	errs := make(chan string, len(files)*4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, f := range files {
				if got := parseToJSON(t, fresh, f); got != want[f] {
					errs <- f
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for f := range errs {
		t.Errorf("concurrent Parse(%s) differs from the sequential result", f)
	}
}

func parseToJSON(t *testing.T, p *Parser, file string) string {
	body, err := os.ReadFile(file)
	if err != nil {
		t.Error(err)
		return ""
	}
	r, err := p.Parse(context.Background(), Input{Source: file, Body: body})
	if err != nil {
		return "error: " + err.Error()
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Error(err)
	}
	return string(b)
}

// TestReportsOutliveScratch keeps every report of a run of parses with one
// Parser, whose working buffers are recycled from parse to parse: each
// report still reads as it did when it was returned.
func TestReportsOutliveScratch(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.html")
	more, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	files = append(files, more...)
	if len(files) < 2 {
		t.Fatal("no pages")
	}
	p := testParser(t)
	type kept struct {
		file, json string
		r          *Report
	}
	var all []kept
	for round := 0; round < 2; round++ {
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.Parse(context.Background(), Input{Source: f, Body: body})
			if err != nil {
				continue
			}
			b, _ := json.Marshal(r)
			all = append(all, kept{f, string(b), r})
		}
	}
	for _, k := range all {
		if b, _ := json.Marshal(k.r); string(b) != k.json {
			t.Errorf("%s: the report changed after later parses", k.file)
		}
	}
}
