package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a test portal built from a path → handler table that logs when
// each request started.
type site struct {
	mu     sync.Mutex
	starts map[string][]time.Time // path → request starts
	all    []time.Time
	routes map[string]http.HandlerFunc
}

func newSite(routes map[string]http.HandlerFunc) (*site, *httptest.Server) {
	s := &site{starts: map[string][]time.Time{}, routes: routes}
	srv := httptest.NewServer(s)
	return s, srv
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.mu.Lock()
	s.starts[r.URL.RequestURI()] = append(s.starts[r.URL.RequestURI()], now)
	s.all = append(s.all, now)
	s.mu.Unlock()
	if h, ok := s.routes[r.URL.RequestURI()]; ok {
		h(w, r)
		return
	}
	if h, ok := s.routes[r.URL.Path]; ok {
		h(w, r)
		return
	}
	http.NotFound(w, r)
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.starts[path])
}

func page(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>"+body+"</body></html>")
	}
}

func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, body)
	}
}

// column is a report column with n reports on one list page.
func column(n int) map[string]http.HandlerFunc {
	var list strings.Builder
	routes := map[string]http.HandlerFunc{}
	for i := range n {
		p := fmt.Sprintf("/zfxxgknb/t2023_%d.html", i)
		fmt.Fprintf(&list, `<a href="%s">%d年年度报告</a>`, p, 2020+i)
		routes[p] = page("报告")
	}
	routes["/zfxxgknb/index.html"] = page(list.String())
	return routes
}

func src(urls ...string) Source {
	return Source{Name: "测试镇人民政府", Level: "township", StartURLs: urls}
}

// sendLog records when the crawler hands each request to the network, per
// host: what its politeness governs, free of the scheduling noise of test
// servers on a loaded machine.
type sendLog struct {
	base  http.RoundTripper
	mu    sync.Mutex
	sends map[string][]time.Time
}

func (l *sendLog) RoundTrip(req *http.Request) (*http.Response, error) {
	l.mu.Lock()
	if l.sends == nil {
		l.sends = map[string][]time.Time{}
	}
	l.sends[req.URL.Host] = append(l.sends[req.URL.Host], time.Now())
	l.mu.Unlock()
	return l.base.RoundTrip(req)
}

// minGap returns the shortest time between two requests sent to one host.
func (l *sendLog) minGap() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	gap := time.Duration(1 << 62)
	for _, ts := range l.sends {
		for i := 1; i < len(ts); i++ {
			gap = min(gap, ts[i].Sub(ts[i-1]))
		}
	}
	return gap
}

// lastSends records the sends of the latest crawl run by crawl.
var lastSends *sendLog

func crawl(t *testing.T, cfg Config, opts RunOptions, sources ...Source) (Summary, *recorder) {
	t.Helper()
	rec := &recorder{}
	c, err := New(cfg, rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	sends := &sendLog{base: c.base}
	c.base = sends
	lastSends = sends
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := c.Run(ctx, sources, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum, rec
}

func TestCrawlDelayFromRobots(t *testing.T) {
	routes := column(3)
	routes["/robots.txt"] = text("User-agent: *\nCrawl-delay: 0.15\nDisallow: /zfxxgknb/t2023_2.html\n")
	s, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.Delay = 10 * time.Millisecond
	sum, _ := crawl(t, cfg, RunOptions{}, src(srv.URL+"/zfxxgknb/index.html"))
	if gap := lastSends.minGap(); gap < 150*time.Millisecond {
		t.Errorf("requests %s apart, want >= Crawl-delay 150ms", gap)
	}
	if s.count("/zfxxgknb/t2023_2.html") != 0 {
		t.Errorf("fetched a URL robots.txt disallows")
	}
	if s.count("/zfxxgknb/t2023_1.html") != 1 || sum.RobotsBlocked != 1 {
		t.Errorf("allowed report fetched %d times, robots blocked %d; want 1, 1", s.count("/zfxxgknb/t2023_1.html"), sum.RobotsBlocked)
	}
	if d := sum.Hosts[0].Delay; d != 150*time.Millisecond {
		t.Errorf("host delay = %s, want the Crawl-delay", d)
	}
}

func TestCrawlDelayCapped(t *testing.T) {
	routes := column(1)
	routes["/robots.txt"] = text("User-agent: *\nCrawl-delay: 3600\n")
	_, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxCrawlDelay = 50 * time.Millisecond
	start := time.Now()
	sum, _ := crawl(t, cfg, RunOptions{}, src(srv.URL+"/zfxxgknb/index.html"))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("crawl took %s; Crawl-delay not capped", d)
	}
	if sum.Hosts[0].Delay != 50*time.Millisecond {
		t.Errorf("delay = %s, want the 50ms cap", sum.Hosts[0].Delay)
	}
}

// Hosts are crawled side by side: each keeps its own spacing, and the
// crawl takes about as long as the busiest host needs, not the sum.
func TestHostsSideBySide(t *testing.T) {
	const hosts, pages = 6, 4
	cfg := testConfig()
	cfg.Delay = 100 * time.Millisecond
	var sources []Source
	var sites []*site
	for range hosts {
		s, srv := newSite(column(pages))
		defer srv.Close()
		sites = append(sites, s)
		sources = append(sources, src(srv.URL+"/zfxxgknb/index.html"))
	}
	start := time.Now()
	sum, _ := crawl(t, cfg, RunOptions{}, sources...)
	took := time.Since(start)
	// robots + list + reports = pages+2 requests per host, pages+1 gaps;
	// one after the other, the hosts would take six times as long.
	bound := time.Duration(pages+1) * cfg.Delay
	if took > 3*bound {
		t.Errorf("crawl of %d hosts took %s, want about %s (one host's share)", hosts, took, bound)
	}
	if gap := lastSends.minGap(); gap < cfg.Delay {
		t.Errorf("requests to one host %s apart, want >= %s", gap, cfg.Delay)
	}
	for i, s := range sites {
		if s.count("/zfxxgknb/index.html") != 1 {
			t.Errorf("host %d: column fetched %d times", i, s.count("/zfxxgknb/index.html"))
		}
	}
	if sum.Pages != hosts*(pages+1) {
		t.Errorf("pages = %d, want %d", sum.Pages, hosts*(pages+1))
	}
}

func TestBreakerStopsHammering(t *testing.T) {
	routes := column(20)
	for p := range routes {
		if strings.Contains(p, "t2023_") {
			routes[p] = func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusInternalServerError) }
		}
	}
	s, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.Delay = time.Millisecond
	cfg.Retries = 1
	cfg.BreakerThreshold = 4
	cfg.BreakerTrips = 1
	cfg.BreakerCooldown = 20 * time.Millisecond
	sum, _ := crawl(t, cfg, RunOptions{}, src(srv.URL+"/zfxxgknb/index.html"))
	s.mu.Lock()
	n := len(s.all)
	s.mu.Unlock()
	// robots + list, then failures until the breaker has opened twice
	// (one trip plus a failed probe): far fewer than 20 reports × 2
	// attempts.
	if n > 2+2*cfg.BreakerThreshold+2 {
		t.Errorf("%d requests to a failing host, want the breaker to stop them", n)
	}
	h := sum.Hosts[0]
	if h.Breaker != "dead" || h.Trips != 2 || h.Dropped == 0 || sum.Dropped != h.Dropped {
		t.Errorf("host = %+v, dropped %d; want a dead breaker after 2 trips and dropped URLs", h, sum.Dropped)
	}
	if len(sum.Tripped()) != 1 {
		t.Errorf("Tripped() = %v", sum.Tripped())
	}
	if sum.Errors["http_5xx"] == 0 {
		t.Errorf("errors = %v, want http_5xx", sum.Errors)
	}
}

func TestRetryAfterHoldsHost(t *testing.T) {
	var mu sync.Mutex
	tries := 0
	routes := column(2)
	routes["/zfxxgknb/t2023_0.html"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tries++
		first := tries == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		page("报告")(w, r)
	}
	s, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.Delay = time.Millisecond
	cfg.BackoffMax = 5 * time.Second
	sum, rec := crawl(t, cfg, RunOptions{}, src(srv.URL+"/zfxxgknb/index.html"))
	s.mu.Lock()
	ts := s.starts["/zfxxgknb/t2023_0.html"]
	s.mu.Unlock()
	if len(ts) != 2 || ts[1].Sub(ts[0]) < time.Second-5*time.Millisecond {
		t.Fatalf("429 page requested at %v, want twice, 1s apart", ts)
	}
	// No other request to the host went out during the Retry-After.
	s.mu.Lock()
	for _, at := range s.all {
		if at.After(ts[0]) && at.Before(ts[1].Add(-5*time.Millisecond)) {
			t.Errorf("request at %s inside the Retry-After window %s–%s", at, ts[0], ts[1])
		}
	}
	s.mu.Unlock()
	if sum.Retries != 1 || rec.byPath("t2023_0.html") == nil {
		t.Errorf("retries = %d, capture %v", sum.Retries, rec.byPath("t2023_0.html"))
	}
}

// A body shorter than its Content-Length is retried and never handed on
// as a complete capture.
func TestTruncatedBodyRetried(t *testing.T) {
	var mu sync.Mutex
	tries := 0
	body := strings.Repeat("年度报告", 500)
	routes := column(1)
	routes["/zfxxgknb/t2023_0.html"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tries++
		first := tries == 1
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		if !first {
			fmt.Fprint(w, body)
			return
		}
		fmt.Fprint(w, body[:len(body)/2])
		// Cut the connection mid-body.
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("no hijacker")
			return
		}
		w.(http.Flusher).Flush()
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	}
	_, srv := newSite(routes)
	defer srv.Close()
	sum, rec := crawl(t, testConfig(), RunOptions{}, src(srv.URL+"/zfxxgknb/index.html"))
	rec.mu.Lock()
	defer rec.mu.Unlock()
	n := 0
	for _, c := range rec.captures {
		if strings.HasSuffix(c.URL, "t2023_0.html") {
			n++
			if string(c.Body) != body {
				t.Errorf("capture of %d bytes handed on, want only the complete %d", len(c.Body), len(body))
			}
		}
	}
	if n != 1 || sum.Retries != 1 {
		t.Errorf("%d captures, %d retries; want 1 complete capture after 1 retry", n, sum.Retries)
	}
}

func TestUserAgentContact(t *testing.T) {
	var ua string
	var mu sync.Mutex
	routes := column(0)
	routes["/zfxxgknb/index.html"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ua = r.UserAgent()
		mu.Unlock()
		page("")(w, r)
	}
	_, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.Contact = "ops@example.org"
	crawl(t, cfg, RunOptions{}, src(srv.URL+"/zfxxgknb/index.html"))
	mu.Lock()
	defer mu.Unlock()
	if !strings.HasPrefix(ua, "nianbao/") || !strings.Contains(ua, "ops@example.org") {
		t.Errorf("User-Agent = %q, want nianbao/… with the contact", ua)
	}
}
