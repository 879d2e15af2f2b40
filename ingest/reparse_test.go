package ingest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

// writeArchive archives exchanges in a new directory and returns it with
// the locations written.
func writeArchive(t *testing.T, exs []archive.Exchange) (string, []archive.Location) {
	t.Helper()
	cfg := archive.DefaultConfig()
	cfg.Dir = t.TempDir()
	w, err := archive.NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var locs []archive.Location
	for _, ex := range exs {
		loc, err := w.Write(context.Background(), ex)
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return cfg.Dir, locs
}

func exchange(url, body string, status int, at time.Time) archive.Exchange {
	return archive.Exchange{URL: url, FetchedAt: at, Status: status,
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(body)}
}

func TestReparse(t *testing.T) {
	t0 := time.Date(2024, 2, 1, 8, 0, 0, 123456789, time.UTC)
	dir, locs := writeArchive(t, []archive.Exchange{
		exchange("http://127.0.0.5/a.html", "report A", 200, t0),
		exchange("http://127.0.0.5/a.html", "report A", 200, t0.Add(24*time.Hour)), // same payload again
		exchange("http://127.0.0.5/b.html", "report B", 200, t0),
		exchange("http://127.0.0.5/c.html", "report C", 503, t0),
		exchange("http://127.0.0.5/list.html", "list", 200, t0),
		exchange("http://127.0.0.5/d.html", "report D", 200, t0), // not in the index
	})
	reg := warehouse.Registration{Name: "三滩镇人民政府", Level: "township", RegionCode: "620421113"}
	index := map[string]IndexEntry{}
	for _, loc := range locs[:5] {
		index[warehouse.CaptureID(loc.TargetURI, loc.Date, loc.PayloadDigest)] = IndexEntry{Source: reg, Kind: "page"}
	}
	var parsed atomic.Int64
	const bumped = "9.9.9-test"
	parse := func(ctx context.Context, in parser.Input) (*parser.Report, error) {
		parsed.Add(1)
		r, err := fakeParse(ctx, in)
		if r != nil {
			r.ParserVersion = bumped
		}
		return r, err
	}
	st := &fakeStore{}
	p, err := New(Config{BatchSize: 10, Workers: 2, Queue: 2}, nil, st, parse, nil)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := Reparse(context.Background(), dir, p, index)
	if err != nil {
		t.Fatalf("Reparse: %v", err)
	}
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := ReparseStats{Records: 6, Queued: 4, Duplicates: 1, Unindexed: 1, Skipped: 1}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	if n := parsed.Load(); n != 4 {
		t.Errorf("parsed %d documents, want 4 (a, b, list, d)", n)
	}
	var urls []string
	for _, r := range st.reports {
		urls = append(urls, r.SourceURL)
		if r.Report.ParserVersion != bumped || r.Source != reg && r.SourceURL != "http://127.0.0.5/d.html" {
			t.Errorf("report %s: version %s, source %+v", r.SourceURL, r.Report.ParserVersion, r.Source)
		}
		if r.WARCFile == "" || r.PayloadDigest == "" {
			t.Errorf("report %s lacks provenance: %+v", r.SourceURL, r)
		}
	}
	slices.Sort(urls)
	if want := []string{"http://127.0.0.5/a.html", "http://127.0.0.5/b.html", "http://127.0.0.5/d.html"}; !slices.Equal(urls, want) {
		t.Errorf("reports loaded for %v, want %v", urls, want)
	}
	// Only the capture the index lacked is written.
	if len(st.captures) != 1 || st.captures[0].URL != "http://127.0.0.5/d.html" || st.captures[0].WARCRecordID == "" {
		t.Errorf("captures written = %+v, want d.html's alone, with its record ID", st.captures)
	}
}

// refreshingStore is a fakeStore that counts refreshes.
type refreshingStore struct {
	fakeStore
	refreshes atomic.Int64
}

func (s *refreshingStore) Refresh(context.Context, time.Time) (warehouse.RefreshResult, error) {
	s.refreshes.Add(1)
	return warehouse.RefreshResult{}, nil
}

func TestCloseRefreshes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		refresh bool
		bodies  []string
		want    int64
	}{
		{"AfterReports", true, []string{"report 1", "list"}, 1},
		{"NotWithoutReports", true, []string{"list"}, 0},
		{"NotWhenDisabled", false, []string{"report 1"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &refreshingStore{}
			cfg := DefaultConfig()
			cfg.Refresh = tc.refresh
			p, err := New(cfg, &fakeArchive{}, st, fakeParse, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range tc.bodies {
				if err := p.Capture(context.Background(), capture(fmt.Sprintf("/%d.html", i), b, 200, "page")); err != nil {
					t.Fatal(err)
				}
			}
			for range 2 { // a second Close refreshes no more
				if err := p.Close(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if n := st.refreshes.Load(); n != tc.want {
				t.Errorf("%d refreshes, want %d", n, tc.want)
			}
		})
	}
}

func TestHint(t *testing.T) {
	for _, tc := range []struct {
		src  warehouse.Registration
		want parser.Hint
	}{
		{warehouse.Registration{Name: "三滩镇人民政府", Level: "township", RegionCode: "620421113"},
			parser.Hint{Agency: "三滩镇人民政府", Level: "township", RegionCode: "620421113"}},
		{warehouse.Registration{Name: "靖远县教育局", Level: "department", RegionCode: "620421"},
			parser.Hint{Agency: "靖远县教育局", Level: "department", RegionCode: "620421"}},
		// A county portal hosts its townships' and departments' reports.
		{warehouse.Registration{Name: "靖远县人民政府", Level: "county", RegionCode: "620421"},
			parser.Hint{RegionCode: "620421"}},
	} {
		if got := hint(tc.src); got != tc.want {
			t.Errorf("hint(%+v) = %+v, want %+v", tc.src, got, tc.want)
		}
	}
}
