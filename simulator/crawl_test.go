package simulator

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/nianbao/nianbao/charset"
)

// testCrawl is a small, general crawler for checking the simulator: from
// a start URL it follows every same-host link of every HTML page it gets,
// obeying robots.txt (parsed by temoto/robotstxt, colly's parser, not the
// simulator's), retrying failed requests up to retries times (waiting out
// Retry-After), and giving up on a URL after that.
type testCrawl struct {
	client  *http.Client
	retries int
	// got maps each URL fetched with a complete 200 to its Content-Type.
	got map[string]string
	// failed are URLs that never gave a complete 200.
	failed map[string]bool
	// bodies keeps the decoded text of HTML pages.
	bodies map[string]string
}

var linkRE = regexp.MustCompile(`(?i)<a\s[^>]*href="([^"]+)"`)

func newTestCrawl(timeout time.Duration, retries int) *testCrawl {
	return &testCrawl{
		client: &http.Client{Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			return nil
		}},
		retries: retries, got: map[string]string{}, failed: map[string]bool{}, bodies: map[string]string{},
	}
}

// get fetches u completely, retrying; it returns the body and header.
func (c *testCrawl) get(t *testing.T, u string) ([]byte, http.Header, int, bool) {
	t.Helper()
	for attempt := 0; attempt <= c.retries; attempt++ {
		resp, err := c.client.Get(u)
		if err != nil {
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || (resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength) {
			continue
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				wait := time.Second
				if d, err := http.ParseTime(ra); err == nil {
					wait = time.Until(d)
				}
				time.Sleep(max(0, wait))
			}
			continue
		}
		return body, resp.Header, resp.StatusCode, true
	}
	return nil, nil, 0, false
}

// run crawls from start.
func (c *testCrawl) run(t *testing.T, start string) {
	t.Helper()
	su, err := url.Parse(start)
	if err != nil {
		t.Fatal(err)
	}
	robotsBody, _, status, ok := c.get(t, su.Scheme+"://"+su.Host+"/robots.txt")
	if !ok {
		t.Fatalf("robots.txt of %s: no answer", su.Host)
	}
	robots, err := robotstxt.FromStatusAndBytes(status, robotsBody)
	if err != nil {
		t.Fatalf("robots.txt of %s: %v", su.Host, err)
	}
	group := robots.FindGroup("nianbao-test")
	seen := map[string]bool{}
	queue := []string{start}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		pu, err := url.Parse(u)
		if err != nil || seen[u] || pu.Host != su.Host || !group.Test(pu.RequestURI()) {
			continue
		}
		seen[u] = true
		body, h, status, ok := c.get(t, u)
		if !ok || status != http.StatusOK {
			c.failed[u] = true
			continue
		}
		ct := h.Get("Content-Type")
		c.got[u] = ct
		if !strings.HasPrefix(ct, "text/html") {
			continue
		}
		text, _, err := charset.Decode(body, ct)
		if err != nil {
			t.Fatalf("%s: decode: %v", u, err)
		}
		c.bodies[u] = string(text)
		for _, m := range linkRE.FindAllStringSubmatch(string(text), -1) {
			ref, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil || ref.Scheme == "javascript" {
				continue
			}
			next := pu.ResolveReference(ref)
			next.Fragment = ""
			queue = append(queue, next.String())
		}
	}
}

// checkReach compares what the test crawler got with Truth: a report is
// reachable exactly when both its page and its document were fetched.
func checkReach(t *testing.T, sim *Simulator, c *testCrawl) (reachable, unreachable int) {
	t.Helper()
	for _, tr := range sim.Truth() {
		_, page := c.got[tr.URL]
		_, doc := c.got[tr.DocumentURL]
		if got := page && doc; got != tr.Reachable() {
			t.Errorf("%s %d (%s, %s): crawled page %v, document %v; truth says unreachable=%q", tr.Agency, tr.Year, tr.URL, tr.Format, page, doc, tr.Unreachable)
		}
		if tr.Reachable() {
			reachable++
		} else {
			unreachable++
		}
	}
	return reachable, unreachable
}

// TestMixedCrawl crawls every portal of the "mixed" profile in two
// counties with a general crawler and checks Truth's reachability, that
// every variation occurs, and that reports are found on portals of every
// kind.
func TestMixedCrawl(t *testing.T) {
	cfg, err := Profile("mixed")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Counties = []string{"620421", "620402"}
	cfg.FirstAddr = "127.0.8.1"
	sim := start(t, cfg)
	c := newTestCrawl(10*time.Second, 0)
	kinds := map[string]int{}
	for _, p := range sim.Portals() {
		c.run(t, p.StartURL)
		kinds["style="+p.Style]++
		kinds["start="+p.Start]++
		kinds["robots="+p.Robots]++
		kinds["charset-header="+p.CharsetHeader]++
		if p.Module {
			kinds["module"]++
		}
		if p.NextOnly {
			kinds["next-only"]++
		}
		if p.CrawlDelay > 0 {
			kinds["crawl-delay"]++
		}
	}
	reachable, unreachable := checkReach(t, sim, c)
	formats := map[string]int{}
	for _, tr := range sim.Truth() {
		formats[tr.Format]++
	}
	for _, k := range []string{"style=trs", "style=hanweb", "start=home", "start=column", "module", "next-only", "robots=default", "charset-header=GBK", "charset-header=utf-8"} {
		if kinds[k] == 0 {
			t.Errorf("no portal with %s: %v", k, kinds)
		}
	}
	if formats[FormatPDF] == 0 || formats[FormatDOCX] == 0 || formats[FormatHTML] == 0 {
		t.Errorf("formats = %v, want all three", formats)
	}
	if reachable == 0 || unreachable == 0 {
		t.Errorf("%d reachable, %d unreachable reports; want both", reachable, unreachable)
	}
	t.Logf("%d portals %v; %d reports reachable, %d not; formats %v", len(sim.Portals()), kinds, reachable, unreachable, formats)
	// Junk attachments are linked and are not reports.
	junk := 0
	for u, ct := range c.got {
		if strings.Contains(u, ".doc") && !strings.Contains(u, ".docx") || strings.Contains(u, ".xls") || strings.Contains(u, ".wps") {
			junk++
			if slices.ContainsFunc(sim.Truth(), func(tr Truth) bool { return tr.DocumentURL == u }) {
				t.Errorf("junk %s (%s) is in truth", u, ct)
			}
		}
	}
	if junk == 0 {
		t.Error("no junk attachment fetched")
	}
}
