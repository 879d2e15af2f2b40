package parser

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// checkGolden compares r's JSON with the golden file, rewriting it under
// -update.
func checkGolden(t *testing.T, path string, r *Report) {
	t.Helper()
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGoldenText(t, path, "Parse("+r.Source+")", string(got)+"\n")
}

// checkGoldenText compares got, what subject produced, with the golden
// file, rewriting it under -update.
func checkGoldenText(t *testing.T, path, subject, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run go test ./parser -update)", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s (run go test ./parser -update and review the diff):\n%s",
			subject, path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + w + "\n  got  " + g
		}
	}
	return ""
}

// TestGoldenFixtures parses the hand-written portal pages of testdata and
// compares each with its golden JSON.
func TestGoldenFixtures(t *testing.T) {
	p := testParser(t)
	files, err := filepath.Glob("testdata/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		if name == "list-page.html" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.Parse(context.Background(), Input{Source: name, Body: body})
			if err != nil {
				t.Fatalf("Parse(%s): %v", name, err)
			}
			checkGolden(t, strings.TrimSuffix(f, ".html")+".golden.json", r)
			checkLocators(t, r)
		})
	}
}
