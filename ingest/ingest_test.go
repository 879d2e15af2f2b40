package ingest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

type fakeArchive struct {
	mu  sync.Mutex
	n   int64
	err error
}

func (f *fakeArchive) Write(_ context.Context, ex archive.Exchange) (archive.Location, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return archive.Location{}, f.err
	}
	f.n++
	return archive.Location{File: "a.warc.gz", Offset: f.n * 100, Length: 90, PayloadDigest: archive.PayloadDigest(ex.Body), TargetURI: ex.URL}, nil
}

// store records what it is given, and fails while failing is set.
type fakeStore struct {
	mu       sync.Mutex
	captures []warehouse.Capture
	reports  []warehouse.ReportLoad
	failing  bool
}

func (s *fakeStore) WriteCaptures(_ context.Context, cs []warehouse.Capture) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return errors.New("warehouse down")
	}
	s.captures = append(s.captures, cs...)
	return nil
}

func (s *fakeStore) WriteReports(_ context.Context, rs []warehouse.ReportLoad) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return errors.New("warehouse down")
	}
	s.reports = append(s.reports, rs...)
	return nil
}

// fakeParse reads "report N" bodies as reports with one failed check, and
// anything else as not a report.
func fakeParse(_ context.Context, in parser.Input) (*parser.Report, error) {
	if !strings.HasPrefix(string(in.Body), "report") {
		return nil, &parser.Error{Source: in.Source, Err: parser.ErrNotReport}
	}
	return &parser.Report{
		Source: in.Source, Agency: in.Hint.Agency,
		Facts:  []parser.Fact{{Metric: metrics.RequestsNew, Applicant: metrics.Total, Value: 3}},
		Checks: []metrics.Check{{Name: metrics.CheckRequestsBalance, Applicant: metrics.Total, OK: false}},
	}, nil
}

func capture(path, body string, status int, kind string) *crawler.Capture {
	return &crawler.Capture{
		Source: crawler.Source{Name: "三滩镇人民政府", Level: "township", RegionCode: "620421113"},
		URL:    "http://127.0.0.5:8080" + path, Kind: kind, Method: "GET", FetchedAt: time.Unix(1700000000, 0).UTC(),
		Status: status, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body),
	}
}

func TestPipeline(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{}
	p, err := New(Config{BatchSize: 2, Workers: 2, Queue: 1}, &fakeArchive{}, st, fakeParse, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*crawler.Capture{
		capture("/robots.txt", "User-agent: *", 200, crawler.KindRobots),
		capture("/index.html", "list", 200, crawler.KindPage),
		capture("/t1.html", "report 1", 200, crawler.KindPage),
		capture("/t2.html", "report 2", 503, crawler.KindPage),
		capture("/t2.html", "report 2", 200, crawler.KindPage),
		capture("/t3.html", "report 3", 200, crawler.KindPage),
	} {
		if err := p.Capture(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if len(st.captures) != 6 || len(st.reports) != 3 {
		t.Fatalf("loaded %d captures and %d reports, want 6 and 3", len(st.captures), len(st.reports))
	}
	s := p.Stats()
	if s.Captures != 6 || s.Documents != 4 || s.Reports != 3 || s.NotReports != 1 || s.ChecksFailed != 3 || s.FactRows != 3 {
		t.Errorf("stats = %+v", s)
	}
	var r warehouse.ReportLoad // the workers load in any order: find t1's
	for _, x := range st.reports {
		if strings.HasSuffix(x.SourceURL, "/t1.html") {
			r = x
		}
	}
	var c warehouse.Capture
	for _, x := range st.captures {
		if x.ID == r.CaptureID {
			c = x
		}
	}
	if c.URL != r.SourceURL || c.WARCFile != "a.warc.gz" || c.WARCOffset == 0 || r.WARCOffset != c.WARCOffset ||
		r.PayloadDigest != archive.PayloadDigest([]byte("report 1")) || r.Source.RegionCode != "620421113" {
		t.Errorf("report provenance %+v does not match its capture %+v", r, c)
	}
}

func TestPipelineKeepsRowsWhenTheWarehouseFails(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{failing: true}
	p, err := New(Config{BatchSize: 1, Queue: 4}, &fakeArchive{}, st, fakeParse, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Capture(ctx, capture("/t1.html", "report 1", 200, crawler.KindPage)); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(ctx); err == nil || !strings.Contains(err.Error(), "warehouse down") {
		t.Fatalf("Close = %v, want the warehouse error", err)
	}
	if err := p.Capture(ctx, capture("/t2.html", "report 2", 200, crawler.KindPage)); !errors.Is(err, ErrClosed) {
		t.Errorf("Capture after Close = %v, want ErrClosed", err)
	}
	st.mu.Lock()
	st.failing = false
	st.mu.Unlock()
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(st.captures) != 1 || len(st.reports) != 1 {
		t.Errorf("after recovery: %d captures, %d reports, want 1 and 1", len(st.captures), len(st.reports))
	}
}

func TestPipelineArchiveError(t *testing.T) {
	p, err := New(DefaultConfig(), &fakeArchive{err: errors.New("disk full")}, &fakeStore{}, fakeParse, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	err = p.Capture(context.Background(), capture("/t1.html", "report 1", 200, crawler.KindPage))
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "/t1.html") {
		t.Errorf("Capture = %v, want an error naming the URL and the cause", err)
	}
}
