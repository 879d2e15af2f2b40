package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current writer")

// goldenDir holds an archive written by an earlier version of this package,
// with what reading it must give: files written today must stay readable.
const goldenDir = "testdata/golden"

// writeGolden writes the golden archive into dir.
func writeGolden(t *testing.T, dir string) {
	cfg := DefaultConfig()
	cfg.Dir = dir
	w, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w.now = func() time.Time { return at }
	w.run = at.Format("20060102150405")
	ctx := context.Background()
	page := htmlExchange("http://127.0.0.1/2025/report.html", []byte("<p>主动公开 12 件</p>"))
	loc, err := w.Write(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	gb := page
	gb.URL, gb.Body = "http://127.0.0.1/2024/report.html", gbk(t, "<p>依申请公开 3 件</p>")
	gb.Header = http.Header{"Content-Type": {"text/html; charset=gbk"}, "Transfer-Encoding": {"chunked"}}
	gb.Proto, gb.IP = "HTTP/2.0", "::1"
	if _, err := w.Write(ctx, gb); err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteRevisit(ctx, page, loc, ProfileIdenticalPayloadDigest); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestGoldenArchive(t *testing.T) {
	if *update {
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
		writeGolden(t, goldenDir)
	}
	paths := warcPaths(t, goldenDir)
	if len(paths) != 1 {
		t.Fatalf("%s holds %d WARC files, want 1", goldenDir, len(paths))
	}
	var all []*Record
	if err := scanAll(paths[0], func(r *Record) { all = append(all, r) }); err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(goldenDir, "records.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("reading %s gives records that differ from %s (run go test ./archive -run Golden -update if the change is intended):\n%s", paths[0], golden, got)
	}
	iaCheckDir(t, goldenDir)
}
