package crawler

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestJournalReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontier.journal")
	j, err := OpenJournal(path, "run-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if j.Resumed() || j.RunID() != "run-1" {
		t.Fatalf("new journal: resumed=%v run=%s", j.Resumed(), j.RunID())
	}
	j.queued(entry{url: "http://a.test/", depth: 0, role: roleStart})
	j.queued(entry{url: "http://a.test/nb/index.html", depth: 1, role: roleColumn})
	j.queued(entry{url: "http://a.test/nb/t1.html", depth: 2, role: roleReport})
	j.done("http://a.test/")
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	// A crash mid-write leaves a torn line.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("d\thttp://a.test/nb/ind")
	f.Close()

	j2, err := OpenJournal(path, "run-2", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !j2.Resumed() || j2.RunID() != "run-1" || j2.Finished() != 1 {
		t.Fatalf("reopened: resumed=%v run=%s finished=%d, want run-1 resumed with 1 finished", j2.Resumed(), j2.RunID(), j2.Finished())
	}
	pending, done := j2.takeReplay()
	want := []entry{{url: "http://a.test/nb/index.html", depth: 1, role: roleColumn}, {url: "http://a.test/nb/t1.html", depth: 2, role: roleReport}}
	if len(pending) != 2 || pending[0] != want[0] || pending[1] != want[1] || len(done) != 1 {
		t.Fatalf("replay = %v, %d done; want %v, 1 done", pending, len(done), want)
	}
	j2.done("http://a.test/nb/index.html")
	if err := j2.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "nb/ind\n") || !strings.HasSuffix(string(b), "d\thttp://a.test/nb/index.html\n") {
		t.Errorf("torn line not cut before appending:\n%s", b)
	}

	j3, err := OpenJournal(path, "run-3", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := j3.Complete(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("completed journal still there: %v", err)
	}
	j4, err := OpenJournal(path, "run-4", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer j4.Close()
	if j4.Resumed() || j4.RunID() != "run-4" {
		t.Errorf("after Complete: resumed=%v run=%s, want a fresh run-4", j4.Resumed(), j4.RunID())
	}
}

func TestJournalRejectsOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x")
	os.WriteFile(path, []byte("hello\n"), 0o644)
	if _, err := OpenJournal(path, "r", 0); err == nil {
		t.Error("opened a file that is not a journal")
	}
}

// cancelAfter is a Sink that cancels the crawl after n report captures.
type cancelAfter struct {
	recorder
	n      int64
	seen   atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Capture(ctx context.Context, cp *Capture) error {
	c.recorder.Capture(ctx, cp)
	if strings.Contains(cp.URL, "t2023_") && c.seen.Add(1) == c.n {
		c.cancel()
	}
	return nil
}

// A crawl interrupted midway resumes from its journal: every report is
// fetched in the end, the ones finished before the interruption are not
// fetched again, and the resumed captures carry the first run's ID.
func TestResumeFromJournal(t *testing.T) {
	const reports = 30
	s, srv := newSite(column(reports))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "frontier.journal")
	cfg := testConfig()
	cfg.Delay = 2 * time.Millisecond
	source := src(srv.URL + "/zfxxgknb/index.html")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	j, err := OpenJournal(path, "run-a", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx1, cancel1 := context.WithCancel(ctx)
	first := &cancelAfter{n: 10, cancel: cancel1}
	c, _ := New(cfg, first, nil)
	if _, err := c.Run(ctx1, []Source{source}, RunOptions{Journal: j}); err == nil {
		t.Fatal("interrupted run returned no error")
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j, err = OpenJournal(path, "run-b", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !j.Resumed() || j.RunID() != "run-a" {
		t.Fatalf("journal resumed=%v run=%s", j.Resumed(), j.RunID())
	}
	second := &recorder{}
	c, _ = New(cfg, second, nil)
	if _, err := c.Run(ctx, []Source{source}, RunOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	if err := j.Complete(); err != nil {
		t.Fatal(err)
	}

	firstURLs := map[string]bool{}
	for _, cp := range first.captures {
		firstURLs[cp.URL] = true
	}
	refetched := 0
	for _, cp := range second.captures {
		if cp.RunID != "run-a" {
			t.Errorf("resumed capture %s has run %q, want run-a", cp.URL, cp.RunID)
		}
		if firstURLs[cp.URL] && !strings.HasSuffix(cp.URL, "/robots.txt") {
			refetched++
		}
	}
	// Only fetches cut short by the interruption may be repeated.
	if refetched > 2 {
		t.Errorf("%d URLs finished before the interruption were fetched again", refetched)
	}
	for i := range reports {
		p := "/zfxxgknb/t2023_" + strconv.Itoa(i) + ".html"
		if n := s.count(p); n < 1 || n > 2 {
			t.Errorf("%s fetched %d times over both runs", p, n)
		}
	}
	if len(first.captures) < 10 || len(second.captures) < reports-10 {
		t.Errorf("captures: %d then %d", len(first.captures), len(second.captures))
	}
}
