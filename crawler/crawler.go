package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
)

// Crawler crawls sources' portals and hands every exchange to a Sink.
type Crawler struct {
	cfg    Config
	sink   Sink
	logger *slog.Logger
	// base is the transport requests finally go through; tests may swap it.
	base http.RoundTripper
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
		MaxIdleConns:          cfg.Concurrency * 2,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: cfg.RequestTimeout,
	}
	return &Crawler{cfg: cfg, sink: sink, logger: logger, base: base}, nil
}

// Run crawls every source until nothing is left to fetch or ctx is done,
// and returns what it did. Errors fetching single URLs are logged and
// counted, not returned; Run returns an error only for invalid sources or
// when ctx ends the crawl.
func (c *Crawler) Run(ctx context.Context, sources []Source) (Summary, error) {
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
	sc := newScope(idx)
	stats := newStats()
	tr := newTransport(c.base, c.cfg, c.sink, idx, stats, c.logger)

	col := colly.NewCollector()
	// NewCollector applies COLLY_* environment variables; every setting
	// that matters is set here, after it, so the environment cannot
	// silently change a crawl.
	col.UserAgent = c.cfg.userAgent()
	col.Async = true
	col.MaxDepth = c.cfg.MaxDepth
	col.MaxBodySize = 0 // the transport enforces Config.MaxBodySize on the raw body
	col.IgnoreRobotsTxt = c.cfg.IgnoreRobots
	col.AllowURLRevisit = false
	col.ParseHTTPErrorResponse = false
	col.DetectCharset = false
	col.CacheDir = ""
	col.AllowedDomains = hostnames(idx.hosts())
	col.Context = ctx
	col.WithTransport(tr)
	col.SetRequestTimeout(0) // per-attempt timeouts live in the transport

	col.OnResponse(func(r *colly.Response) {
		if !strings.Contains(r.Headers.Get("Content-Type"), "html") {
			return
		}
		for _, l := range extractLinks(r.Body, r.Request.URL) {
			if !sc.follow(r.Request.URL, l) {
				continue
			}
			if err := r.Request.Visit(l.url.String()); err != nil && !ignorable(err) {
				c.logger.Debug("not visiting", "url", l.url.String(), "err", err)
			}
		}
	})
	col.OnError(func(r *colly.Response, err error) {
		if ctx.Err() == nil {
			c.logger.Warn("fetch failed", "url", r.Request.URL.String(), "status", r.StatusCode, "err", err)
		}
	})

	// Visit checks robots.txt synchronously, so start URLs are visited
	// side by side, bounded like fetches.
	var seeds sync.WaitGroup
	sem := make(chan struct{}, c.cfg.Concurrency)
	for _, s := range sources {
		for _, raw := range s.StartURLs {
			u, _ := parseStartURL(raw)
			sem <- struct{}{}
			seeds.Add(1)
			go func() {
				defer func() { <-sem; seeds.Done() }()
				if err := col.Visit(u.String()); err != nil && !ignorable(err) {
					c.logger.Warn("start url not visited", "source", s.Name, "url", u.String(), "err", err)
				}
			}()
		}
	}
	seeds.Wait()
	col.Wait()
	sum := stats.Summary()
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("crawl interrupted: %w", err)
	}
	return sum, nil
}

// ignorable reports whether a Visit error is routine: already visited,
// beyond depth, off the allowed hosts.
func ignorable(err error) bool {
	var av *colly.AlreadyVisitedError
	return errors.As(err, &av) || errors.Is(err, colly.ErrMaxDepth) || errors.Is(err, colly.ErrForbiddenDomain) ||
		errors.Is(err, colly.ErrRobotsTxtBlocked)
}

func hostnames(hosts []string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, h := range hosts {
		name := h
		if hn, _, err := net.SplitHostPort(h); err == nil {
			name = hn
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}
