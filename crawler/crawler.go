package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"
)

// Crawler crawls sources' portals and hands every exchange to a Sink.
type Crawler struct {
	cfg    Config
	sink   Sink
	logger *slog.Logger
	// base is the transport requests finally go through; tests may swap it.
	base http.RoundTripper
	// active is the run in progress, for Progress.
	active atomic.Pointer[run]
}

// New returns a Crawler. A nil logger discards logs.
func New(cfg Config, sink Sink, logger *slog.Logger) (*Crawler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if sink == nil {
		return nil, errors.New("crawler: nil sink")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	base := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          max(cfg.Concurrency*2, 1024),
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: cfg.RequestTimeout,
	}
	return &Crawler{cfg: cfg, sink: sink, logger: logger, base: base}, nil
}

// Known is a URL an earlier run fetched, with the validators for a
// conditional request.
type Known struct {
	URL          string
	ETag         string
	LastModified string
	// Depth is the link distance from a start URL it was found at.
	Depth int
}

// RunOptions are what a run adds to its sources. The zero value crawls
// from the start URLs alone and persists nothing.
type RunOptions struct {
	// RunID is recorded in every capture (Capture.RunID). A Journal's run
	// ID takes precedence.
	RunID string
	// Journal persists the frontier. When it holds an interrupted run, Run
	// resumes that run: URLs it finished are not fetched again.
	Journal *Journal
	// Known lists URLs earlier runs fetched. Each is queued with the start
	// URLs and requested conditionally (If-None-Match, If-Modified-Since),
	// so an unchanged page costs a 304.
	Known []Known
}

// run is one Run's state.
type run struct {
	c          *Crawler
	ctx        context.Context
	opts       RunOptions
	tr         *transport
	fr         *frontier
	sc         *scope
	stats      *Stats
	col        *colly.Collector
	agent      string
	validators map[string]Known
	started    time.Time
	firstYear  int
	lastYear   int
}

// ctxFetch is the Colly context key a request's *inflight travels under.
const ctxFetch = "nianbao.fetch"

// Run crawls every source until nothing is left to fetch or ctx is done,
// and returns what it did. Errors fetching single URLs are logged and
// counted, not returned; Run returns an error only for invalid sources, a
// failing journal, or when ctx ends the crawl.
//
// Requests go out one at a time per host, Config.Delay (or the host's
// robots.txt Crawl-delay, if longer) apart from start to start, and up to
// Config.Concurrency at once across hosts. A host's robots.txt is read
// before anything else on it.
func (c *Crawler) Run(ctx context.Context, sources []Source, opts RunOptions) (Summary, error) {
	var errs []error
	for _, s := range sources {
		if err := s.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Summary{}, err
	}
	idx := newSourceIndex(sources)
	r := &run{
		c: c, ctx: ctx, opts: opts, sc: newScope(idx), stats: newStats(),
		agent: agentToken(c.cfg.UserAgent), validators: make(map[string]Known, len(opts.Known)),
		started: time.Now(),
	}
	r.lastYear = r.started.Year()
	r.firstYear = r.lastYear - c.cfg.ReportYears
	r.tr = newTransport(c.base, c.cfg, c.sink, idx, r.stats, c.logger)
	r.tr.runID = opts.RunID
	if opts.Journal != nil {
		r.tr.runID = opts.Journal.RunID()
	}
	r.fr = newFrontier(r.tr.hosts, opts.Journal)
	if !c.cfg.IgnoreRobots {
		r.fr.robots = true
	}
	r.tr.frontier = r.fr
	r.col = r.collector()
	c.active.Store(r)
	defer c.active.Store(nil)

	if opts.Journal != nil && opts.Journal.Resumed() {
		pending, done := opts.Journal.takeReplay()
		r.fr.restore(pending, done)
		c.logger.Info("crawl resumed", "run", r.tr.runID, "finished", opts.Journal.Finished(), "pending", len(pending))
	}
	for _, s := range sources {
		for _, raw := range s.StartURLs {
			u, _ := parseStartURL(raw)
			r.enqueue(entry{url: u.String(), depth: 0, role: r.sc.startRole(u)}, u)
		}
	}
	for _, k := range opts.Known {
		u, err := url.Parse(k.URL)
		if err != nil || !r.sc.hosts[strings.ToLower(u.Host)] {
			continue
		}
		u = normalize(u)
		k.URL = u.String()
		r.validators[k.URL] = k
		if ro := roleOf(u); ro != roleRobots {
			r.enqueue(entry{url: k.URL, depth: k.Depth, role: ro}, u)
		}
	}

	r.dispatch()
	if ic, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ic.CloseIdleConnections()
	}
	sum := r.summary()
	var jerr error
	if opts.Journal != nil && ctx.Err() == nil {
		jerr = opts.Journal.Flush()
	}
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("crawl interrupted: %w", err)
	}
	return sum, jerr
}

// collector builds the Colly collector a run fetches with: synchronous
// (the run's own workers call it), with the run's transport, no redirects
// followed (a redirect's target is queued like a link, so it is deduplicated,
// depth-limited and spaced like any other URL), and robots.txt, visited
// URLs and depth left to the frontier, which persists them.
func (r *run) collector() *colly.Collector {
	cfg := r.c.cfg
	col := colly.NewCollector()
	// NewCollector applies COLLY_* environment variables; every setting
	// that matters is set here, after it, so the environment cannot
	// silently change a crawl.
	col.UserAgent = cfg.userAgent()
	col.Async = false
	col.MaxDepth = 0           // the frontier bounds depth (pagination does not count)
	col.MaxBodySize = 0        // the transport enforces Config.MaxBodySize on the raw body
	col.IgnoreRobotsTxt = true // the frontier reads robots.txt first, Crawl-delay included
	col.AllowURLRevisit = true // the frontier deduplicates, in a journal that survives restarts
	col.ParseHTTPErrorResponse = false
	col.DetectCharset = false
	col.CacheDir = ""
	col.AllowedDomains = nil // the scope keeps to the sources' hosts
	col.Context = r.ctx
	col.WithTransport(r.tr)
	col.SetRequestTimeout(0) // per-attempt timeouts live in the transport
	col.SetRedirectHandler(func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse })

	col.OnRequest(func(req *colly.Request) {
		if fl, ok := req.Ctx.GetAny(ctxFetch).(*inflight); ok {
			fl.key = req.URL.String()
			r.fr.begin(fl)
		}
	})
	col.OnResponse(func(resp *colly.Response) {
		fl, ok := resp.Ctx.GetAny(ctxFetch).(*inflight)
		if !ok || !strings.Contains(resp.Headers.Get("Content-Type"), "html") {
			return
		}
		body := resp.Body
		if fl.handed {
			body = fl.page
		}
		r.follow(fl.e, resp.Request.URL, extractLinks(body, resp.Request.URL))
	})
	col.OnError(func(resp *colly.Response, err error) {
		switch s := resp.StatusCode; {
		case s >= 300 && s < 400 && s != http.StatusNotModified:
			if fl, ok := resp.Ctx.GetAny(ctxFetch).(*inflight); ok {
				r.redirect(fl.e, resp)
			}
		case s == http.StatusNotModified:
			r.stats.notModified()
		case r.ctx.Err() != nil || errors.Is(err, errBreakerOpen):
		case s >= 400 && s < 500:
			r.c.logger.Debug("fetch failed", "url", resp.Request.URL.String(), "status", s)
		default:
			r.c.logger.Warn("fetch failed", "url", resp.Request.URL.String(), "status", s, "err", err)
		}
	})
	return col
}

// enqueue adds e (whose URL is u) to the frontier.
func (r *run) enqueue(e entry, u *url.URL) {
	if r.c.cfg.MaxDepth > 0 && e.depth > r.c.cfg.MaxDepth {
		return
	}
	r.fr.add(e, u.Scheme, u.Host)
}

// follow queues the links of the page fetched as from that the scope
// accepts.
func (r *run) follow(from entry, fromURL *url.URL, links []link) {
	for _, l := range links {
		ro, depth, ok := r.sc.follow(from, fromURL, l)
		if !ok {
			continue
		}
		r.enqueue(entry{url: l.url.String(), depth: depth, role: ro}, l.url)
		for _, y := range annualReportYears(l.url, r.firstYear, r.lastYear) {
			r.enqueue(entry{url: y.String(), depth: depth, role: roleReport}, y)
		}
	}
}

// redirect queues the target of a redirect like a link of the same kind.
func (r *run) redirect(from entry, resp *colly.Response) {
	r.stats.redirect()
	loc := resp.Headers.Get("Location")
	if loc == "" {
		return
	}
	target, err := resp.Request.URL.Parse(loc)
	if err != nil {
		return
	}
	target = normalize(target)
	if (target.Scheme != "http" && target.Scheme != "https") || !r.sc.hosts[target.Host] {
		r.c.logger.Debug("redirect off the sources' hosts", "url", resp.Request.URL.String(), "location", target.String())
		return
	}
	r.enqueue(entry{url: target.String(), depth: from.depth + 1, role: from.role}, target)
}

// workers returns how many fetches may be under way at once: more than
// Config.Concurrency, so that fetches waiting out a retry's backoff do not
// hold back requests to other hosts; the transport keeps requests in
// flight within Concurrency.
func (r *run) workers() int { return 2*r.c.cfg.Concurrency + 8 }

// dispatch hands URLs to workers as their hosts become ready, until the
// frontier is empty and every worker done, or ctx ends. The workers live
// as long as dispatch: a goroutine per URL would grow a fresh stack
// through Colly, the HTTP client and the sink for every fetch.
func (r *run) dispatch() {
	type job struct {
		q *hostQueue
		e entry
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range r.workers() {
		wg.Add(1)
		go func() { // ends when dispatch closes jobs
			defer wg.Done()
			for j := range jobs {
				r.process(j.q, j.e)
			}
		}()
	}
	defer wg.Wait()
	defer close(jobs)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if r.ctx.Err() != nil {
			return
		}
		q, e, wait, done := r.fr.next(time.Now())
		if done {
			return
		}
		if q == nil {
			timer.Reset(wait)
			select {
			case <-r.fr.wake:
			case <-timer.C:
			case <-r.ctx.Done():
			}
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			continue
		}
		select {
		case jobs <- job{q, e}:
		case <-r.ctx.Done():
			r.fr.release(q, e, false, true)
			return
		}
	}
}

// process fetches one URL and releases it.
func (r *run) process(q *hostQueue, e entry) {
	if e.role == roleRobots {
		requeue := r.fetchRobots(q.h, e)
		r.fr.release(q, e, false, requeue)
		return
	}
	u, err := url.Parse(e.url)
	if err != nil {
		r.fr.release(q, e, true, false)
		return
	}
	if !r.c.cfg.IgnoreRobots && !q.h.allowed(pathQuery(u), r.agent) {
		r.stats.robotsBlocked()
		// Blocked because robots.txt could not be read is not final: a
		// later run asks again.
		r.fr.release(q, e, !q.h.robotsUnavailable(), false)
		return
	}
	hdr := http.Header{}
	if k, ok := r.validators[e.url]; ok {
		if k.ETag != "" {
			hdr.Set("If-None-Match", k.ETag)
		}
		if k.LastModified != "" {
			hdr.Set("If-Modified-Since", k.LastModified)
		}
	}
	fl := &inflight{e: e}
	cctx := colly.NewContext()
	cctx.Put(ctxFetch, fl)
	err = r.col.Request(http.MethodGet, e.url, nil, cctx, hdr)
	if fl.key != "" {
		r.fr.end(fl.key)
	}
	switch {
	case r.ctx.Err() != nil:
		r.fr.release(q, e, false, true)
	case errors.Is(err, errBreakerOpen):
		// Asked again after the breaker's cool-down, or dropped with the
		// host if it never recovers.
		r.fr.release(q, e, false, true)
	default:
		r.stats.page()
		r.fr.release(q, e, true, false)
	}
}

// fetchRobots reads a host's robots.txt (through the transport, so it is
// archived like any capture) and applies it. It reports whether to try
// again later (the host's breaker opened).
func (r *run) fetchRobots(h *host, e entry) (requeue bool) {
	client := &http.Client{
		Transport: r.tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(r.ctx, http.MethodGet, e.url, nil)
	if err != nil {
		h.setRobots(robotsAllowAll(), r.agent, r.c.cfg.MaxCrawlDelay, false)
		return false
	}
	req.Header.Set("User-Agent", r.c.cfg.userAgent())
	req.Header.Set("Accept", "text/plain, */*")
	resp, err := client.Do(req)
	if err != nil {
		if r.ctx.Err() != nil {
			return true
		}
		if errors.Is(err, errBreakerOpen) {
			return true
		}
		// Unreachable: ask nothing of the host this run (RFC 9309 §2.3.1.4).
		r.c.logger.Warn("robots.txt unreachable; host skipped", "host", h.name, "err", err)
		h.setRobots(robotsDisallowAll(), r.agent, r.c.cfg.MaxCrawlDelay, true)
		return false
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var rd *robotstxt.RobotsData
	unavailable := false
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		rd, err = robotstxt.FromBytes(body)
		if err != nil {
			r.c.logger.Info("robots.txt unparsable; treated as allowing all", "host", h.name, "err", err)
			rd = robotsAllowAll()
		}
	case s >= 500:
		r.c.logger.Warn("robots.txt server error; host skipped", "host", h.name, "status", s)
		rd, unavailable = robotsDisallowAll(), true
	default: // 4xx, or redirects beyond five: no rules
		rd = robotsAllowAll()
	}
	if d := h.setRobots(rd, r.agent, r.c.cfg.MaxCrawlDelay, unavailable); d > r.c.cfg.Delay {
		r.c.logger.Debug("crawl-delay applied", "host", h.name, "delay", d)
	}
	return false
}

func robotsAllowAll() *robotstxt.RobotsData {
	rd, _ := robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	return rd
}

func robotsDisallowAll() *robotstxt.RobotsData {
	rd, _ := robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
	return rd
}

// pathQuery returns the path and query of u as robots.txt rules match
// them.
func pathQuery(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// summary assembles what the run did.
func (r *run) summary() Summary {
	sum := r.stats.Summary()
	pending, _, dropped := r.fr.counts()
	sum.Pending, sum.Dropped = int64(pending), int64(dropped)
	droppedBy := r.fr.droppedBy()
	now := time.Now()
	for i := range sum.Hosts {
		hs := &sum.Hosts[i]
		h := r.tr.hosts.get(hs.Host)
		hs.Breaker, hs.Trips = h.state(now)
		hs.Dropped = int64(droppedBy[hs.Host])
		hs.Delay = h.currentDelay()
	}
	sum.Elapsed = time.Since(r.started)
	return sum
}

// Progress returns a snapshot of the run in progress (zero when none is).
// It is safe to call from any goroutine.
func (c *Crawler) Progress() Progress {
	r := c.active.Load()
	if r == nil {
		return Progress{}
	}
	pending, active, dropped := r.fr.counts()
	return r.stats.progress(time.Since(r.started), pending, active, dropped)
}
