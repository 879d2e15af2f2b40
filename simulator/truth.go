package simulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// Portal is one simulated government portal.
type Portal struct {
	// Agency is the body's name, e.g. "三滩镇人民政府".
	Agency string `json:"agency"`
	// Level is "township" or "county".
	Level string `json:"level"`
	// RegionCode is the body's NBS code, e.g. "620421113".
	RegionCode string `json:"region_code"`
	// BaseURL is the portal's root, e.g. "http://127.0.1.5:8080"; empty
	// before Start.
	BaseURL string `json:"base_url"`
	// StartURL is the annual-report column's first list page; empty before
	// Start.
	StartURL string `json:"start_url"`
	// Encoding is the portal's charset as package charset names it:
	// "gb18030" (declared gb2312 in a <meta> tag, and in the header when
	// CharsetHeader is "GBK") or "utf-8".
	Encoding string `json:"encoding"`
	// CharsetHeader is the charset the Content-Type header names: "utf-8",
	// "GBK" or "" (none).
	CharsetHeader string `json:"charset_header"`
	// Style is StyleTRS or StyleHanweb; Module marks a Hanweb portal whose
	// reports are at xxgkAnnualReport.jsp.
	Style  string `json:"style"`
	Module bool   `json:"module,omitempty"`
	// Start is "column" when StartURL is the report column's first page,
	// "home" when it is the home page.
	Start string `json:"start"`
	// ColumnURL is the report column's first page (the xxgk module form
	// on a module portal); empty before Start.
	ColumnURL string `json:"column_url"`
	// NextOnly marks list pages that link only 上一页 and 下一页.
	NextOnly bool `json:"next_only,omitempty"`
	// Robots is "default", "missing" or what the file blocks beyond
	// /admin/ ("column", "part", "pdf", comma-separated, or "" for a file
	// that only adds a Crawl-delay); CrawlDelay is its Crawl-delay in
	// seconds (0: none).
	Robots     string  `json:"robots"`
	CrawlDelay float64 `json:"crawl_delay,omitempty"`
	// Faults is the portal's fault profile; nil when it has none.
	Faults *Faults `json:"faults,omitempty"`
	// Pages counts the URLs a crawler requests on its way from StartURL to
	// every report in the current generation (robots.txt aside): entry
	// pages, list pages, detail pages and attachments that robots.txt
	// allows, including ones that fail.
	Pages int `json:"pages"`
}

// Truth is one published report as the simulator rendered it.
type Truth struct {
	Agency string `json:"agency"`
	// RegionCode is the NBS code of the portal's body (a department's
	// report carries its portal's).
	RegionCode string `json:"region_code"`
	// Level is "township" or "county", or "department" for a
	// department's report a portal publishes.
	Level string `json:"level"`
	// Year is the year reported on.
	Year int `json:"year"`
	// URL is the detail page (the xxgk module URL on a module portal);
	// empty before Start.
	URL string `json:"url"`
	// DocumentURL is where the report's content is: URL for FormatHTML,
	// the attachment the detail page (a stub) links for FormatPDF and
	// FormatDOCX.
	DocumentURL string `json:"document_url"`
	Title       string `json:"title"`
	// PublishedAt is the page's 生成日期, YYYY-MM-DD.
	PublishedAt string `json:"published_at"`
	// IndexNo is the page's 索引号.
	IndexNo string `json:"index_no"`
	// Template is render.TemplateNarrative or render.TemplateTable2021.
	Template string `json:"template"`
	// Format is the document format: FormatHTML, FormatPDF or FormatDOCX.
	Format string `json:"format"`
	// Encoding is the charset of the detail page's bytes, as in Portal.
	Encoding string `json:"encoding"`
	// Unreachable is empty when a crawler from the portal's start URL that
	// obeys robots.txt and retries transient faults gets the report; else
	// "robots" (robots.txt forbids every way in) or "fault:<kind>" (a
	// permanent fault blocks it; see Faults).
	Unreachable string `json:"unreachable,omitempty"`
	// FirstGeneration is the generation the report was published in;
	// Version the one its current content dates from (a later one when it
	// was edited). Between generations a and b, a report is new when
	// FirstGeneration > a, edited when Version > a ≥ FirstGeneration, and
	// unchanged otherwise (its pages then answer conditional GETs with 304).
	// An edit changes the document: a stub page stays as it was.
	FirstGeneration int `json:"first_generation"`
	Version         int `json:"version"`
	// Values holds exactly the figures the report states. A 2021 table
	// states every printed cell but not the outcome group totals or
	// lawsuits.total, which it only implies (see render.Implied).
	Values metrics.Values `json:"-"`
}

// Implied returns Values plus the figures the report's template implies
// without printing them (outcome group totals, lawsuits.total; see
// render.Implied): what a parser that derives those sums should read.
func (t Truth) Implied() metrics.Values {
	return render.Implied(t.Values)
}

// truthFigure is one figure in Truth's JSON form.
type truthFigure struct {
	Metric    string            `json:"metric"`
	Applicant metrics.Applicant `json:"applicant"`
	Value     float64           `json:"value"`
}

// truthJSON is Truth's JSON form: the fields, the Total-column figures as
// "stats" (as in the `nianbao parse` output) and every figure as "values".
type truthJSON struct {
	truthFields
	Stats  map[string]float64 `json:"stats"`
	Values []truthFigure      `json:"values"`
}

// truthFields is Truth without its methods, to embed without recursion.
type truthFields Truth

// MarshalJSON writes t with its figures as a sorted list.
func (t Truth) MarshalJSON() ([]byte, error) {
	out := truthJSON{truthFields: truthFields(t), Stats: map[string]float64{}}
	for k, v := range t.Values {
		out.Values = append(out.Values, truthFigure{k.Metric, k.Applicant, v})
		if k.Applicant == metrics.Total {
			out.Stats[k.Metric] = v
		}
	}
	slices.SortFunc(out.Values, func(a, b truthFigure) int {
		if c := strings.Compare(a.Metric, b.Metric); c != 0 {
			return c
		}
		return strings.Compare(string(a.Applicant), string(b.Applicant))
	})
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes; "stats" is ignored in
// favour of "values".
func (t *Truth) UnmarshalJSON(b []byte) error {
	var in truthJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*t = Truth(in.truthFields)
	t.Values = make(metrics.Values, len(in.Values))
	for _, f := range in.Values {
		k := metrics.Key{Metric: f.Metric, Applicant: f.Applicant}
		if _, dup := t.Values[k]; dup {
			return fmt.Errorf("truth %s %d: figure %s/%s twice", t.Agency, t.Year, f.Metric, f.Applicant)
		}
		t.Values[k] = f.Value
	}
	return nil
}

// Reachable reports whether a crawler can get the report (see
// Unreachable).
func (t Truth) Reachable() bool { return t.Unreachable == "" }

// Portals returns the simulated portals in region-code order, as of the
// current generation. URLs are set once Start has bound the listeners.
func (s *Simulator) Portals() []Portal {
	bases := s.bases()
	gen := int(s.gen.Load())
	out := make([]Portal, 0, len(s.sites))
	for _, st := range s.sites {
		p := Portal{
			Agency: st.name, Level: string(st.div.Level), RegionCode: st.div.Code, Encoding: st.encoding(),
			CharsetHeader: "utf-8", Style: st.style, Module: st.module, Start: "column", NextOnly: st.next,
			Robots: "default", CrawlDelay: st.robots.delay,
		}
		if st.faults != nil {
			f := *st.faults
			f.Rates = maps.Clone(f.Rates)
			p.Faults = &f
		}
		switch {
		case st.gbkHdr:
			p.CharsetHeader = "GBK"
		case st.gbk:
			p.CharsetHeader = ""
		}
		if st.home {
			p.Start = "home"
		}
		switch {
		case st.robots.missing:
			p.Robots = "missing"
		case st.robots.text != defaultRobots:
			p.Robots = st.robots.blocks
		}
		if base := bases[st.idx]; base != "" {
			p.BaseURL, p.StartURL, p.ColumnURL = base, base+st.startURI(), base+st.columnStart()
		}
		p.Pages = len(s.walk(st, gen, true, false).fetched)
		out = append(out, p)
	}
	return out
}

// Truth returns every report published in the current generation, in
// region-code, year and agency order, with the figures each states and
// whether a crawler can reach it. URLs are set once Start has run.
func (s *Simulator) Truth() []Truth {
	return s.TruthAt(int(s.gen.Load()))
}

// TruthAt is Truth as of generation gen (which need not be the one
// served). It replays each stream of figures once and spreads the portals
// over GOMAXPROCS goroutines.
func (s *Simulator) TruthAt(gen int) []Truth {
	bases := s.bases()
	perSite := make([][]Truth, len(s.sites))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() { // ends when every portal is done
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(s.sites); i = int(next.Add(1)) - 1 {
				perSite[i] = s.siteTruth(s.sites[i], bases[i], gen)
			}
		}()
	}
	wg.Wait()
	var out []Truth
	for _, ts := range perSite {
		out = append(out, ts...)
	}
	slices.SortStableFunc(out, func(a, b Truth) int {
		if c := strings.Compare(a.RegionCode, b.RegionCode); c != 0 {
			return c
		}
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return strings.Compare(a.Agency, b.Agency)
	})
	return out
}

// siteTruth returns one portal's reports in generation gen.
func (s *Simulator) siteTruth(st *site, base string, gen int) []Truth {
	full := s.walk(st, gen, true, true)
	robotsOnly := s.walk(st, gen, true, false)
	reports := s.reportsAt(st, gen)
	streams := map[int][]metrics.Values{}
	futures := 0
	for _, r := range reports {
		if r.stream == streamFuture {
			futures = max(futures, r.ord+1)
		}
	}
	all := func(int) figureMode { return figuresAll }
	out := make([]Truth, 0, len(reports))
	for _, r := range reports {
		vs, ok := streams[r.stream]
		if !ok {
			vs = s.streamFigures(st, r.stream, futures, all)
			streams[r.stream] = vs
		}
		spec := r.spec
		spec.Values = vs[r.ord]
		s.applyEdits(st, r, gen, spec.Values)
		doc, err := render.Build(spec)
		if err != nil { // Validate makes sure every report builds
			s.logger.Error("report does not build", "agency", r.spec.Agency, "year", r.spec.Year, "err", err)
			continue
		}
		level := string(st.div.Level)
		if r.stream >= 0 {
			level = "department"
		}
		t := Truth{
			Agency: r.spec.Agency, RegionCode: st.div.Code, Level: level,
			Year: r.spec.Year, Title: r.spec.Title(), PublishedAt: r.published.Format("2006-01-02"),
			IndexNo: r.indexNo, Template: r.spec.Template, Format: r.format, Encoding: st.encoding(),
			Unreachable:     s.unreachable(st, r, gen, full, robotsOnly),
			FirstGeneration: r.firstGen, Version: s.version(st, r, gen),
			Values: doc.Stated,
		}
		if base != "" {
			t.URL = base + r.path
			t.DocumentURL = t.URL
			if r.attach != "" {
				t.DocumentURL = base + r.attach
			}
		}
		out = append(out, t)
	}
	return out
}

// Generation returns the generation being served.
func (s *Simulator) Generation() int { return int(s.gen.Load()) }

// Advance moves every portal to the next generation and returns it.
// Requests in flight finish with the generation they started in.
func (s *Simulator) Advance() int {
	g := int(s.gen.Add(1))
	s.logger.Info("simulator advanced", "generation", g)
	return g
}

// Stats returns every portal's statistics, in region-code order. Safe to
// call while serving.
func (s *Simulator) Stats() []HostStats {
	bases := s.bases()
	out := make([]HostStats, 0, len(s.sites))
	for _, st := range s.sites {
		st.mu.Lock()
		h := st.stats.snapshot()
		st.mu.Unlock()
		h.RegionCode = st.div.Code
		h.Host = strings.TrimPrefix(bases[st.idx], "http://")
		out = append(out, h)
	}
	return out
}

// ResetStats clears every portal's statistics (and the request log), as
// before a second crawl.
func (s *Simulator) ResetStats() {
	for _, st := range s.sites {
		st.mu.Lock()
		st.stats.reset()
		st.mu.Unlock()
	}
	s.mu.Lock()
	s.log, s.dropped = nil, 0
	s.mu.Unlock()
}

// bases returns each site's base URL, "" before Start.
func (s *Simulator) bases() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.sites))
	for i, st := range s.sites {
		out[i] = st.base
	}
	return out
}
