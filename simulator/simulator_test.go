package simulator

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nianbao/nianbao/charset"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// testGazetteer loads the gazetteer once for all tests.
var testGazetteer = sync.OnceValues(gazetteer.Load)

func loadGazetteer(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	g, err := testGazetteer()
	if err != nil {
		t.Fatalf("gazetteer.Load: %v", err)
	}
	return g
}

// start runs a simulator for the test's duration.
func start(t testing.TB, cfg Config) *Simulator {
	t.Helper()
	sim, err := New(cfg, loadGazetteer(t), nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := sim.Start(t.Context()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := sim.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return sim
}

// fetch GETs u and returns the response and its body.
func fetch(t testing.TB, u string) (*http.Response, []byte) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", u, err)
	}
	return resp, body
}

// fetchText GETs an HTML page, checks it is 200, and decodes it the way
// the crawler would.
func fetchText(t testing.TB, u string) string {
	t.Helper()
	resp, body := fetch(t, u)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, resp.StatusCode)
	}
	text, _, err := charset.Decode(body, resp.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("GET %s: decode: %v", u, err)
	}
	return string(text)
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

// links returns the absolute URLs an HTML page links to.
func links(t testing.TB, page, text string) []string {
	t.Helper()
	base, err := url.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(text, -1) {
		ref, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil || ref.Scheme == "javascript" {
			continue
		}
		out = append(out, base.ResolveReference(ref).String())
	}
	return out
}

func TestDefaultConfigIsValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"no counties", func(c *Config) { c.Counties = nil }, "counties: none"},
		{"bad county", func(c *Config) { c.Counties = []string{"62042"} }, "not a 6-digit"},
		{"duplicate county", func(c *Config) { c.Counties = []string{"620421", "620421"} }, "listed twice"},
		{"years reversed", func(c *Config) { c.FirstYear, c.LastYear = 2023, 2021 }, "years"},
		{"address outside loopback", func(c *Config) { c.FirstAddr = "10.0.0.1" }, "not in 127.0.0.0/8"},
		{"IPv6 address", func(c *Config) { c.FirstAddr = "::1" }, "not in 127.0.0.0/8"},
		{"bad address", func(c *Config) { c.FirstAddr = "localhost" }, "first_addr"},
		{"port", func(c *Config) { c.Port = 70000 }, "port"},
		{"gbk share", func(c *Config) { c.GBKShare = 1.5 }, "gbk_share"},
		{"missing share", func(c *Config) { c.MissingShare = 1 }, "missing_share"},
		{"page size", func(c *Config) { c.PageSize = 0 }, "page_size"},
		{"unknown template", func(c *Config) { c.Templates = map[string]float64{"table1999": 1} }, "unknown template"},
		{"no template for 2019", func(c *Config) {
			c.FirstYear = 2019
			c.Templates = map[string]float64{render.TemplateTable2021: 1}
		}, "none with a positive weight is used for 2019"},
		{"unknown format", func(c *Config) { c.Formats = map[string]float64{"rtf": 1} }, "formats"},
		{"unknown style", func(c *Config) { c.Styles = map[string]float64{"vsb": 1} }, "styles"},
		{"fault rates over 1", func(c *Config) { c.Faults.Rates = map[string]float64{FaultReset: 0.7, FaultTimeout: 0.5} }, "more than 1"},
		{"unknown fault", func(c *Config) { c.Faults.Rates = map[string]float64{"fire": 0.1} }, "unknown fault kind"},
		{"host fault", func(c *Config) {
			c.HostFaults = map[string]Faults{"620421113": {Rates: map[string]float64{FaultReset: 1}, Times: -1}}
		}, "host_faults.620421113.times"},
		{"bad province", func(c *Config) { c.Provinces = []string{"6"} }, "provinces"},
		{"share", func(c *Config) { c.Robots.BlockColumnShare = 2 }, "robots.block_column_share"},
		{"departments", func(c *Config) { c.Departments = 99 }, "departments"},
		{"shutdown timeout", func(c *Config) { c.ShutdownTimeout = 0 }, "shutdown_timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.modify(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Port, cfg.PageSize, cfg.GBKShare = -1, 0, -0.5
	err := cfg.Validate()
	for _, want := range []string{"port", "page_size", "gbk_share"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %s", err, want)
		}
	}
}

func TestNewRejectsUnknownCounty(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Counties = []string{"620499"}
	if _, err := New(cfg, loadGazetteer(t), nil); err == nil {
		t.Fatal("New with an unknown county succeeded")
	}
}

func TestPortals(t *testing.T) {
	sim := start(t, DefaultConfig())
	ps := sim.Portals()
	if len(ps) < 50 {
		t.Fatalf("%d portals, want at least 50", len(ps))
	}
	hosts := map[string]bool{}
	levels := map[string]int{}
	encodings := map[string]int{}
	for _, p := range ps {
		u, err := url.Parse(p.StartURL)
		if err != nil {
			t.Fatalf("portal %s: start URL %q: %v", p.Agency, p.StartURL, err)
		}
		addr, err := netip.ParseAddr(u.Hostname())
		if err != nil || !netip.MustParsePrefix("127.0.0.0/8").Contains(addr) {
			t.Errorf("portal %s on %s, not a loopback address", p.Agency, u.Host)
		}
		if hosts[u.Hostname()] {
			t.Errorf("address %s used twice", u.Hostname())
		}
		hosts[u.Hostname()] = true
		if u.Path != "/zwgk/zfxxgknb/index.html" || p.BaseURL+"/zwgk/zfxxgknb/index.html" != p.StartURL {
			t.Errorf("portal %s: start URL %s, base %s", p.Agency, p.StartURL, p.BaseURL)
		}
		levels[p.Level]++
		encodings[p.Encoding]++
	}
	if levels["township"] != 56 || levels["county"] != 3 {
		t.Errorf("levels = %v, want 56 townships and 3 counties", levels)
	}
	if encodings[charset.GB18030] == 0 || encodings[charset.UTF8] == 0 {
		t.Errorf("encodings = %v, want both GBK and UTF-8 portals", encodings)
	}
	if p := ps[slices.IndexFunc(ps, func(p Portal) bool { return p.RegionCode == "620421113" })]; p.Agency != "三滩镇人民政府" || p.Level != "township" {
		t.Errorf("portal 620421113 = %+v, want 三滩镇人民政府", p)
	}
	if i := slices.IndexFunc(ps, func(p Portal) bool { return p.RegionCode == "620402001" }); i < 0 || ps[i].Agency != "人民路街道办事处" {
		t.Errorf("街道 portal 620402001 missing or misnamed")
	}
}

// TestTruthIsConsistent checks every report's figures with metrics.Verify
// and the carried-over chain between years.
func TestTruthIsConsistent(t *testing.T) {
	sim, err := New(DefaultConfig(), loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	truth := sim.Truth()
	if len(truth) < 150 {
		t.Fatalf("%d reports, want about 59×3 less a few missing", len(truth))
	}
	templates := map[string]int{}
	nonzero := 0
	for _, tr := range truth {
		templates[tr.Template]++
		checks := metrics.Verify(tr.Implied())
		if len(checks) == 0 && tr.Template == render.TemplateTable2021 {
			t.Errorf("%s %d: no identity evaluated", tr.Agency, tr.Year)
		}
		for _, c := range checks {
			if !c.OK {
				t.Errorf("%s %d (%s): %+v fails", tr.Agency, tr.Year, tr.Template, c)
			}
		}
		if x, _ := tr.Values.Get(metrics.RequestsNew, metrics.Total); x > 0 {
			nonzero++
		}
		switch tr.Template {
		case render.TemplateNarrative:
			for _, m := range []string{metrics.ProactiveItems, metrics.RequestsNew, metrics.ReviewsTotal, metrics.LawsuitsTotal, metrics.FeesAmount} {
				if _, ok := tr.Values.Get(m, metrics.Total); !ok {
					t.Errorf("%s %d narrative does not state %s", tr.Agency, tr.Year, m)
				}
			}
			if len(tr.Values) != 5 {
				t.Errorf("%s %d narrative states %d figures, want 5", tr.Agency, tr.Year, len(tr.Values))
			}
		case render.TemplateTable2021:
			if len(tr.Values) < 7*25+15+10 {
				t.Errorf("%s %d table report states %d figures", tr.Agency, tr.Year, len(tr.Values))
			}
		}
		if tr.Title != fmt.Sprintf("%s%d年政府信息公开工作年度报告", tr.Agency, tr.Year) {
			t.Errorf("title %q", tr.Title)
		}
		pub, err := time.Parse("2006-01-02", tr.PublishedAt)
		if err != nil || pub.Year() != tr.Year+1 || pub.Month() > 3 {
			t.Errorf("%s %d published %s, want Jan–Mar of the next year", tr.Agency, tr.Year, tr.PublishedAt)
		}
	}
	if templates[render.TemplateNarrative] == 0 || templates[render.TemplateTable2021] == 0 {
		t.Errorf("templates = %v, want a mix", templates)
	}
	if nonzero == 0 || nonzero == len(truth) {
		t.Errorf("%d of %d reports have requests; want some with and some without", nonzero, len(truth))
	}

	// Carried-over chain, where both years are table reports.
	type key struct {
		code string
		year int
	}
	byKey := map[key]Truth{}
	for _, tr := range truth {
		byKey[key{tr.RegionCode, tr.Year}] = tr
	}
	chained := 0
	for k, tr := range byKey {
		prev, ok := byKey[key{k.code, k.year - 1}]
		if !ok {
			continue
		}
		for _, a := range metrics.Applicants() {
			out, ok1 := prev.Values.Get(metrics.RequestsCarriedForward, a)
			in, ok2 := tr.Values.Get(metrics.RequestsCarriedOver, a)
			if ok1 && ok2 {
				chained++
				if in != out {
					t.Errorf("%s: %d carried forward %v (%s), %d carried over %v", tr.Agency, k.year-1, out, a, k.year, in)
				}
			}
		}
	}
	if chained == 0 {
		t.Error("no consecutive table reports to chain")
	}
}

// TestEveryReportReachable crawls each portal's report column from its
// start URL, following list pages and detail links only, and checks it
// finds exactly the reports Truth lists, with correct pagination.
func TestEveryReportReachable(t *testing.T) {
	cfg := DefaultConfig()
	sim := start(t, cfg)
	want := map[string][]string{} // start URL → report URLs
	portalOf := map[string]string{}
	for _, p := range sim.Portals() {
		portalOf[p.BaseURL] = p.StartURL
		want[p.StartURL] = nil
	}
	for _, tr := range sim.Truth() {
		base := tr.URL[:strings.Index(tr.URL, "/zwgk/")]
		want[portalOf[base]] = append(want[portalOf[base]], tr.URL)
	}
	multiPage := 0
	for startURL, reports := range want {
		seen := map[string]bool{}
		var found []string
		pages := 0
		queue := []string{startURL}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			if seen[u] {
				continue
			}
			seen[u] = true
			text := fetchText(t, u)
			if !strings.Contains(u, "/index") { // a detail page
				found = append(found, u)
				continue
			}
			pages++
			next := ""
			for _, l := range links(t, u, text) {
				if strings.HasPrefix(l, strings.TrimSuffix(startURL, "index.html")) && !seen[l] {
					queue = append(queue, l)
				}
			}
			if m := regexp.MustCompile(`<a href="([^"]+)">下一页</a>`).FindStringSubmatch(text); m != nil {
				next = m[1]
			}
			k := 0
			fmt.Sscanf(u[strings.LastIndex(u, "/"):], "/index_%d.html", &k)
			wantPages := max(1, (len(reports)+cfg.PageSize-1)/cfg.PageSize)
			if wantNext := fmt.Sprintf("index_%d.html", k+1); k+1 < wantPages && next != wantNext {
				t.Errorf("%s: 下一页 → %q, want %q", u, next, wantNext)
			} else if k+1 == wantPages && next != "" {
				t.Errorf("%s: last page links 下一页 → %q", u, next)
			}
		}
		if pages > 1 {
			multiPage++
		}
		slices.Sort(found)
		slices.Sort(reports)
		if !slices.Equal(found, reports) {
			t.Errorf("crawl from %s found %v, want %v", startURL, found, reports)
		}
	}
	if multiPage == 0 {
		t.Error("no portal has a report column of more than one page")
	}
}

// TestEncodings checks that GBK portals declare their charset only in a
// <meta> tag, and that both kinds decode to the same text as Truth says.
func TestEncodings(t *testing.T) {
	sim := start(t, DefaultConfig())
	seen := map[string]bool{}
	for _, tr := range sim.Truth() {
		if seen[tr.Encoding] {
			continue
		}
		seen[tr.Encoding] = true
		resp, body := fetch(t, tr.URL)
		ct := resp.Header.Get("Content-Type")
		switch tr.Encoding {
		case charset.GB18030:
			if ct != "text/html" {
				t.Errorf("GBK page Content-Type = %q, want bare text/html", ct)
			}
			if utf8.Valid(body) {
				t.Errorf("GBK page %s is valid UTF-8", tr.URL)
			}
			if !bytes.Contains(body, []byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />`)) {
				t.Errorf("GBK page lacks the gb2312 meta declaration")
			}
		case charset.UTF8:
			if ct != "text/html; charset=utf-8" {
				t.Errorf("UTF-8 page Content-Type = %q", ct)
			}
		}
		text, enc, err := charset.Decode(body, ct)
		if err != nil || enc != tr.Encoding {
			t.Fatalf("charset.Decode(%s) = %s, %v; want %s", tr.URL, enc, err, tr.Encoding)
		}
		for _, want := range []string{tr.Title, tr.IndexNo, tr.PublishedAt} {
			if !strings.Contains(string(text), want) {
				t.Errorf("%s page %s lacks %q", tr.Encoding, tr.URL, want)
			}
		}
	}
	if len(seen) != 2 {
		t.Errorf("encodings seen: %v, want both", seen)
	}
}

// TestReportPagesStateTruth reads the figures back from a few pages with
// a crude extractor and compares them with Truth.
func TestReportPagesStateTruth(t *testing.T) {
	sim := start(t, DefaultConfig())
	checked := map[string]int{}
	for _, tr := range sim.Truth() {
		if checked[tr.Template] >= 3 {
			continue
		}
		checked[tr.Template]++
		text := fetchText(t, tr.URL)
		switch tr.Template {
		case render.TemplateNarrative:
			items, _ := tr.Values.Get(metrics.ProactiveItems, metrics.Total)
			if !regexp.MustCompile(fmt.Sprintf(`公开[^0-9。]*%d条`, int(items))).MatchString(text) {
				t.Errorf("%s: proactive count %v not found", tr.URL, items)
			}
		case render.TemplateTable2021:
			row := regexp.MustCompile(`一、本年新收政府信息公开申请数量(?:</span></p>)?</td>((?:<td[^>]*>(?:<p[^>]*><span[^>]*>)?[0-9.]+(?:</span></p>)?</td>){7})`).FindStringSubmatch(text)
			if row == nil {
				t.Fatalf("%s: table 三 row 一 not found", tr.URL)
			}
			got := regexp.MustCompile(`>([0-9.]+)<`).FindAllStringSubmatch(row[1], -1)
			for i, a := range metrics.Applicants() {
				want, _ := tr.Values.Get(metrics.RequestsNew, a)
				if got[i][1] != fmt.Sprint(want) {
					t.Errorf("%s: 本年新收 %s = %s, truth %v", tr.URL, a, got[i][1], want)
				}
			}
		}
	}
}

func TestRobotsAndOtherPages(t *testing.T) {
	sim := start(t, DefaultConfig())
	p := sim.Portals()[1]
	resp, body := fetch(t, p.BaseURL+"/robots.txt")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Disallow: /admin/") {
		t.Errorf("robots.txt = %d %q", resp.StatusCode, body)
	}
	home := fetchText(t, p.BaseURL+"/")
	ls := links(t, p.BaseURL+"/", home)
	for _, want := range []string{p.BaseURL + "/admin/login.html", p.StartURL, p.BaseURL + "/xwdt/index.html"} {
		if !slices.Contains(ls, want) {
			t.Errorf("home page does not link %s", want)
		}
	}
	county := sim.Portals()[0]
	if county.Level != "county" || !slices.Contains(ls, county.BaseURL+"/index.html") {
		t.Errorf("township home page does not link its county portal %s", county.BaseURL)
	}
	for path, status := range map[string]int{
		"/admin/login.html":               200,
		"/xwdt/index.html":                200,
		"/zwgk/tzgg/index.html":           200,
		"/zwgk/xxgkzn/index.html":         200,
		"/zwgk/zfxxgknb/":                 200,
		"/zwgk/zfxxgknb/index_99.html":    404,
		"/zwgk/zfxxgknb/index_01.html":    404,
		"/zwgk/zfxxgknb/index_0.html":     404,
		"/zwgk/zfxxgknb/202201/t1_1.html": 404,
		"/nowhere":                        404,
	} {
		if resp, _ := fetch(t, p.BaseURL+path); resp.StatusCode != status {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, status)
		}
	}
	resp, err := http.Post(p.StartURL, "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", resp.StatusCode)
	}
	// News pages share the report URL shape but are not reports.
	news := fetchText(t, p.BaseURL+"/xwdt/index.html")
	if !regexp.MustCompile(`href="\./[0-9]{6}/t[0-9]{8}_[0-9]{7}\.html"`).MatchString(news) {
		t.Errorf("news list has no TRS-shaped links")
	}
	reqs, dropped := sim.Requests()
	if dropped != 0 || !slices.ContainsFunc(reqs, func(r Request) bool { return r.Path == "/robots.txt" && r.Status == 200 }) {
		t.Errorf("request log lacks /robots.txt (dropped %d)", dropped)
	}
	if !slices.ContainsFunc(reqs, func(r Request) bool { return r.Path == "/nowhere" && r.Status == 404 }) {
		t.Errorf("request log lacks the 404")
	}
}

// sansURL returns truth without URLs, which carry ports.
func sansURL(ts []Truth) []Truth {
	out := slices.Clone(ts)
	for i := range out {
		out[i].URL, out[i].DocumentURL = "", ""
	}
	return out
}

func equalTruth(a, b []Truth) bool {
	return slices.EqualFunc(a, b, func(x, y Truth) bool {
		xv, yv := x.Values, y.Values
		x.Values, y.Values = nil, nil
		return fmt.Sprint(x) == fmt.Sprint(y) && maps.Equal(xv, yv)
	})
}

// TestDeterministic checks the same seed gives the same reports and pages,
// another seed different ones, and that an agency's content does not
// depend on which other counties are simulated.
func TestDeterministic(t *testing.T) {
	cfg := DefaultConfig()
	a, b := start(t, cfg), start(t, func() Config { c := cfg; c.FirstAddr = "127.0.3.1"; return c }())
	ta, tb := a.Truth(), b.Truth()
	if !equalTruth(sansURL(ta), sansURL(tb)) {
		t.Fatal("same seed, different truth")
	}
	for i := 0; i < len(ta); i += 17 {
		ua, ub := ta[i].URL, tb[i].URL
		for _, pair := range [][2]string{{ua, ub}, {ua[:strings.Index(ua, "/zwgk/")] + "/zwgk/zfxxgknb/index.html", ub[:strings.Index(ub, "/zwgk/")] + "/zwgk/zfxxgknb/index.html"}} {
			_, ba := fetch(t, pair[0])
			_, bb := fetch(t, pair[1])
			if !bytes.Equal(ba, bb) {
				t.Errorf("%s and %s differ", pair[0], pair[1])
			}
		}
	}

	other := cfg
	other.Seed = 2
	simOther, err := New(other, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if equalTruth(sansURL(ta), simOther.Truth()) {
		t.Error("seeds 1 and 2 give the same truth")
	}

	one := cfg
	one.Counties = []string{"620421"}
	simOne, err := New(one, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var subset []Truth
	for _, tr := range sansURL(ta) {
		if strings.HasPrefix(tr.RegionCode, "620421") {
			subset = append(subset, tr)
		}
	}
	if !equalTruth(subset, simOne.Truth()) {
		t.Error("靖远县's reports change when other counties are simulated")
	}
}

func TestTruthJSONRoundTrip(t *testing.T) {
	sim, err := New(DefaultConfig(), loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := sim.Truth()[:5]
	for _, tr := range ts {
		b, err := tr.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Truth
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatal(err)
		}
		if !equalTruth([]Truth{tr}, []Truth{back}) {
			t.Errorf("round trip changed %s %d:\n%s", tr.Agency, tr.Year, b)
		}
		if !bytes.Contains(b, []byte(`"stats":{`)) || !bytes.Contains(b, []byte(`"region_code":"`+tr.RegionCode+`"`)) {
			t.Errorf("JSON lacks stats or region_code: %s", b)
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	sim, err := New(cfg, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for sim.Portals()[0].BaseURL == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	u := sim.Portals()[0].StartURL
	if resp, _ := fetch(t, u); resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, err := (&http.Client{Timeout: time.Second}).Get(u); err == nil {
		t.Errorf("GET %s succeeded after Run returned", u)
	}
	if err := sim.Start(t.Context()); err == nil {
		t.Error("Start after Run succeeded")
	}
}

func TestStartFailsOnBusyAddress(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Counties = []string{"620402"}
	cfg.FirstAddr = "127.0.4.1"
	a := start(t, cfg)
	u, _ := url.Parse(a.Portals()[3].BaseURL)
	cfg.FirstAddr = "127.0.4.1"
	cfg.Port = mustPort(t, u.Port())
	// The same addresses with the port of the running fourth portal: that
	// one collides.
	sim, err := New(cfg, loadGazetteer(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = sim.Start(t.Context())
	if err == nil {
		sim.Close()
		t.Fatal("Start on a busy address succeeded")
	}
	if !strings.Contains(err.Error(), u.Host) {
		t.Errorf("Start error %q does not name %s", err, u.Host)
	}
	if err := sim.Close(); err != nil {
		t.Errorf("Close after failed Start = %v", err)
	}
}

func mustPort(t testing.TB, s string) int {
	t.Helper()
	var p int
	if _, err := fmt.Sscan(s, &p); err != nil {
		t.Fatal(err)
	}
	return p
}
