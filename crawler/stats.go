package crawler

import (
	"context"
	"errors"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
)

// Stats counts what a crawl did. It is safe for concurrent use.
type Stats struct {
	requests   atomic.Int64
	bytes      atomic.Int64
	retries    atomic.Int64
	failures   atomic.Int64
	sinkErrors atomic.Int64

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
}

// Summary is a snapshot of Stats.
type Summary struct {
	Requests   int64
	Bytes      int64
	Retries    int64
	Failures   int64
	SinkErrors int64
	// Errors counts failed fetches by class (timeout, reset, refused,
	// truncated, too_large, http_5xx, other).
	Errors map[string]int64
	// Hosts lists per-host counts, sorted by host.
	Hosts []HostStats
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

func (s *Stats) retry()     { s.retries.Add(1) }
func (s *Stats) sinkError() { s.sinkErrors.Add(1) }

// Summary returns a snapshot.
func (s *Stats) Summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := Summary{
		Requests:   s.requests.Load(),
		Bytes:      s.bytes.Load(),
		Retries:    s.retries.Load(),
		Failures:   s.failures.Load(),
		SinkErrors: s.sinkErrors.Load(),
		Errors:     make(map[string]int64, len(s.errors)),
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
	case errors.As(err, &se):
		return "http_status"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &oe) && oe.Op == "dial":
		return "refused"
	case errors.As(err, &oe) && oe.Op == "read":
		return "reset"
	}
	return "other"
}
