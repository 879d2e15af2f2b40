package crawler

import (
	"context"
	"errors"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what a crawl did. It is safe for concurrent use.
type Stats struct {
	requests      atomic.Int64
	bytes         atomic.Int64
	retries       atomic.Int64
	failures      atomic.Int64
	sinkErrors    atomic.Int64
	pages         atomic.Int64
	notModifieds  atomic.Int64
	redirects     atomic.Int64
	robotsBlocks  atomic.Int64
	attemptsBegun atomic.Int64

	mu     sync.Mutex
	hosts  map[string]*HostStats
	errors map[string]int64
}

// HostStats counts one host's fetches.
type HostStats struct {
	Host     string
	Requests int64
	Bytes    int64
	Failures int64
	// Statuses counts responses by HTTP status.
	Statuses map[int]int64
	// Breaker is the host's circuit breaker at the end: "closed", "open"
	// (cooling down) or "dead" (given up for the run); Trips counts how
	// often it opened.
	Breaker string
	Trips   int
	// Dropped counts URLs not fetched because the host was given up.
	Dropped int64
	// Delay is the spacing applied to the host: the configured delay or
	// its robots.txt Crawl-delay.
	Delay time.Duration
}

// Summary is a snapshot of Stats.
type Summary struct {
	// Pages counts URLs finished (fetched or failed for good).
	Pages int64
	// Requests counts HTTP responses received, retries included.
	Requests   int64
	Bytes      int64
	Retries    int64
	Failures   int64
	SinkErrors int64
	// NotModified counts 304 answers to conditional requests.
	NotModified int64
	// Redirects counts 3xx answers, whose targets were queued.
	Redirects int64
	// RobotsBlocked counts URLs robots.txt kept the crawler from.
	RobotsBlocked int64
	// Pending counts URLs still queued when the run ended (an interrupted
	// run); Dropped those dropped with hosts given up.
	Pending int64
	Dropped int64
	// Errors counts failed fetches by class (timeout, reset, refused,
	// truncated, too_large, http_5xx, http_429, other).
	Errors map[string]int64
	// Hosts lists per-host counts, sorted by host.
	Hosts []HostStats
	// Elapsed is the run's wall time.
	Elapsed time.Duration
}

// Tripped returns the hosts whose circuit breaker opened during the run.
func (s Summary) Tripped() []HostStats {
	var out []HostStats
	for _, h := range s.Hosts {
		if h.Trips > 0 {
			out = append(out, h)
		}
	}
	return out
}

// Progress is a snapshot of a run in progress, for an operator.
type Progress struct {
	Pages    int64 // URLs finished
	Requests int64 // responses received
	Bytes    int64
	Errors   int64 // fetches failed for good
	Retries  int64
	Queued   int64 // URLs waiting
	InFlight int64 // URLs being fetched
	Dropped  int64
	Elapsed  time.Duration
	// ETA estimates the time left from the rate so far and the URLs
	// queued; it grows as discovery finds more. Zero when unknown.
	ETA time.Duration
}

func newStats() *Stats {
	return &Stats{hosts: make(map[string]*HostStats), errors: make(map[string]int64)}
}

func (s *Stats) host(h string) *HostStats {
	hs, ok := s.hosts[h]
	if !ok {
		hs = &HostStats{Host: h, Statuses: make(map[int]int64)}
		s.hosts[h] = hs
	}
	return hs
}

func (s *Stats) fetched(host string, status, n int) {
	s.requests.Add(1)
	s.bytes.Add(int64(n))
	s.mu.Lock()
	hs := s.host(host)
	hs.Requests++
	hs.Bytes += int64(n)
	hs.Statuses[status]++
	s.mu.Unlock()
}

func (s *Stats) fail(host string, err error) {
	s.failures.Add(1)
	s.mu.Lock()
	s.host(host).Failures++
	s.errors[errorClass(err)]++
	s.mu.Unlock()
}

func (s *Stats) retry()         { s.retries.Add(1) }
func (s *Stats) sinkError()     { s.sinkErrors.Add(1) }
func (s *Stats) page()          { s.pages.Add(1) }
func (s *Stats) notModified()   { s.notModifieds.Add(1) }
func (s *Stats) redirect()      { s.redirects.Add(1) }
func (s *Stats) robotsBlocked() { s.robotsBlocks.Add(1) }
func (s *Stats) started()       { s.attemptsBegun.Add(1) }

// Summary returns a snapshot.
func (s *Stats) Summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := Summary{
		Pages:         s.pages.Load(),
		Requests:      s.requests.Load(),
		Bytes:         s.bytes.Load(),
		Retries:       s.retries.Load(),
		Failures:      s.failures.Load(),
		SinkErrors:    s.sinkErrors.Load(),
		NotModified:   s.notModifieds.Load(),
		Redirects:     s.redirects.Load(),
		RobotsBlocked: s.robotsBlocks.Load(),
		Errors:        make(map[string]int64, len(s.errors)),
	}
	for k, v := range s.errors {
		sum.Errors[k] = v
	}
	for _, hs := range s.hosts {
		c := *hs
		c.Statuses = make(map[int]int64, len(hs.Statuses))
		for k, v := range hs.Statuses {
			c.Statuses[k] = v
		}
		sum.Hosts = append(sum.Hosts, c)
	}
	sort.Slice(sum.Hosts, func(i, j int) bool { return sum.Hosts[i].Host < sum.Hosts[j].Host })
	return sum
}

func (s *Stats) progress(elapsed time.Duration, pending, active, dropped int) Progress {
	p := Progress{
		Pages: s.pages.Load(), Requests: s.requests.Load(), Bytes: s.bytes.Load(), Errors: s.failures.Load(),
		Retries: s.retries.Load(), Queued: int64(pending), InFlight: int64(active), Dropped: int64(dropped),
		Elapsed: elapsed,
	}
	if p.Pages > 0 && elapsed > 0 {
		rate := float64(p.Pages) / elapsed.Seconds()
		p.ETA = time.Duration(float64(p.Queued+p.InFlight) / rate * float64(time.Second))
	}
	return p
}

// errorClass names the kind of a fetch failure for the summary.
func errorClass(err error) string {
	var ne net.Error
	var oe *net.OpError
	var se *statusError
	switch {
	case errors.Is(err, errTruncated):
		return "truncated"
	case errors.Is(err, errBodyTooLarge):
		return "too_large"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &se) && se.status == 429:
		return "http_429"
	case errors.As(err, &se) && se.status >= 500:
		return "http_5xx"
	case errors.As(err, &se):
		return "http_status"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &oe) && oe.Op == "dial":
		return "refused"
	case errors.As(err, &oe) && (oe.Op == "read" || oe.Op == "write"):
		return "reset"
	case errors.Is(err, errBreakerOpen):
		return "breaker_open"
	}
	return "other"
}
