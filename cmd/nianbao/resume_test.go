package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
)

// childEnv carries the command line a test binary re-executed as a child
// runs instead of the tests (see TestMain).
const childEnv = "NIANBAO_TEST_CHILD_ARGS"

// TestMain runs the tests, or, in a child process started by a test, one
// nianbao command line, exactly as the binary would.
func TestMain(m *testing.M) {
	if js := os.Getenv(childEnv); js != "" {
		var args []string
		if err := json.Unmarshal([]byte(js), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(exitFailure)
		}
		if err := run(context.Background(), args, newApp(os.Stdout, os.Stderr, os.Environ())); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(exitCode(err))
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child returns a command that runs a nianbao command line in a child
// process (this test binary, see TestMain). Its stderr is kept for failure
// messages, and marked (in the returned channel) when the crawl starts.
func child(t *testing.T, ctx context.Context, stdout *bytes.Buffer, env []string, args ...string) (*exec.Cmd, <-chan struct{}) {
	t.Helper()
	js, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env...), childEnv+"="+string(js))
	cmd.Stdout = stdout
	stderr := &watchWriter{mark: "crawl started", seen: make(chan struct{})}
	cmd.Stderr = stderr
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("child %v stderr:\n%s", args, lastLines(stderr.String(), 20))
		}
	})
	return cmd, stderr.seen
}

// watchWriter keeps what is written to it and closes seen when mark
// first appears.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	mark string
	seen chan struct{}
	once sync.Once
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.mark) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// completed reports whether the crawl into dir finished: it has archived
// something (so its journal was created) and its journal is gone.
func completed(t *testing.T, dir string) bool {
	t.Helper()
	warcs, err := filepath.Glob(filepath.Join(dir, "archive", "*.warc.gz*"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = os.Stat(filepath.Join(dir, "archive", "frontier.journal"))
	return len(warcs) > 0 && os.IsNotExist(err)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// snapshot returns what the warehouse in dir answers to the queries that
// define its content: the reports (by deterministic key), facts, checks,
// and the latest report per body and year.
func snapshot(t *testing.T, ctx context.Context, dir string, env []string) string {
	t.Helper()
	var out bytes.Buffer
	q := `SELECT
  (SELECT count() FROM reports), (SELECT uniqExact(report_id) FROM reports),
  (SELECT count() FROM facts), (SELECT count() FROM checks), (SELECT count() FROM reports_latest),
  (SELECT groupArray(x) FROM (SELECT concat(report_id, ' ', source_url) AS x FROM reports ORDER BY x))`
	cmd, _ := child(t, ctx, &out, env, "query", "--warehouse", "chdb://"+filepath.Join(dir, "warehouse"), "--format", "json", q)
	if err := cmd.Run(); err != nil {
		t.Fatalf("query %s: %v", dir, err)
	}
	return out.String()
}

// TestKill9Resume kills `nianbao crawl` with SIGKILL at random points —
// while opening the warehouse, crawling, parsing, loading or recovering —
// and runs it again until it finishes. The final warehouse must equal that
// of a crawl never interrupted, and the resumed runs must not fetch again
// what a killed run had finished (only what it had in flight).
func TestKill9Resume(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	sim := variedSim(t, ctx, logger, 0, nil)
	tmp := t.TempDir()
	sourcesFile := filepath.Join(tmp, "sources.yaml")
	f, err := os.Create(sourcesFile)
	if err != nil {
		t.Fatal(err)
	}
	sources := sourcesOf(sim.Portals())
	if err := config.WriteSources(f, sources); err != nil {
		t.Fatal(err)
	}
	f.Close()
	env := []string{"NIANBAO_CRAWLER_REQUEST_TIMEOUT=5s", "NIANBAO_CRAWLER_DELAY=100ms", "NIANBAO_CRAWLER_CONCURRENCY=16"}
	crawlArgs := func(dir string) []string {
		return []string{"crawl", "--sources", sourcesFile, "--warehouse", "chdb://" + filepath.Join(dir, "warehouse"),
			"--archive", filepath.Join(dir, "archive"), "--progress", "off"}
	}

	// A clean run, for reference and timing.
	clean := filepath.Join(tmp, "clean")
	sim.ResetStats()
	var out bytes.Buffer
	cmd, started := child(t, ctx, &out, env, crawlArgs(clean)...)
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var startup time.Duration
	var startedAt time.Time
	select {
	case <-started:
		startedAt = time.Now()
		startup = startedAt.Sub(begin)
	case <-ctx.Done():
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("clean crawl: %v", err)
	}
	took := time.Since(begin)
	crawling := took - startup
	cleanReqs, _ := sim.Requests()
	// fetching is how long requests went on after the crawl started;
	// parsing, loading and refreshing the warehouse take the rest.
	fetching := crawling
	if n := len(cleanReqs); n > 0 && cleanReqs[n-1].Time.After(startedAt) {
		fetching = cleanReqs[n-1].Time.Sub(startedAt)
	}
	want := snapshot(t, ctx, clean, env)

	// Interrupted runs, then one that finishes. The first kill lands
	// anywhere (opening the warehouse, recovering, crawling); the others
	// while the crawl is under way.
	resumed := filepath.Join(tmp, "resumed")
	sim.ResetStats()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 4))
	kills := 0
	for attempt := 0; ; attempt++ {
		if attempt > 8 {
			t.Fatal("crawl never finished")
		}
		out.Reset()
		cmd, started := child(t, ctx, &out, env, crawlArgs(resumed)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if kills < 3 {
			var at <-chan time.Time
			if kills == 0 {
				// Anywhere from opening the warehouse to early crawling.
				at = time.After(time.Duration(float64(startup) * 1.2 * rng.Float64()))
			} else {
				select {
				case <-started:
				case err := <-done:
					t.Fatalf("crawl run %d ended before crawling: %v", attempt, err)
				}
				// One kill while fetching, one anywhere until the end.
				span := fetching
				if kills == 2 {
					span = crawling
				}
				at = time.After(time.Duration(float64(span) * 0.9 * rng.Float64()))
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("crawl run %d: %v", attempt, err)
				}
				t.Logf("run %d finished before its kill", attempt)
				if kills == 0 {
					t.Error("no run was killed: the test proved nothing")
				}
				goto finished
			case <-at:
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				kills++
				reqs, _ := sim.Requests()
				t.Logf("run %d killed (%d requests so far)", attempt, len(reqs))
				if completed(t, resumed) {
					// Killed after the crawl had finished and removed its
					// journal: another run would be a new crawl.
					t.Logf("run %d had finished its crawl", attempt)
					goto finished
				}
				continue
			}
		}
		if err := <-done; err != nil {
			t.Fatalf("crawl run %d: %v", attempt, err)
		}
		if !strings.Contains(out.String(), "finished") {
			t.Errorf("last run did not report finishing:\n%s", out.String())
		}
		break
	}
finished:
	if got := snapshot(t, ctx, resumed, env); got != want {
		t.Errorf("warehouse after %d kills and resumes differs from a clean crawl's:\n got %s\nwant %s", kills, got, want)
	}

	// Only URLs in flight at a kill (one per host at most) were fetched
	// twice.
	reqs, dropped := sim.Requests()
	if dropped > 0 {
		t.Fatalf("simulator request log overflowed (%d dropped)", dropped)
	}
	seen := map[string]int{}
	for _, r := range reqs {
		if !strings.HasSuffix(r.Path, "/robots.txt") {
			seen[r.Host+r.Path]++
		}
	}
	again := 0
	for _, n := range seen {
		again += n - 1
	}
	// At most one URL per worker (2 × concurrency + 8, see crawler) is in
	// flight, and one per host.
	if bound := kills * min(2*16+8, len(sources)); again > bound {
		t.Errorf("%d requests repeated across %d kills, want at most %d (those in flight)", again, kills, bound)
	}
	t.Logf("clean crawl %s (%s crawling, %s fetching), %d requests; %d kills, %d requests in all after, %d repeated",
		took.Round(time.Millisecond), crawling.Round(time.Millisecond), fetching.Round(time.Millisecond), len(cleanReqs), kills, len(reqs), again)
}
