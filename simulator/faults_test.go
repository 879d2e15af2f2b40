package simulator

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// faultAddr hands each faulty simulator addresses of its own.
var faultAddr atomic.Int32

// faultySim starts the portals of 白银区 with one of them, 620402001,
// suffering kind on every URL (transient for Times=2 requests unless
// permanent), and returns it with that portal.
func faultySim(t *testing.T, kind string, permanent bool, tune func(*Faults)) (*Simulator, Portal) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = fmt.Sprintf("127.0.%d.1", 20+faultAddr.Add(1))
	f := DefaultFaults()
	f.Rates = map[string]float64{kind: 1}
	f.Hang, f.Drip, f.RetryAfter = 1500*time.Millisecond, 600*time.Millisecond, time.Second
	if permanent {
		f.PermanentShare = 1
	}
	if tune != nil {
		tune(&f)
	}
	cfg.HostFaults = map[string]Faults{"620402001": f}
	sim := start(t, cfg)
	for _, p := range sim.Portals() {
		if p.RegionCode == "620402001" {
			return sim, p
		}
	}
	t.Fatal("portal 620402001 missing")
	return nil, Portal{}
}

// try GETs u once with a client timeout and reads the whole body.
func try(u string, timeout time.Duration) (*http.Response, []byte, error) {
	client := &http.Client{Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}}
	resp, err := client.Get(u)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// truthOf returns the reports of one portal.
func truthOf(sim *Simulator, code string) []Truth {
	var out []Truth
	for _, tr := range sim.Truth() {
		if tr.RegionCode == code {
			out = append(out, tr)
		}
	}
	return out
}

// checkTransient checks the portal's start page fails twice (fail says
// whether an attempt failed), then answers 200, and that every report is
// reachable.
func checkTransient(t *testing.T, sim *Simulator, p Portal, kind string, fail func(*http.Response, []byte, error) bool) {
	t.Helper()
	for i := range 2 {
		resp, body, err := try(p.StartURL, 800*time.Millisecond)
		if !fail(resp, body, err) {
			t.Fatalf("%s: attempt %d did not fail: %v %v", kind, i+1, statusOf(resp), err)
		}
	}
	resp, _, err := try(p.StartURL, 5*time.Second)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: third attempt = %v, %v; want 200", kind, statusOf(resp), err)
	}
	robots, _, err := try(p.BaseURL+"/robots.txt", time.Second)
	if err != nil || robots.StatusCode != 200 {
		t.Errorf("%s: robots.txt = %v, %v; it is never faulted", kind, statusOf(robots), err)
	}
	for _, tr := range truthOf(sim, p.RegionCode) {
		if !tr.Reachable() {
			t.Errorf("%s transient: %s %d unreachable (%s)", kind, tr.Agency, tr.Year, tr.Unreachable)
		}
	}
	st := statsOf(t, sim, p.RegionCode)
	if st.Faults[kind] != 2 {
		t.Errorf("%s: stats count %d spoiled requests, want 2 (%+v)", kind, st.Faults[kind], st.Faults)
	}
}

// checkPermanent checks every report of the portal is unreachable because
// of kind, and that the start page keeps failing.
func checkPermanent(t *testing.T, sim *Simulator, p Portal, kind string, fail func(*http.Response, []byte, error) bool) {
	t.Helper()
	for i := range 3 {
		resp, body, err := try(p.StartURL, 800*time.Millisecond)
		if !fail(resp, body, err) {
			t.Fatalf("%s permanent: attempt %d did not fail: %v %v", kind, i+1, statusOf(resp), err)
		}
	}
	trs := truthOf(sim, p.RegionCode)
	if len(trs) == 0 {
		t.Fatal("no reports")
	}
	for _, tr := range trs {
		if tr.Unreachable != "fault:"+kind {
			t.Errorf("%s permanent: %s %d unreachable = %q", kind, tr.Agency, tr.Year, tr.Unreachable)
		}
	}
	for _, tr := range sim.Truth() {
		if tr.RegionCode != p.RegionCode && !tr.Reachable() {
			t.Errorf("%s: a fault-free portal's report %s %d is unreachable", kind, tr.Agency, tr.Year)
		}
	}
}

func statusOf(r *http.Response) string {
	if r == nil {
		return "no response"
	}
	return r.Status
}

func statsOf(t *testing.T, sim *Simulator, code string) HostStats {
	t.Helper()
	for _, h := range sim.Stats() {
		if h.RegionCode == code {
			return h
		}
	}
	t.Fatalf("no stats for %s", code)
	return HostStats{}
}

func is5xx(r *http.Response, _ []byte, err error) bool {
	return err == nil && r.StatusCode >= 500
}

func dropped(r *http.Response, _ []byte, err error) bool { return err != nil }

func TestFaultServerError(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultServerError, false, nil)
	checkTransient(t, sim, p, FaultServerError, is5xx)
}

func TestFaultServerErrorPermanent(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultServerError, true, nil)
	checkPermanent(t, sim, p, FaultServerError, is5xx)
}

func TestFaultTimeout(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultTimeout, false, nil)
	begin := time.Now()
	checkTransient(t, sim, p, FaultTimeout, func(r *http.Response, _ []byte, err error) bool {
		var ne interface{ Timeout() bool }
		return errors.As(err, &ne) && ne.Timeout()
	})
	if d := time.Since(begin); d < 1500*time.Millisecond {
		t.Errorf("two timeouts took %v, want at least two client timeouts", d)
	}
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultReset, false, nil)
	checkTransient(t, sim, p, FaultReset, dropped)
}

func TestFaultResetPermanent(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultReset, true, nil)
	checkPermanent(t, sim, p, FaultReset, dropped)
}

// TestFaultTooMany checks 429 with Retry-After in both forms and that
// retrying before it passes is counted.
func TestFaultTooMany(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		share float64
		parse func(string) bool
	}{
		{"seconds", 0, func(v string) bool { n, err := strconv.Atoi(v); return err == nil && n == 1 }},
		{"date", 1, func(v string) bool {
			d, err := http.ParseTime(v)
			return err == nil && time.Until(d) > 0 && time.Until(d) <= 3*time.Second
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim, p := faultySim(t, FaultTooMany, false, func(f *Faults) { f.RetryAfterDateShare = tc.share })
			resp, _, err := try(p.StartURL, time.Second)
			if err != nil || resp.StatusCode != http.StatusTooManyRequests || !tc.parse(resp.Header.Get("Retry-After")) {
				t.Fatalf("first GET = %v %v, Retry-After %q", statusOf(resp), err, headerOf(resp, "Retry-After"))
			}
			// Too early: counted.
			if resp, _, err := try(p.StartURL, time.Second); err != nil || resp.StatusCode != 429 {
				t.Fatalf("second GET = %v %v", statusOf(resp), err)
			}
			if st := statsOf(t, sim, p.RegionCode); st.EarlyRetries != 1 {
				t.Errorf("early retries = %d, want 1", st.EarlyRetries)
			}
			time.Sleep(2100 * time.Millisecond)
			if resp, _, err := try(p.StartURL, time.Second); err != nil || resp.StatusCode != 200 {
				t.Fatalf("third GET = %v %v", statusOf(resp), err)
			}
			if st := statsOf(t, sim, p.RegionCode); st.EarlyRetries != 1 || st.Faults[FaultTooMany] != 2 {
				t.Errorf("stats %+v: want 1 early retry, 2 spoiled", st)
			}
		})
	}
}

func headerOf(r *http.Response, k string) string {
	if r == nil {
		return ""
	}
	return r.Header.Get(k)
}

func TestFaultTruncate(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultTruncate, false, nil)
	checkTransient(t, sim, p, FaultTruncate, func(r *http.Response, body []byte, err error) bool {
		return err != nil && errors.Is(err, io.ErrUnexpectedEOF) && r.ContentLength > int64(len(body)) && len(body) > 0
	})
}

func TestFaultTruncatePermanent(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultTruncate, true, nil)
	checkPermanent(t, sim, p, FaultTruncate, func(r *http.Response, body []byte, err error) bool {
		return err != nil && r != nil && r.ContentLength > int64(len(body))
	})
}

// TestFaultDrip checks a dripped response is complete but takes Drip.
func TestFaultDrip(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultDrip, true, nil)
	begin := time.Now()
	resp, body, err := try(p.StartURL, 5*time.Second)
	if err != nil || resp.StatusCode != 200 || int64(len(body)) != resp.ContentLength {
		t.Fatalf("dripped GET = %v, %v, %d of %d bytes", statusOf(resp), err, len(body), resp.ContentLength)
	}
	if d := time.Since(begin); d < 500*time.Millisecond {
		t.Errorf("dripped response took %v, want about 600ms", d)
	}
	if _, fast, _ := try(p.BaseURL+"/robots.txt", time.Second); len(fast) == 0 {
		t.Error("robots.txt empty")
	}
	for _, tr := range truthOf(sim, p.RegionCode) {
		if !tr.Reachable() {
			t.Errorf("drip made %s %d unreachable", tr.Agency, tr.Year)
		}
	}
}

// TestFaultRedirectLoop checks the loop is endless and always there.
func TestFaultRedirectLoop(t *testing.T) {
	t.Parallel()
	sim, p := faultySim(t, FaultRedirectLoop, false, nil)
	checkPermanent(t, sim, p, FaultRedirectLoop, func(r *http.Response, _ []byte, err error) bool {
		return err != nil && strings.Contains(err.Error(), "stopped after 10 redirects")
	})
}

// TestFaultShareAndDeterminism checks the default profile hits about the
// share of portals and URLs asked for, the same ones for the same seed,
// others in another generation.
func TestFaultShareAndDeterminism(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Faults.HostShare = 0.5
	cfg.Faults.Rates = map[string]float64{FaultServerError: 0.2, FaultReset: 0.1}
	sim, err := New(cfg, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	faulty, hit, total := 0, 0, 0
	changed := 0
	for _, st := range sim.sites {
		if st.faults == nil {
			continue
		}
		faulty++
		for _, r := range st.reports {
			total++
			f := st.faultFor(cfg.Seed, 0, r.path)
			if f.kind != "" {
				hit++
			}
			if f != st.faultFor(cfg.Seed, 0, r.path) {
				t.Fatal("fault draw not deterministic")
			}
			if f != st.faultFor(cfg.Seed, 1, r.path) {
				changed++
			}
		}
	}
	if faulty < len(sim.sites)/4 || faulty > len(sim.sites)*3/4 {
		t.Errorf("%d of %d portals faulty, want about half", faulty, len(sim.sites))
	}
	if share := float64(hit) / float64(total); share < 0.15 || share > 0.45 {
		t.Errorf("%d of %d URLs faulted, want about 30%%", hit, total)
	}
	if changed == 0 {
		t.Error("generation 1 faults the same URLs as generation 0")
	}
}

func TestParseFaults(t *testing.T) {
	t.Parallel()
	f, err := ParseFaults("5xx=0.05, 429=0.02,loop=0.001,permanent=0.1,hosts=0.5,times=3,hang=20s,drip-time=1s,retry-after=2s,retry-date=0", DefaultFaults())
	if err != nil {
		t.Fatal(err)
	}
	if f.Rates[FaultServerError] != 0.05 || f.Rates[FaultTooMany] != 0.02 || f.Times != 3 || f.Hang != 20*time.Second || f.HostShare != 0.5 || f.RetryAfter != 2*time.Second {
		t.Errorf("ParseFaults = %+v", f)
	}
	back, err := ParseFaults(f.String(), Faults{})
	if err != nil || back.String() != f.String() {
		t.Errorf("round trip: %q → %q (%v)", f.String(), back.String(), err)
	}
	for _, bad := range []string{"fire=1", "5xx", "5xx=2", "times=x", "5xx=0.6,reset=0.6", "hang=-1s,reset=0.1"} {
		if _, err := ParseFaults(bad, DefaultFaults()); err == nil {
			t.Errorf("ParseFaults(%q) succeeded", bad)
		}
	}
}

// TestFaultRedirectLoopWithQuery checks the loop holds on a URL with a
// query (a Hanweb list page).
func TestFaultRedirectLoopWithQuery(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = "127.0.40.1"
	cfg.Styles = map[string]float64{StyleHanweb: 1}
	cfg.PageSize = 1
	f := DefaultFaults()
	f.Rates = map[string]float64{FaultRedirectLoop: 1}
	cfg.HostFaults = map[string]Faults{"620402001": f}
	sim := start(t, cfg)
	p := sim.Portals()[1]
	u := p.BaseURL + sim.sites[1].listURI(1)
	if !strings.Contains(u, "pageNum=2") {
		t.Fatalf("list page 2 at %s", u)
	}
	if _, _, err := try(u, time.Second); err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("GET %s: %v, want a redirect loop", u, err)
	}
}
