package simulator

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/charset"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// attachmentConfig publishes every report of 靖远县's portals as PDF or
// DOCX, half of them Hanweb.
func attachmentConfig(addr string) Config {
	cfg := DefaultConfig()
	cfg.Counties = []string{"620421"}
	cfg.FirstAddr = addr
	cfg.Formats = map[string]float64{FormatPDF: 1, FormatDOCX: 1}
	cfg.Styles = map[string]float64{StyleTRS: 1, StyleHanweb: 1}
	cfg.JunkShare = 0.5
	return cfg
}

// TestAttachments fetches one PDF and one DOCX report of each style
// through its stub page and reads the figures back: the PDF's text layer
// with pdftotext -layout, the DOCX's document.xml.
func TestAttachments(t *testing.T) {
	t.Parallel()
	sim := start(t, attachmentConfig("127.0.9.1"))
	done := map[string]bool{}
	for _, tr := range sim.Truth() {
		style := "trs"
		if strings.Contains(tr.URL, "/art/") {
			style = "hanweb"
		}
		key := style + " " + tr.Format
		if done[key] || tr.Template != render.TemplateNarrative && tr.Format == FormatPDF && done[key+" table"] {
			continue
		}
		done[key] = true
		if tr.DocumentURL == tr.URL {
			t.Fatalf("%s report %s has no document URL of its own", tr.Format, tr.URL)
		}
		stub := fetchText(t, tr.URL)
		wantLink := fmt.Sprintf(`附件：<a href="%s" target="_blank">%s.%s</a>`, strings.ReplaceAll(strings.TrimPrefix(tr.DocumentURL, tr.URL[:strings.Index(tr.URL[7:], "/")+7]), "&", "&amp;"), tr.Title, tr.Format)
		if !strings.Contains(stub, wantLink) {
			t.Errorf("stub %s lacks %s", tr.URL, wantLink)
		}
		resp, body := fetch(t, tr.DocumentURL)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", tr.DocumentURL, resp.StatusCode)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''") {
			t.Errorf("Content-Disposition %q", cd)
		}
		var text string
		switch tr.Format {
		case FormatPDF:
			if resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Fatalf("%s is not a PDF (%s)", tr.DocumentURL, resp.Header.Get("Content-Type"))
			}
			text = pdftotextLayout(t, body)
		case FormatDOCX:
			text = docxText(t, body)
		}
		flat := strings.Join(strings.Fields(text), "")
		if !strings.Contains(flat, tr.Title) {
			t.Errorf("%s %s lacks the title %q", tr.Format, tr.DocumentURL, tr.Title)
		}
		items, _ := tr.Values.Get(metrics.ProactiveItems, metrics.Total)
		if _, stated := tr.Values.Get(metrics.ProactiveItems, metrics.Total); stated && !regexp.MustCompile(fmt.Sprintf(`公开[^。]*?%d条`, int(items))).MatchString(flat) {
			t.Errorf("%s %s (%s) lacks 公开…%v条", tr.Format, tr.DocumentURL, tr.Template, items)
		}
	}
	if len(done) < 4 {
		t.Errorf("checked %v, want PDF and DOCX of both styles", done)
	}
}

// pdftotextLayout runs poppler's pdftotext -layout.
func pdftotextLayout(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext (install poppler-utils, e.g. make setup): %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// docxText returns the text of a DOCX's document.xml.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("DOCX is not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(x), "")
		}
	}
	t.Fatal("DOCX without word/document.xml")
	return ""
}

// TestGBKHeader checks GBK portals that name the charset in the header.
func TestGBKHeader(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620421"}
	cfg.FirstAddr = "127.0.10.1"
	cfg.GBKShare, cfg.GBKHeaderShare = 1, 0.5
	sim := start(t, cfg)
	seen := map[string]bool{}
	for _, p := range sim.Portals() {
		resp, body := fetch(t, p.StartURL)
		ct := resp.Header.Get("Content-Type")
		seen[ct] = true
		want := map[string]string{"GBK": "text/html; charset=GBK", "": "text/html"}[p.CharsetHeader]
		if ct != want {
			t.Errorf("%s: Content-Type %q, portal says charset header %q", p.StartURL, ct, p.CharsetHeader)
		}
		if _, enc, err := charset.Decode(body, ct); err != nil || enc != charset.GB18030 {
			t.Errorf("%s decodes as %s (%v)", p.StartURL, enc, err)
		}
	}
	if len(seen) != 2 {
		t.Errorf("Content-Types %v, want both forms", seen)
	}
}

// TestRobotsVariants checks the robots.txt variants and what Portal says
// of them.
func TestRobotsVariants(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620421", "620422"}
	cfg.FirstAddr = "127.0.11.1"
	cfg.Robots = Robots{CrawlDelayShare: 0.3, CrawlDelay: 2, BlockColumnShare: 0.2, BlockPartShare: 0.2, MissingShare: 0.1}
	sim := start(t, cfg)
	byKind := map[string]int{}
	for _, p := range sim.Portals() {
		byKind[p.Robots]++
		resp, body := fetch(t, p.BaseURL+"/robots.txt")
		text := string(body)
		switch {
		case p.Robots == "missing":
			if resp.StatusCode != 404 {
				t.Errorf("%s: robots.txt %d, want 404", p.BaseURL, resp.StatusCode)
			}
		case resp.StatusCode != 200:
			t.Errorf("%s: robots.txt %d", p.BaseURL, resp.StatusCode)
		case p.CrawlDelay > 0 && !strings.Contains(text, "Crawl-delay: 2\n"):
			t.Errorf("%s: Crawl-delay %v not in %q", p.BaseURL, p.CrawlDelay, text)
		case p.Robots == "column" && !strings.Contains(text, "Disallow: /zwgk/zfxxgknb/\n"):
			t.Errorf("%s: column not disallowed: %q", p.BaseURL, text)
		}
	}
	for _, k := range []string{"default", "missing", "column", "part"} {
		if byKind[k] == 0 {
			t.Errorf("no portal with robots %s: %v", k, byKind)
		}
	}
	for _, tr := range sim.Truth() {
		if tr.Unreachable != "" && tr.Unreachable != "robots" {
			t.Errorf("%s %d unreachable %q without faults", tr.Agency, tr.Year, tr.Unreachable)
		}
	}
}

func TestRobotsMatch(t *testing.T) {
	rules, delay := parseRobots("User-agent: Baiduspider\nAllow: /\n\nUser-agent: *\nDisallow: /zwgk/\nAllow: /zwgk/zfxxgknb/\nDisallow: /*.pdf$\nDisallow: /art/2022/\nCrawl-delay: 1.5\n")
	rf := &robotsFile{rules: rules}
	if delay != 1.5 {
		t.Errorf("delay %v", delay)
	}
	for uri, want := range map[string]bool{
		"/index.html":                true,
		"/zwgk/index.html":           false,
		"/zwgk/zfxxgknb/index.html":  true,
		"/zwgk/zfxxgknb/a.pdf":       true, // the longer Allow wins
		"/xwdt/a.pdf":                false,
		"/zwgk/zfxxgknb/a.pdf?x=1":   true,
		"/art/2022/1/2/art_1_2.html": false,
		"/art/2023/1/2/art_1_2.html": true,
		"/robots.txt":                true,
	} {
		if got := rf.allowed(uri); got != want {
			t.Errorf("allowed(%q) = %v, want %v", uri, got, want)
		}
	}
}

// TestGenerations advances a simulator and checks what changed: edited
// reports get new bytes and validators, new reports appear on the list
// pages (which change too), and every other page answers a conditional
// GET with 304 and its bytes stay the same.
func TestGenerations(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = "127.0.12.1"
	cfg.Changes = Changes{EditShare: 0.3, NewShare: 0.5}
	cfg.Formats = map[string]float64{FormatHTML: 3, FormatDOCX: 1}
	sim := start(t, cfg)

	type page struct {
		etag, lastModified string
		body               []byte
	}
	crawl := func() map[string]page {
		out := map[string]page{}
		c := newTestCrawl(5*time.Second, 0)
		for _, p := range sim.Portals() {
			c.run(t, p.StartURL)
		}
		for u := range c.got {
			resp, body := fetch(t, u)
			if resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
				t.Fatalf("%s has no validators", u)
			}
			out[u] = page{resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), body}
		}
		return out
	}
	before := crawl()
	t0 := sim.Truth()
	if g := sim.Advance(); g != 1 || sim.Generation() != 1 {
		t.Fatalf("Advance = %d", g)
	}
	sim.ResetStats()
	after := crawl()
	t1 := sim.Truth()

	changed := map[string]bool{} // URLs whose content truth says changed
	newReports, edited := 0, 0
	for _, tr := range t1 {
		switch {
		case tr.FirstGeneration == 1:
			newReports++
			if tr.Year <= cfg.LastYear {
				t.Errorf("new report on %d, want a year after %d", tr.Year, cfg.LastYear)
			}
		case tr.Version == 1:
			edited++
			changed[tr.DocumentURL] = true // a stub page stays as it was
		}
	}
	if newReports == 0 || edited == 0 || len(t1) != len(t0)+newReports {
		t.Fatalf("%d new and %d edited reports (%d → %d)", newReports, edited, len(t0), len(t1))
	}
	for _, tr := range t1 {
		for _, c := range metrics.Verify(tr.Implied()) {
			if !c.OK {
				t.Errorf("%s %d v%d: %+v fails", tr.Agency, tr.Year, tr.Version, c)
			}
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	notModified, modified := 0, 0
	for u, old := range before {
		now, ok := after[u]
		if !ok {
			t.Errorf("%s gone in generation 1", u)
			continue
		}
		same := bytes.Equal(old.body, now.body)
		if same != (old.etag == now.etag) || same != (old.lastModified == now.lastModified) {
			t.Errorf("%s: bytes same %v, ETag %s → %s, Last-Modified %s → %s", u, same, old.etag, now.etag, old.lastModified, now.lastModified)
		}
		if changed[u] && same {
			t.Errorf("%s: truth says edited, bytes unchanged", u)
		}
		for _, h := range [][2]string{{"If-None-Match", old.etag}, {"If-Modified-Since", old.lastModified}} {
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			req.Header.Set(h[0], h[1])
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := http.StatusNotModified
			if !same {
				want = http.StatusOK
			}
			if resp.StatusCode != want {
				t.Errorf("%s with %s: %d, want %d", u, h[0], resp.StatusCode, want)
			}
			if resp.StatusCode == 304 {
				notModified++
			} else {
				modified++
			}
		}
	}
	if notModified == 0 || modified == 0 {
		t.Errorf("%d not modified, %d modified; want both", notModified, modified)
	}
	var cond, nm int64
	for _, h := range sim.Stats() {
		cond += h.Conditional
		nm += h.NotModified
	}
	if cond != int64(notModified+modified) || nm != int64(notModified) {
		t.Errorf("stats: %d conditional, %d 304; the test sent %d and got %d", cond, nm, notModified+modified, notModified)
	}
	// Generation 0's truth is still there, unchanged.
	if again := sim.TruthAt(0); !equalTruth(again, t0) {
		t.Error("TruthAt(0) differs from generation 0's Truth")
	}
}

// TestStats checks request start times, gaps and the bound on them.
func TestStats(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = "127.0.13.1"
	cfg.HostLog = 3
	sim := start(t, cfg)
	p := sim.Portals()[2]
	begin := time.Now()
	for range 5 {
		fetch(t, p.StartURL)
		time.Sleep(30 * time.Millisecond)
	}
	st := statsOf(t, sim, p.RegionCode)
	if st.Requests != 5 || st.ByStatus[200] != 5 || len(st.Starts) != 3 || st.StartsDropped != 2 || st.MaxInFlight != 1 {
		t.Fatalf("stats %+v", st)
	}
	if st.MinGap < 30*time.Millisecond || st.Bytes == 0 {
		t.Errorf("min gap %v, bytes %d", st.MinGap, st.Bytes)
	}
	for i, s := range st.Starts {
		if s.Before(begin) || i > 0 && s.Sub(st.Starts[i-1]) < 30*time.Millisecond {
			t.Errorf("starts %v", st.Starts)
		}
	}
	if other := statsOf(t, sim, sim.Portals()[0].RegionCode); other.Requests != 0 || other.MinGap != -1 {
		t.Errorf("untouched portal stats %+v", other)
	}
	sim.ResetStats()
	if st := statsOf(t, sim, p.RegionCode); st.Requests != 0 || len(st.Starts) != 0 {
		t.Errorf("after reset %+v", st)
	}
}

// TestBenchProfile checks the benchmark profile's portals are uniform:
// the same number of pages, every HTML page at least 20 KB.
func TestBenchProfile(t *testing.T) {
	t.Parallel()
	cfg, err := Profile("bench")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Hosts = 12
	cfg.FirstAddr = "127.0.14.1"
	sim := start(t, cfg)
	for _, p := range sim.Portals()[:2] {
		if p.Pages != 105 {
			t.Errorf("%s: %d pages, want 105", p.Agency, p.Pages)
		}
		c := newTestCrawl(5*time.Second, 0)
		c.run(t, p.StartURL)
		n := 0
		for u := range c.got {
			if strings.Contains(u, "/zwgk/zfxxgknb/") {
				n++
				if len(c.bodies[u]) < 20000 {
					t.Errorf("%s: %d bytes", u, len(c.bodies[u]))
				}
			}
		}
		if n != p.Pages {
			t.Errorf("%s: crawled %d column pages, Portal.Pages %d", p.Agency, n, p.Pages)
		}
	}
	if n := len(sim.Truth()); n != 12*100 {
		t.Errorf("%d reports, want 1200", n)
	}
	if _, err := Profile("nope"); err == nil {
		t.Error("Profile(nope) succeeded")
	}
}

// TestThousandHosts starts 1,000 portals and fetches from a few.
func TestThousandHosts(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties, cfg.Provinces, cfg.Hosts = nil, []string{"11", "12", "13"}, 1000
	cfg.FirstAddr = "127.1.0.1"
	begin := time.Now()
	sim := start(t, cfg)
	ps := sim.Portals()
	t.Logf("New+Start of %d portals: %v", len(ps), time.Since(begin))
	if len(ps) != 1000 {
		t.Fatalf("%d portals", len(ps))
	}
	hosts := map[string]bool{}
	for _, p := range ps {
		hosts[p.BaseURL] = true
	}
	if len(hosts) != 1000 {
		t.Errorf("%d distinct hosts", len(hosts))
	}
	for _, i := range []int{0, 499, 999} {
		if resp, _ := fetch(t, ps[i].StartURL); resp.StatusCode != 200 {
			t.Errorf("%s: %d", ps[i].StartURL, resp.StatusCode)
		}
	}
}

func TestAdminHandler(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = "127.0.15.1"
	cfg.Changes.NewShare = 1
	sim := start(t, cfg)
	fetch(t, sim.Portals()[0].StartURL)
	admin := httptest.NewServer(sim.AdminHandler())
	defer admin.Close()
	var gen struct{ Generation int }
	resp, err := http.Post(admin.URL+"/advance", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(resp.Body).Decode(&gen); err != nil || gen.Generation != 1 {
		t.Errorf("advance: %+v %v", gen, err)
	}
	resp.Body.Close()
	var stats []HostStats
	resp, err = http.Get(admin.URL + "/stats?starts=0")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil || len(stats) != 11 || stats[0].Requests != 1 {
		t.Errorf("stats: %d portals, %v", len(stats), err)
	}
	resp.Body.Close()
	var truth []Truth
	resp, err = http.Get(admin.URL + "/truth?generation=0")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil || len(truth) != len(sim.TruthAt(0)) || len(sim.Truth()) != len(truth)+11 {
		t.Errorf("truth: %d reports (%v), generation 1 has %d", len(truth), err, len(sim.Truth()))
	}
	resp.Body.Close()
	resp, _ = http.Get(admin.URL + "/truth?generation=x")
	if resp.StatusCode != 400 {
		t.Errorf("bad generation: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

// TestCloseEndsHangs checks Close does not wait out a hanging response.
func TestCloseEndsHangs(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = "127.0.16.1"
	f := DefaultFaults()
	f.Rates, f.PermanentShare, f.Hang = map[string]float64{FaultTimeout: 1}, 1, time.Minute
	cfg.HostFaults = map[string]Faults{"620402001": f}
	sim, err := New(cfg, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	u := sim.Portals()[1].StartURL
	go func() { try(u, time.Minute) }()
	time.Sleep(100 * time.Millisecond)
	begin := time.Now()
	if err := sim.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
}

// TestNarrowFiguresRenderTheSame checks a report page built from the
// figures a template reads (what serving replays) equals one built from
// all of them (what Truth uses), for both templates and edited reports.
func TestNarrowFiguresRenderTheSame(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstYear = 2019
	cfg.Departments = 2
	cfg.Changes.EditShare = 0.5
	sim, err := New(cfg, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	all := func(int) figureMode { return figuresAll }
	templates := map[string]int{}
	for _, st := range sim.sites {
		for _, r := range st.reports {
			templates[r.spec.Template]++
			full := r.spec
			full.Values = sim.streamFigures(st, r.stream, 0, all)[r.ord]
			sim.applyEdits(st, r, 2, full.Values)
			want, err := render.Build(full)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sim.build(st, r, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got.HTML(render.HTMLOptions{}) != want.HTML(render.HTMLOptions{}) || len(got.Stated) != len(want.Stated) {
				t.Errorf("%s %d (%s): serving and truth render differently", r.spec.Agency, r.spec.Year, r.spec.Template)
			}
		}
	}
	if templates[render.TemplateNarrative] == 0 || templates[render.TemplateTable2021] == 0 {
		t.Errorf("templates %v, want both", templates)
	}
}
