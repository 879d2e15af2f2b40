package simulator

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault kinds. Each names one way a portal misbehaves on a URL.
const (
	// FaultServerError answers 500, 502, 503 or 504 (a 503 half the time
	// with Retry-After).
	FaultServerError = "5xx"
	// FaultTimeout sends nothing for Faults.Hang, then closes the
	// connection.
	FaultTimeout = "timeout"
	// FaultReset closes the connection with a TCP RST before answering.
	FaultReset = "reset"
	// FaultTooMany answers 429 with Retry-After, in seconds or (a
	// Faults.RetryAfterDateShare of the time) as an HTTP-date.
	FaultTooMany = "429"
	// FaultTruncate sends the headers with the full Content-Length, half
	// the body, then closes the connection.
	FaultTruncate = "truncate"
	// FaultDrip sends the whole response, trickled in ten pieces over
	// Faults.Drip. It is slow, never a failure.
	FaultDrip = "drip"
	// FaultRedirectLoop answers 302 to the same URL with loop=1 added to
	// the query, which redirects back: a loop no client escapes. It is
	// always permanent.
	FaultRedirectLoop = "loop"
)

// FaultKinds returns the fault kinds in the order a URL's draw is matched
// against their rates.
func FaultKinds() []string {
	return []string{FaultServerError, FaultTimeout, FaultReset, FaultTooMany, FaultTruncate, FaultDrip, FaultRedirectLoop}
}

// Faults is a fault profile: how a portal misbehaves.
//
// Every URL of a faulty portal except /robots.txt draws one number from
// the seed, the portal, the generation and the URL (path and query, as
// requested: Truth assumes a crawler requests each URL as the pages spell
// it, query parameters in the same order); Rates, taken in FaultKinds order, say which kind of fault,
// if any, that number falls in. A second draw decides whether the fault
// is permanent (PermanentShare). A transient fault spoils the first Times
// requests for the URL in the generation, whatever their timing; the next
// ones are answered normally. A permanent one spoils them all: the URL is
// unreachable, and so is every report whose only way in passes through it
// (Truth says which). Drips always complete, so they never make a report
// unreachable; loops are always permanent. A 304 answer is never dripped
// or truncated. Requests are counted per portal in Stats.
type Faults struct {
	// HostShare is the share of portals the profile applies to, drawn
	// per portal. Only Config.Faults uses it; a Config.HostFaults entry
	// always applies.
	HostShare float64 `mapstructure:"host_share" json:"host_share"`
	// Rates maps fault kinds to the share of a portal's URLs that get
	// them; they add up to at most 1.
	Rates map[string]float64 `mapstructure:"rates" json:"rates,omitempty"`
	// PermanentShare is the share of faulted URLs (5xx, timeout, reset,
	// 429, truncate) whose fault never clears.
	PermanentShare float64 `mapstructure:"permanent_share" json:"permanent_share"`
	// Times is how many requests a transient fault spoils. Zero means
	// DefaultFaults' value, as for the durations below.
	Times int `mapstructure:"times" json:"times"`
	// Hang is how long a timeout sends nothing; make it longer than the
	// client's timeout.
	Hang time.Duration `mapstructure:"hang" json:"hang"`
	// Drip is how long a dripped response takes.
	Drip time.Duration `mapstructure:"drip" json:"drip"`
	// RetryAfter is the wait a 429 or 503 asks for; a request arriving
	// before it has passed is counted as an early retry.
	RetryAfter time.Duration `mapstructure:"retry_after" json:"retry_after"`
	// RetryAfterDateShare is the share of Retry-After headers given as an
	// HTTP-date rather than seconds.
	RetryAfterDateShare float64 `mapstructure:"retry_after_date_share" json:"retry_after_date_share"`
}

// DefaultFaults returns a profile with no faults and the timings the
// fault kinds use when given rates: two spoiled requests, a 30 s hang, a
// 2 s drip and a 1 s Retry-After.
func DefaultFaults() Faults {
	return Faults{Times: 2, Hang: 30 * time.Second, Drip: 2 * time.Second, RetryAfter: time.Second, RetryAfterDateShare: 0.5}
}

// withDefaults fills the zero fields that have defaults.
func (f Faults) withDefaults() Faults {
	d := DefaultFaults()
	if f.Times == 0 {
		f.Times = d.Times
	}
	if f.Hang == 0 {
		f.Hang = d.Hang
	}
	if f.Drip == 0 {
		f.Drip = d.Drip
	}
	if f.RetryAfter == 0 {
		f.RetryAfter = d.RetryAfter
	}
	return f
}

// enabled reports whether the profile has any fault.
func (f Faults) enabled() bool {
	for _, r := range f.Rates {
		if r > 0 {
			return true
		}
	}
	return false
}

func (f Faults) validate(key string) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(key+"."+format, args...)) }
	total := 0.0
	for k, r := range f.Rates {
		known := false
		for _, kk := range FaultKinds() {
			known = known || k == kk
		}
		if !known {
			bad("rates: unknown fault kind %q (have %v)", k, FaultKinds())
		}
		if r < 0 || r > 1 {
			bad("rates: %s = %v not in [0, 1]", k, r)
		}
		total += r
	}
	if total > 1+1e-9 {
		bad("rates: add up to %v, more than 1", total)
	}
	for name, x := range map[string]float64{"host_share": f.HostShare, "permanent_share": f.PermanentShare, "retry_after_date_share": f.RetryAfterDateShare} {
		if x < 0 || x > 1 {
			bad("%s: %v not in [0, 1]", name, x)
		}
	}
	if f.Times < 0 {
		bad("times: %d is negative", f.Times)
	}
	if f = f.withDefaults(); f.enabled() {
		if f.Hang <= 0 || f.Drip <= 0 || f.RetryAfter <= 0 {
			bad("hang, drip and retry_after must be positive (got %v, %v, %v)", f.Hang, f.Drip, f.RetryAfter)
		}
		if f.RetryAfter > time.Hour {
			bad("retry_after: %v longer than an hour", f.RetryAfter)
		}
	}
	return errors.Join(errs...)
}

// unit maps a hash of its parts to [0, 1).
func unit(seed uint64, parts ...string) float64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return float64(mix(h.Sum64())>>11) / (1 << 53)
}

// mix is the SplitMix64 finaliser, to spread FNV's low-entropy output.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// fault is what a URL suffers in a generation.
type fault struct {
	kind      string // "" for none
	permanent bool
	salt      float64 // a further draw, for variants (status code, date form)
}

// faultFor decides the fault of one URL of a portal in a generation.
func (st *site) faultFor(seed uint64, gen int, uri string) fault {
	f := st.faults
	if f == nil || uri == "/robots.txt" {
		return fault{}
	}
	g := strconv.Itoa(gen)
	u := unit(seed, "fault", st.div.Code, g, uri)
	cum := 0.0
	for _, k := range FaultKinds() {
		cum += f.Rates[k]
		if u < cum {
			fl := fault{kind: k, salt: unit(seed, "variant", st.div.Code, g, uri)}
			switch k {
			case FaultRedirectLoop:
				fl.permanent = true
			case FaultDrip:
			default:
				fl.permanent = unit(seed, "permanent", st.div.Code, g, uri) < f.PermanentShare
			}
			return fl
		}
	}
	return fault{}
}

// blocks reports whether the fault keeps a crawler from ever getting the
// URL's content.
func (f fault) blocks() bool { return f.permanent && f.kind != FaultDrip && f.kind != "" }

// retryAfter sets a Retry-After header asking for wait, as seconds or as
// an HTTP-date, and returns when it expires.
func retryAfter(h http.Header, now time.Time, wait time.Duration, asDate bool) time.Time {
	secs := int(math.Ceil(wait.Seconds()))
	if asDate {
		until := now.Add(time.Duration(secs) * time.Second).Truncate(time.Second).Add(time.Second)
		h.Set("Retry-After", until.UTC().Format(http.TimeFormat))
		return until
	}
	h.Set("Retry-After", strconv.Itoa(secs))
	return now.Add(time.Duration(secs) * time.Second)
}

// abort closes a hijacked connection; reset makes the close a TCP RST.
func abort(w http.ResponseWriter, reset bool) bool {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return false
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		tc.SetLinger(0)
	}
	conn.Close()
	return true
}
