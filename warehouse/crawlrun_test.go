package warehouse

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestWriteCrawlRun(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		migrate(t, w)
		ctx := context.Background()
		start := time.Date(2025, 2, 1, 3, 0, 0, 0, time.UTC)
		run := CrawlRun{RunID: "run-1", Shard: "0/2", StartedAt: start, Sources: 12}
		if err := w.WriteCrawlRun(ctx, run); err != nil {
			t.Fatalf("WriteCrawlRun(start): %v", err)
		}
		run.FinishedAt = start.Add(90 * time.Minute)
		run.Requests, run.Bytes, run.Retries, run.Failures = 500, 1<<20, 7, 3
		run.Captures, run.Revisits, run.Reports, run.ParseErrors = 497, 200, 40, 1
		run.ErrorClasses, run.ErrorCounts = []string{"timeout", "http_5xx"}, []int64{2, 1}
		run.Hosts = []CrawlRunHost{
			{Host: "a.gov.cn", Requests: 300, Bytes: 1000, Failures: 0},
			{Host: "b.gov.cn", Requests: 200, Bytes: 24, Failures: 3, Tripped: true},
		}
		for range 2 { // the final summary, written twice
			if err := w.WriteCrawlRun(ctx, run); err != nil {
				t.Fatalf("WriteCrawlRun(end): %v", err)
			}
		}
		r := mustQuery(t, w, `SELECT run_id, shard, started_at, finished_at, sources, requests, bytes, retries,
			failures, captures, revisits, reports, parse_errors, error_classes, error_counts FROM crawl_runs`)
		want := [][]any{{"run-1", "0/2", start, start.Add(90 * time.Minute), uint64(12), uint64(500), uint64(1 << 20),
			uint64(7), uint64(3), uint64(497), uint64(200), uint64(40), uint64(1),
			[]any{"timeout", "http_5xx"}, []any{uint64(2), uint64(1)}}}
		if !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("crawl_runs =\n%#v\nwant\n%#v", r.Rows, want)
		}
		r = mustQuery(t, w, "SELECT host, requests, bytes, failures, tripped FROM crawl_run_hosts ORDER BY host")
		wantHosts := [][]any{
			{"a.gov.cn", uint64(300), uint64(1000), uint64(0), uint64(0)},
			{"b.gov.cn", uint64(200), uint64(24), uint64(3), uint64(1)},
		}
		if !reflect.DeepEqual(r.Rows, wantHosts) {
			t.Errorf("crawl_run_hosts =\n%#v\nwant\n%#v", r.Rows, wantHosts)
		}
	})
}

func TestWriteCrawlRunRejects(t *testing.T) {
	w := &Warehouse{now: time.Now} // never reaches the engine
	for _, tc := range []struct {
		name string
		run  CrawlRun
	}{
		{"NoRunID", CrawlRun{}},
		{"ErrorArraysDiffer", CrawlRun{RunID: "r", ErrorClasses: []string{"timeout"}}},
		{"HostWithoutName", CrawlRun{RunID: "r", Hosts: []CrawlRunHost{{Requests: 1}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := w.WriteCrawlRun(context.Background(), tc.run); err == nil {
				t.Error("WriteCrawlRun accepted it")
			}
		})
	}
}

func TestCaptureRecordFields(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		migrate(t, w)
		ctx := context.Background()
		fetched := time.Date(2025, 2, 1, 3, 4, 5, 0, time.UTC)
		caps := []Capture{
			{URL: "https://a.gov.cn/nb.html", FetchedAt: fetched, Status: 200, PayloadDigest: "sha1:A",
				ETag: `"5f-1"`, LastModified: "Sat, 01 Feb 2025 00:00:00 GMT", RunID: "run-1"},
			{URL: "https://a.gov.cn/nb.html", FetchedAt: fetched.Add(24 * time.Hour), Status: 304, PayloadDigest: "sha1:A",
				RecordType: RecordRevisit, RefersTo: "<urn:uuid:1234>", ETag: `"5f-1"`, RunID: "run-2"},
		}
		if err := w.WriteCaptures(ctx, caps); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteCaptures(ctx, caps); err != nil { // twice: still two
			t.Fatal(err)
		}
		r := mustQuery(t, w, `SELECT record_type, refers_to, etag, last_modified, run_id FROM captures_current ORDER BY fetched_at`)
		want := [][]any{
			{"response", "", `"5f-1"`, "Sat, 01 Feb 2025 00:00:00 GMT", "run-1"},
			{"revisit", "<urn:uuid:1234>", `"5f-1"`, "", "run-2"},
		}
		if !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("captures_current =\n%#v\nwant\n%#v", r.Rows, want)
		}
		if err := w.WriteCaptures(ctx, []Capture{{URL: "https://a.gov.cn/x", RecordType: "request"}}); err == nil {
			t.Error("WriteCaptures accepted record type request")
		}
	})
}

// TestMigrateFromV3KeepsCaptures: captures written under migration 3
// read record_type 'response' after migration 4.
func TestMigrateFromV3KeepsCaptures(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		ctx := context.Background()
		if err := w.migrateTo(ctx, 3); err != nil {
			t.Fatal(err)
		}
		if err := w.eng.exec(ctx, `INSERT INTO capture_rows (capture_id, url, version) SELECT 'c1', 'https://x.gov.cn/', 1`); err != nil {
			t.Fatal(err)
		}
		migrate(t, w)
		r := mustQuery(t, w, "SELECT capture_id, record_type, run_id FROM captures_current")
		want := [][]any{{"c1", "response", ""}}
		if !reflect.DeepEqual(r.Rows, want) {
			t.Errorf("captures_current after migrating = %#v, want %#v", r.Rows, want)
		}
	})
}

// TestPauseMerges: loads while merges are paused are read back whole and
// once, and merges resume.
func TestPauseMerges(t *testing.T) {
	forEachTransport(t, func(t *testing.T, w *Warehouse) {
		migrate(t, w)
		ctx := context.Background()
		resume, err := w.PauseMerges(ctx)
		if err != nil {
			t.Fatalf("PauseMerges: %v", err)
		}
		rep := sampleReport("https://x.gov.cn/a.html", "甲县人民政府", "620401", 2023, 7)
		for range 3 {
			if err := w.WriteReports(ctx, []ReportLoad{sampleLoad(rep, "sha1:A", day("2024-01-02"))}); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, w, "facts"); n != uint64(len(rep.Facts)) {
			t.Errorf("facts = %d with merges paused, want %d", n, len(rep.Facts))
		}
		if err := resume(ctx); err != nil {
			t.Fatalf("resume: %v", err)
		}
	})
}
