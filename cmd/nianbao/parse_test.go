package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

const parseTestPage = `<html><head><meta charset="utf-8"></head><body>
<h1>三滩镇2019年政府信息公开年度报告</h1>
<p>发布时间:2020-01-28 10:43</p>
<p>一、基本情况</p><p>2019年度,共公开政府信息82条。</p>
<p>三、政府信息公开申请的办理情况</p><p>2019年度,没有公民、法人或其他组织提出政府信息公开申请。</p>
</body></html>`

// TestParseJSONLines parses a file and a URL served on loopback, and checks
// that an unreadable input is reported on stderr, does not stop the
// others, and makes the command fail.
func TestParseJSONLines(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, []byte(parseTestPage), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/report":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(parseTestPage))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	var out, errb bytes.Buffer
	missing := filepath.Join(dir, "missing.html")
	err := runParse(t.Context(), newApp(&out, &errb, nil), []string{"--json", file, missing, srv.URL + "/report", srv.URL + "/gone"})
	if err == nil || !strings.Contains(err.Error(), "2 of 4 inputs failed") {
		t.Errorf("runParse error = %v, want 2 of 4 inputs failed", err)
	}
	for _, name := range []string{missing, srv.URL + "/gone"} {
		if !strings.Contains(errb.String(), name) {
			t.Errorf("stderr does not name the failed input %s:\n%s", name, errb.String())
		}
	}
	sc := bufio.NewScanner(&out)
	var sources []string
	for sc.Scan() {
		var d map[string]any
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("stdout line is not JSON: %v\n%s", err, sc.Text())
		}
		for _, k := range []string{"source", "format", "stats", "checks", "status"} {
			if _, ok := d[k]; !ok {
				t.Errorf("JSON lacks %q: %s", k, sc.Text())
			}
		}
		stats := d["stats"].(map[string]any)
		if stats["proactive.items"] != 82.0 || stats["requests.new"] != 0.0 {
			t.Errorf("stats = %v, want proactive.items 82 and requests.new 0", stats)
		}
		if d["year"] != 2019.0 || d["agency"] != "三滩镇人民政府" || d["published_at"] != "2020-01-28 10:43" {
			t.Errorf("metadata = %v %v %v", d["year"], d["agency"], d["published_at"])
		}
		sources = append(sources, d["source"].(string))
	}
	if len(sources) != 2 || sources[0] != file || sources[1] != srv.URL+"/report" {
		t.Errorf("JSON lines for %v, want the file and the URL in order", sources)
	}
}

func TestParseSummary(t *testing.T) {
	file := filepath.Join(t.TempDir(), "r.html")
	if err := os.WriteFile(file, []byte(parseTestPage), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := runParse(t.Context(), newApp(&out, &errb, nil), []string{file}); err != nil {
		t.Fatalf("runParse: %v (%s)", err, errb.String())
	}
	for _, want := range []string{"三滩镇人民政府", "township", "2019", "narrative", "proactive.items 82", "requests.new 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParseUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if err := runParse(t.Context(), newApp(&out, &errb, nil), nil); !errors.Is(err, errUsage) {
		t.Errorf("runParse() = %v, want a usage error", err)
	}
	if err := runParse(t.Context(), newApp(&out, &errb, nil), []string{"--bogus", "x"}); !errors.Is(err, errUsage) {
		t.Errorf("runParse(--bogus) = %v, want a usage error", err)
	}
	if err := runParse(t.Context(), newApp(&out, &errb, nil), []string{"--help"}); !errors.Is(err, pflag.ErrHelp) {
		t.Errorf("runParse(--help) = %v, want pflag.ErrHelp", err)
	}
	if !strings.Contains(errb.String(), "Usage: nianbao parse") {
		t.Errorf("usage not written to stderr:\n%s", errb.String())
	}
}

// TestParseNotReport checks that a list page is an error naming the input.
func TestParseNotReport(t *testing.T) {
	file := filepath.Join("..", "..", "parser", "testdata", "list-page.html")
	var out, errb bytes.Buffer
	err := runParse(t.Context(), newApp(&out, &errb, nil), []string{"--json", file})
	if err == nil || out.Len() != 0 || !strings.Contains(errb.String(), "not an annual report") || !strings.Contains(errb.String(), file) {
		t.Errorf("runParse(list page) = %v, stdout %q, stderr %q", err, out.String(), errb.String())
	}
}
