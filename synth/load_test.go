package synth

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

// recordingStore records the order of what Load does to it: "P" paused
// merges, "R" resumed them, "w" a batch of reports, "F" refreshed.
type recordingStore struct {
	mu     sync.Mutex
	events []string
}

func (s *recordingStore) add(e string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
}

func (s *recordingStore) WriteSources(context.Context, []warehouse.Source) error   { return nil }
func (s *recordingStore) WriteCaptures(context.Context, []warehouse.Capture) error { return nil }
func (s *recordingStore) WriteReports(context.Context, []warehouse.ReportLoad) error {
	s.add("w")
	return nil
}
func (s *recordingStore) Refresh(context.Context, time.Time) (warehouse.RefreshResult, error) {
	s.add("F")
	return warehouse.RefreshResult{}, nil
}
func (s *recordingStore) PauseMerges(context.Context) (func(context.Context) error, error) {
	s.add("P")
	return func(context.Context) error { s.add("R"); return nil }, nil
}

// TestLoadResumesMerges: the merges Load pauses start again once, after
// ResumeMergesAt of the batches (10 here, one writer), and at the end by
// default.
func TestLoadResumesMerges(t *testing.T) {
	for _, tc := range []struct {
		at   float64
		want string
	}{
		{0, "PwwwwwwwwwwRF"},
		{1, "PwwwwwwwwwwRF"},
		{0.5, "PwwwwwRwwwwwF"},
		{0.01, "PwRwwwwwwwwwF"},
	} {
		gen := generator(t, func(c *Config) {
			c.BatchReports, c.Writers, c.ResumeMergesAt = 5*17, 1, tc.at // 49 agencies, 5 per batch: 10 batches
		})
		st := &recordingStore{}
		if _, err := gen.Load(context.Background(), st, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(st.events, ""); got != tc.want {
			t.Errorf("ResumeMergesAt %v: %s, want %s", tc.at, got, tc.want)
		}
	}
	if err := (Config{ResumeMergesAt: 1.5}).Validate(); err == nil || !strings.Contains(err.Error(), "resume_merges_at") {
		t.Errorf("ResumeMergesAt 1.5 validates: %v", err)
	}
}
