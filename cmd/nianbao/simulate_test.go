package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/simulator"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSimulateWritesSourcesAndTruth(t *testing.T) {
	dir := t.TempDir()
	sourcesPath, truthPath := filepath.Join(dir, "sources.yaml"), filepath.Join(dir, "truth.json")
	var stdout, stderr syncBuffer
	a := newApp(&stdout, &stderr, nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- runSimulate(ctx, a, []string{"--counties", "620402", "--port", "0", "--addr", "127.0.6.1",
			"--sources-out", sourcesPath, "--truth-out", truthPath})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stderr.String(), "serving") {
		select {
		case err := <-done:
			t.Fatalf("runSimulate returned early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator did not start:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	sources, err := config.LoadSources(sourcesPath)
	if err != nil {
		t.Fatalf("config.LoadSources: %v", err)
	}
	if len(sources) != 11 { // 白银区: 10 townships and the district government
		t.Errorf("%d sources, want 11", len(sources))
	}
	raw, err := os.ReadFile(sourcesPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `region_code: "620402001"`) {
		t.Errorf("sources YAML does not quote region codes:\n%s", raw)
	}
	var truth struct {
		Config  simulator.Config   `json:"config"`
		Portals []simulator.Portal `json:"portals"`
		Reports []simulator.Truth  `json:"reports"`
	}
	b, err := os.ReadFile(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatalf("truth JSON: %v", err)
	}
	if len(truth.Portals) != len(sources) || len(truth.Reports) == 0 || truth.Config.Counties[0] != "620402" {
		t.Fatalf("truth has %d portals, %d reports, config %+v", len(truth.Portals), len(truth.Reports), truth.Config)
	}
	for _, u := range []string{sources[0].StartURLs[0], truth.Reports[len(truth.Reports)-1].URL} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", u, resp.StatusCode)
		}
	}
	if !strings.Contains(stderr.String(), "start_url=http://127.0.6.") {
		t.Errorf("listening addresses not logged:\n%s", stderr.String())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runSimulate = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runSimulate did not stop when cancelled")
	}
}

func TestSimulateFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"--addr", "10.0.0.1"},
		{"--templates", "narrative=lots"},
		{"--templates", "table1999=1"},
		{"--counties", "62042"},
		{"extra"},
		{"--profile", "nope"},
		{"--faults", "fire=1"},
		{"--faults", "5xx=2"},
		{"--host-faults", "620402001"},
		{"--host-faults", "620402001:5xx=x"},
		{"--admin", "10.0.0.1:9090"},
		{"--admin", "localhost"},
	} {
		var out, errb bytes.Buffer
		err := runSimulate(t.Context(), newApp(&out, &errb, nil), args)
		if !errors.Is(err, errUsage) {
			t.Errorf("runSimulate(%q) = %v, want a usage error", args, err)
		}
	}
	var out, errb bytes.Buffer
	if err := runSimulate(t.Context(), newApp(&out, &errb, nil), []string{"--help"}); !errors.Is(err, pflag.ErrHelp) {
		t.Errorf("--help = %v, want pflag.ErrHelp", err)
	}
	if !strings.Contains(errb.String(), "--sources-out") {
		t.Errorf("usage lacks --sources-out:\n%s", errb.String())
	}
}

// TestSimulateAdvances runs the mixed profile with faults and an admin
// API, then advances it by POST /advance and by SIGHUP, checking the
// truth file follows.
func TestSimulateAdvances(t *testing.T) {
	dir := t.TempDir()
	truthPath := filepath.Join(dir, "truth.json")
	var stdout, stderr syncBuffer
	a := newApp(&stdout, &stderr, nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- runSimulate(ctx, a, []string{"--profile", "mixed", "--counties", "620402", "--port", "0", "--addr", "127.0.19.1",
			"--faults", "5xx=0.2,permanent=0.5", "--host-faults", "620402001:reset=1,permanent=1",
			"--admin", "127.0.0.1:0", "--truth-out", truthPath})
	}()
	adminRE := regexp.MustCompile(`admin API" url=(http://127\.0\.0\.1:[0-9]+)`)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stderr.String(), "serving") {
		select {
		case err := <-done:
			t.Fatalf("runSimulate returned early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator did not start:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	m := adminRE.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("admin URL not logged:\n%s", stderr.String())
	}
	type truthFile struct {
		Config     simulator.Config   `json:"config"`
		Generation int                `json:"generation"`
		Portals    []simulator.Portal `json:"portals"`
		Reports    []simulator.Truth  `json:"reports"`
	}
	read := func() truthFile {
		var tf truthFile
		b, err := os.ReadFile(truthPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &tf); err != nil {
			t.Fatalf("truth JSON: %v", err)
		}
		return tf
	}
	tf := read()
	unreachable := 0
	for _, r := range tf.Reports {
		if r.RegionCode == "620402001" && r.Reachable() { // every URL resets
			t.Errorf("%s %d is reachable", r.Agency, r.Year)
		}
		if !r.Reachable() {
			unreachable++
		}
	}
	if tf.Generation != 0 || unreachable == 0 || tf.Config.Faults.HostShare != 1 || tf.Config.Styles["hanweb"] == 0 {
		t.Errorf("truth: generation %d, %d unreachable, config %+v", tf.Generation, unreachable, tf.Config.Faults)
	}
	resp, err := http.Post(m[1]+"/advance", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if g := read().Generation; g != 1 {
		t.Errorf("after POST /advance the truth file says generation %d", g)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for read().Generation != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("SIGHUP did not advance to generation 2")
		}
		time.Sleep(10 * time.Millisecond)
	}
	resp, err = http.Get(m[1] + "/stats?starts=0")
	if err != nil {
		t.Fatal(err)
	}
	var stats []simulator.HostStats
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil || len(stats) != 11 {
		t.Errorf("GET /stats: %d portals, %v", len(stats), err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runSimulate = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runSimulate did not stop when cancelled")
	}
}
