package simulator

import (
	"container/list"
	"maps"
	"sync"
	"time"
)

// HostStats is what one portal has seen since Start or the last
// ResetStats.
type HostStats struct {
	RegionCode string `json:"region_code"`
	// Host is the portal's listening address, "127.0.1.5:8080".
	Host string `json:"host"`
	// Requests counts every request; ByStatus by the status sent (a
	// timeout or reset counts as 0).
	Requests int64         `json:"requests"`
	ByStatus map[int]int64 `json:"by_status"`
	// Conditional counts requests with If-None-Match or
	// If-Modified-Since; NotModified those answered 304.
	Conditional int64 `json:"conditional"`
	NotModified int64 `json:"not_modified"`
	// Faults counts the requests each fault kind spoiled.
	Faults map[string]int64 `json:"faults,omitempty"`
	// EarlyRetries counts requests for a URL that arrived before the
	// Retry-After of its last 429 or 503 had passed.
	EarlyRetries int64 `json:"early_retries"`
	// Bytes counts body bytes written (after charset encoding).
	Bytes int64 `json:"bytes"`
	// MaxInFlight is the most requests the portal was handling at once.
	MaxInFlight int `json:"max_in_flight"`
	// MinGap is the smallest interval between the starts of two
	// consecutive requests (-1 before the second request).
	MinGap time.Duration `json:"min_gap"`
	// Starts are the start times of the newest requests, oldest first (at
	// most Config.HostLog); StartsDropped counts older ones not kept.
	Starts        []time.Time `json:"starts,omitempty"`
	StartsDropped int64       `json:"starts_dropped"`
}

// hostStats accumulates a portal's HostStats; guarded by site.mu.
type hostStats struct {
	requests, conditional, notModified, early, bytes, dropped int64
	byStatus                                                  map[int]int64
	faults                                                    map[string]int64
	inFlight, maxInFlight                                     int
	minGap                                                    time.Duration
	last                                                      time.Time
	starts                                                    []int64 // ring of UnixNano
	next                                                      int
}

// begin records a request's start.
func (h *hostStats) begin(now time.Time, keep int) {
	h.requests++
	h.inFlight++
	h.maxInFlight = max(h.maxInFlight, h.inFlight)
	if !h.last.IsZero() {
		if gap := now.Sub(h.last); h.minGap < 0 || gap < h.minGap {
			h.minGap = gap
		}
	}
	h.last = now
	if keep == 0 {
		h.dropped++
		return
	}
	if len(h.starts) < keep {
		h.starts = append(h.starts, now.UnixNano())
		return
	}
	h.starts[h.next] = now.UnixNano()
	h.next = (h.next + 1) % keep
	h.dropped++
}

// end records a request's outcome.
func (h *hostStats) end(status int, bytes int64) {
	h.inFlight--
	if h.byStatus == nil {
		h.byStatus = map[int]int64{}
	}
	h.byStatus[status]++
	h.bytes += bytes
}

func (h *hostStats) fault(kind string) {
	if h.faults == nil {
		h.faults = map[string]int64{}
	}
	h.faults[kind]++
}

func (h *hostStats) reset() {
	inFlight := h.inFlight
	*h = hostStats{minGap: -1, inFlight: inFlight, maxInFlight: inFlight}
}

func (h *hostStats) snapshot() HostStats {
	out := HostStats{
		Requests: h.requests, ByStatus: maps.Clone(h.byStatus), Conditional: h.conditional, NotModified: h.notModified,
		Faults: maps.Clone(h.faults), EarlyRetries: h.early, Bytes: h.bytes, MaxInFlight: h.maxInFlight,
		MinGap: h.minGap, StartsDropped: h.dropped,
	}
	if out.ByStatus == nil {
		out.ByStatus = map[int]int64{}
	}
	out.Starts = make([]time.Time, 0, len(h.starts))
	for i := range h.starts {
		out.Starts = append(out.Starts, time.Unix(0, h.starts[(h.next+i)%len(h.starts)]))
	}
	return out
}

// attempt is what a portal remembers of a faulted URL in a generation.
type attempt struct {
	spoiled   int
	notBefore time.Time
}

// lru is a byte-bounded cache of rendered attachments. It is safe for
// concurrent use.
type lru struct {
	mu    sync.Mutex
	limit int
	size  int
	order *list.List // front: newest
	items map[string]*list.Element
}

type lruEntry struct {
	key  string
	body []byte
}

func newLRU(limit int) *lru {
	return &lru{limit: limit, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry).body, true
	}
	return nil, false
}

func (c *lru) put(key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(body) > c.limit {
		return
	}
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.items[key] = c.order.PushFront(&lruEntry{key, body})
	c.size += len(body)
	for c.size > c.limit {
		e := c.order.Back()
		ent := e.Value.(*lruEntry)
		c.order.Remove(e)
		delete(c.items, ent.key)
		c.size -= len(ent.body)
	}
}
