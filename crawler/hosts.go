package crawler

import (
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// host is what the crawler knows about one host (host:port): its
// politeness gate, its robots.txt rules and its circuit breaker. The
// frontier and the transport share it.
type host struct {
	name string

	// slot holds one token while a request to the host is in flight, so
	// the transport sends one request at a time per host whoever calls it.
	slot chan struct{}

	mu sync.Mutex // guards the fields below
	// next is the earliest start of the next request; last is when the
	// last one started.
	next, last time.Time
	// delay spaces request starts: the configured delay or the robots.txt
	// Crawl-delay, whichever is longer.
	delay time.Duration
	// robots is nil until robots.txt has been fetched (or given up on).
	robots *robotstxt.RobotsData
	// robotsDown is set when robots.txt could not be read (server error,
	// unreachable): the host is asked nothing, but not for good.
	robotsDown bool
	// failures counts consecutive failed attempts; a success resets it.
	failures int
	// trips counts how often the breaker opened; openUntil is when the
	// open breaker lets a probe through again. dead means the breaker
	// opened too often and the host is given up for the run.
	trips     int
	openUntil time.Time
	dead      bool
}

// hostTable holds every host's state. It is safe for concurrent use.
type hostTable struct {
	cfg Config
	mu  sync.Mutex
	m   map[string]*host
}

func newHostTable(cfg Config) *hostTable {
	return &hostTable{cfg: cfg, m: make(map[string]*host)}
}

// get returns the state of host (host:port, lower case), creating it.
func (t *hostTable) get(name string) *host {
	t.mu.Lock()
	defer t.mu.Unlock()
	h, ok := t.m[name]
	if !ok {
		h = &host{name: name, slot: make(chan struct{}, 1), delay: t.cfg.Delay}
		t.m[name] = h
	}
	return h
}

// wait returns how long until h may be sent a request. The caller holds
// h.slot, so no other request to h starts in between.
func (h *host) wait(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.next.Sub(now)
}

// started records that a request to h started at now.
func (h *host) started(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last = now
	h.next = now.Add(h.delay)
}

// holdOff keeps h's next request from starting before t (a server's
// Retry-After).
func (h *host) holdOff(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.After(h.next) {
		h.next = t
	}
}

// readyAt returns when h may be sent its next request: after its delay,
// and after its breaker's cool-down.
func (h *host) readyAt() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.openUntil.After(h.next) {
		return h.openUntil
	}
	return h.next
}

// setRobots records h's robots.txt rules and applies their Crawl-delay
// for agent, capped at maxDelay.
func (h *host) setRobots(rd *robotstxt.RobotsData, agent string, maxDelay time.Duration, unavailable bool) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.robots = rd
	h.robotsDown = unavailable
	if rd == nil {
		return h.delay
	}
	if g := rd.FindGroup(agent); g != nil {
		h.delay = max(h.delay, min(g.CrawlDelay, maxDelay))
		if next := h.last.Add(h.delay); next.After(h.next) {
			h.next = next
		}
	}
	return h.delay
}

// robotsUnavailable reports whether h's robots.txt could not be read.
func (h *host) robotsUnavailable() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.robotsDown
}

// currentDelay returns the spacing applied to h.
func (h *host) currentDelay() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.delay
}

// allowed reports whether robots.txt lets agent fetch the path and query
// of a URL (pathQuery as sent, e.g. "/a/b.html?x=1").
func (h *host) allowed(pathQuery, agent string) bool {
	h.mu.Lock()
	rd := h.robots
	h.mu.Unlock()
	if rd == nil {
		return true
	}
	return rd.TestAgent(pathQuery, agent)
}

// breaker outcomes of one attempt.
const (
	attemptOK = iota
	attemptFailed
)

// record notes an attempt's outcome and reports whether the breaker is
// open afterwards (the host should not be asked again for now).
func (h *host) record(outcome int, cfg Config, now time.Time) (open bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if outcome == attemptOK {
		h.failures = 0
		return false
	}
	h.failures++
	if cfg.BreakerThreshold <= 0 || h.failures < cfg.BreakerThreshold {
		return h.openUntil.After(now) || h.dead
	}
	// Open (again): each trip doubles the cool-down; after the last
	// allowed trip the host is given up for the run. One more failure
	// after the cool-down (a failed probe) opens it again.
	h.failures = cfg.BreakerThreshold - 1
	h.trips++
	if h.trips > cfg.BreakerTrips {
		h.dead = true
		return true
	}
	h.openUntil = now.Add(cfg.BreakerCooldown << min(h.trips-1, 16))
	return true
}

// state returns the breaker's state: "closed", "open" (cooling down) or
// "dead", and how often it opened.
func (h *host) state(now time.Time) (string, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.dead:
		return "dead", h.trips
	case h.openUntil.After(now):
		return "open", h.trips
	}
	return "closed", h.trips
}

// agentToken is the product token robots.txt groups are matched against:
// the User-Agent up to its first "/" or space ("nianbao").
func agentToken(ua string) string {
	if i := strings.IndexAny(ua, "/ "); i > 0 {
		return strings.ToLower(ua[:i])
	}
	return strings.ToLower(ua)
}
