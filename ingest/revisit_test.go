package ingest

import (
	"context"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/warehouse"
)

// A recrawl archives unchanged payloads as revisit records — a 304 as
// server-not-modified, the same bytes as identical-payload-digest — and
// parses and loads only what changed.
func TestRevisits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := archive.DefaultConfig()
	cfg.Dir = dir
	aw, err := archive.NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// First run: two reports archived in full.
	st1 := &fakeStore{}
	p1, err := New(DefaultConfig(), aw, st1, fakeParse, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := capture("/nb/a.html", "report a", 200, crawler.KindPage)
	a.Header.Set("ETag", `"a1"`)
	b := capture("/nb/b.html", "report b", 200, crawler.KindPage)
	for _, c := range []*crawler.Capture{a, b} {
		if err := p1.Capture(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := p1.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var prev []Previous
	for _, c := range st1.captures {
		if c.RecordType != warehouse.RecordResponse || c.ETag != map[string]string{a.URL: `"a1"`, b.URL: ""}[c.URL] {
			t.Errorf("first run capture %s: record type %q, etag %q", c.URL, c.RecordType, c.ETag)
		}
		prev = append(prev, Previous{URL: c.URL, PayloadDigest: c.PayloadDigest, WARCFile: c.WARCFile, WARCOffset: c.WARCOffset, ETag: c.ETag})
	}

	// Second run: a answers 304, b comes back unchanged, c is new, and
	// a changed copy of b follows.
	st2 := &fakeStore{}
	p2, err := New(DefaultConfig(), aw, st2, fakeParse, nil)
	if err != nil {
		t.Fatal(err)
	}
	p2.UsePrevious(dir, prev)
	later := time.Unix(1800000000, 0).UTC()
	a304 := capture("/nb/a.html", "", http.StatusNotModified, crawler.KindPage)
	b2 := capture("/nb/b.html", "report b", 200, crawler.KindPage)
	c2 := capture("/nb/c.html", "report c", 200, crawler.KindPage)
	b3 := capture("/nb/b.html", "report b, corrected", 200, crawler.KindPage)
	for i, c := range []*crawler.Capture{a304, b2, c2, b3} {
		c.FetchedAt = later.Add(time.Duration(i) * time.Second)
		c.RunID = "run-2"
		if err := p2.Capture(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := p2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}

	byURL := map[string][]warehouse.Capture{}
	for _, c := range st2.captures {
		byURL[c.URL] = append(byURL[c.URL], c)
		if c.RunID != "run-2" {
			t.Errorf("capture %s run %q", c.URL, c.RunID)
		}
	}
	if cs := byURL[a.URL]; len(cs) != 1 || cs[0].RecordType != warehouse.RecordRevisit || cs[0].RefersTo == "" || cs[0].ETag != `"a1"` {
		t.Errorf("304 capture = %+v, want a revisit keeping the old ETag", cs)
	}
	bs := byURL[b.URL]
	// The workers load in any order; the revisit was fetched first.
	sort.Slice(bs, func(i, j int) bool { return bs[i].FetchedAt.Before(bs[j].FetchedAt) })
	if len(bs) != 2 || bs[0].RecordType != warehouse.RecordRevisit || bs[1].RecordType != warehouse.RecordResponse {
		t.Errorf("b captures = %+v, want a revisit then a response", bs)
	}
	if len(st2.reports) != 2 {
		t.Errorf("second run loaded %d reports, want 2 (the new and the changed)", len(st2.reports))
	}

	// The archive holds the revisits with their profiles, and every record
	// reads back (digests verified).
	profiles := map[archive.Profile]int{}
	err = archive.Scan(ctx, dir, func(r *archive.Record) error {
		if r.Type == "revisit" {
			profiles[r.Profile]++
			if r.RefersTo == "" || r.RefersToTargetURI != r.TargetURI {
				t.Errorf("revisit of %s refers to %q (%s)", r.TargetURI, r.RefersTo, r.RefersToTargetURI)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if profiles[archive.ProfileServerNotModified] != 1 || profiles[archive.ProfileIdenticalPayloadDigest] != 1 {
		t.Errorf("revisit profiles = %v, want one of each", profiles)
	}
}
