package crawler

import (
	"container/heap"
	"hash/fnv"
	"net/url"
	"sync"
	"time"
)

// role is why a URL is fetched, which decides which of its links are
// followed (see scope.follow).
type role byte

const (
	roleRobots role = 'x' // a host's robots.txt
	roleStart  role = 's' // a start URL that is a home page
	roleHub    role = 'h' // a navigation page on the way to the column
	roleColumn role = 'c' // the annual-report column or one of its list pages
	roleReport role = 'r' // a page linked as a report
	roleFile   role = 'a' // an attachment
)

// entry is one URL in the frontier.
type entry struct {
	url   string // normalised
	depth int
	role  role
}

// inflight is a URL being fetched through Colly.
type inflight struct {
	e entry
	// key is the URL as Colly sends it (set in OnRequest).
	key string
	// page is the body as the transport decoded it, when handed is set:
	// Colly is given an empty body rather than one it would copy again
	// (see transport.forColly), and link extraction reads this one. The
	// transport sets them in the goroutine that called Colly.
	page   []byte
	handed bool
}

// hostQueue is one host's queued URLs, first in first out.
type hostQueue struct {
	h       *host
	items   []entry
	head    int
	busy    bool      // a URL of the host is being fetched
	index   int       // position in the ready heap, -1 when not in it
	at      time.Time // readyAt when pushed onto the heap
	dropped int       // URLs dropped because the host's breaker gave up
}

func (q *hostQueue) len() int { return len(q.items) - q.head }

func (q *hostQueue) pop() entry {
	e := q.items[q.head]
	q.items[q.head] = entry{}
	q.head++
	if q.head > 64 && q.head*2 > len(q.items) {
		q.items = append(q.items[:0], q.items[q.head:]...)
		q.head = 0
	}
	return e
}

// pushFront puts e back at the head of the queue (a fetch the breaker
// interrupted).
func (q *hostQueue) pushFront(e entry) {
	if q.head > 0 {
		q.head--
		q.items[q.head] = e
		return
	}
	q.items = append([]entry{e}, q.items...)
}

// readyHeap orders idle hosts with queued URLs by when they may be asked
// next.
type readyHeap []*hostQueue

func (h readyHeap) Len() int           { return len(h) }
func (h readyHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h readyHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *readyHeap) Push(x any) {
	q := x.(*hostQueue)
	q.index = len(*h)
	*h = append(*h, q)
}
func (h *readyHeap) Pop() any {
	old := *h
	q := old[len(old)-1]
	old[len(old)-1] = nil
	q.index = -1
	*h = old[:len(old)-1]
	return q
}

// frontier holds the URLs still to fetch, one FIFO queue per host, and the
// set of URLs ever queued. It hands out at most one URL per host at a
// time, and only once the host's delay (and breaker cool-down) has passed.
// Every URL queued and every URL finished is written to the journal, when
// there is one. It is safe for concurrent use.
type frontier struct {
	hosts   *hostTable
	journal *Journal
	// robots puts each host's robots.txt at the head of its queue when
	// the host is first seen. robots.txt is not journaled: a resumed run
	// reads it again.
	robots bool

	mu      sync.Mutex
	seen    map[uint64]struct{} // 64-bit FNV-1a of queued URLs
	queues  map[*host]*hostQueue
	ready   readyHeap
	pending int // URLs queued, not yet handed out
	active  int // URLs handed out, not yet finished
	dropped int
	wake    chan struct{}
	// fetching maps the URL of each request in flight (as Colly sends
	// it) to its inflight, for the transport.
	fetching map[string]*inflight
}

func newFrontier(hosts *hostTable, j *Journal) *frontier {
	return &frontier{
		hosts:    hosts,
		journal:  j,
		seen:     make(map[uint64]struct{}),
		queues:   make(map[*host]*hostQueue),
		wake:     make(chan struct{}, 1),
		fetching: make(map[string]*inflight),
	}
}

func urlKey(u string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(u))
	return h.Sum64()
}

// markSeen records u as queued without queueing it (a URL finished by an
// earlier, interrupted run).
func (f *frontier) markSeen(u string) {
	f.mu.Lock()
	f.seen[urlKey(u)] = struct{}{}
	f.mu.Unlock()
}

// add queues e unless its URL was queued before; it reports whether it
// did. scheme and hostName are the URL's.
func (f *frontier) add(e entry, scheme, hostName string) bool {
	k := urlKey(e.url)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, dup := f.seen[k]; dup {
		return false
	}
	f.seen[k] = struct{}{}
	if f.journal != nil {
		f.journal.queued(e)
	}
	f.enqueue(e, scheme, hostName)
	return true
}

// restore queues what an interrupted run left: pending URLs, in the order
// they were queued, and the keys of the URLs it finished, which are not
// queued again.
func (f *frontier) restore(pending []entry, done []uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range done {
		f.seen[k] = struct{}{}
	}
	for _, e := range pending {
		f.seen[urlKey(e.url)] = struct{}{}
	}
	for _, e := range pending {
		u, err := url.Parse(e.url)
		if err != nil || u.Host == "" {
			continue
		}
		f.enqueue(e, u.Scheme, u.Host)
	}
}

// enqueue puts e on its host's queue, after the host's robots.txt when
// the host is new; f.mu is held.
func (f *frontier) enqueue(e entry, scheme, hostName string) {
	h := f.hosts.get(hostName)
	q, ok := f.queues[h]
	if !ok {
		q = &hostQueue{h: h, index: -1}
		f.queues[h] = q
		if f.robots {
			q.items = append(q.items, entry{url: scheme + "://" + hostName + "/robots.txt", role: roleRobots})
			f.pending++
		}
	}
	q.items = append(q.items, e)
	f.pending++
	f.schedule(q)
}

// schedule puts q on the ready heap if it is idle and has URLs; f.mu is
// held.
func (f *frontier) schedule(q *hostQueue) {
	if q.busy || q.index >= 0 || q.len() == 0 {
		return
	}
	q.at = q.h.readyAt()
	heap.Push(&f.ready, q)
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// next hands out the next URL whose host may be asked now. When none may
// yet, it returns how long until one may (0 with done set when nothing is
// queued or in flight: the crawl is over).
func (f *frontier) next(now time.Time) (q *hostQueue, e entry, wait time.Duration, done bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.ready) > 0 {
		top := f.ready[0]
		if top.at.After(now) {
			return nil, entry{}, top.at.Sub(now), false
		}
		heap.Pop(&f.ready)
		if st, _ := top.h.state(now); st == "dead" {
			n := top.len()
			top.dropped += n
			f.dropped += n
			f.pending -= n
			top.items, top.head = nil, 0
			continue
		}
		if at := top.h.readyAt(); at.After(now) {
			top.at = at
			heap.Push(&f.ready, top)
			continue
		}
		e := top.pop()
		f.pending--
		f.active++
		top.busy = true
		return top, e, 0, false
	}
	if f.active == 0 {
		return nil, entry{}, 0, true
	}
	return nil, entry{}, time.Hour, false
}

// release ends the fetch of e, handed out with q. finished says the URL is
// done for good (so a resumed run will not fetch it again); otherwise it
// goes back to the head of its host's queue when requeue is set.
func (f *frontier) release(q *hostQueue, e entry, finished, requeue bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active--
	q.busy = false
	switch {
	case finished:
		if f.journal != nil {
			f.journal.done(e.url)
		}
	case requeue:
		q.pushFront(e)
		f.pending++
	}
	f.schedule(q)
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// begin and end bracket a request in flight, so the transport can find
// the entry of the URL it is asked for.
func (f *frontier) begin(fl *inflight) {
	f.mu.Lock()
	f.fetching[fl.key] = fl
	f.mu.Unlock()
}

func (f *frontier) end(u string) {
	f.mu.Lock()
	delete(f.fetching, u)
	f.mu.Unlock()
}

// lookup returns the fetch in flight at u, or nil.
func (f *frontier) lookup(u *url.URL) *inflight {
	key := u.String()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetching[key]
}

// counts returns how many URLs are queued and in flight, and how many were
// dropped.
func (f *frontier) counts() (pending, active, dropped int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending, f.active, f.dropped
}

// droppedBy returns the URLs dropped per host.
func (f *frontier) droppedBy() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int)
	for h, q := range f.queues {
		if q.dropped > 0 {
			out[h.name] = q.dropped
		}
	}
	return out
}
