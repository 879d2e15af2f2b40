package simulator

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"time"

	"github.com/nianbao/nianbao/simulator/render"
)

// Config says which portals to simulate and how. The zero value is not
// useful; start from DefaultConfig.
type Config struct {
	// Seed determines every random choice.
	Seed uint64 `mapstructure:"seed" json:"seed"`
	// Counties are the NBS codes (6 digits) of the counties whose townships
	// get portals.
	Counties []string `mapstructure:"counties" json:"counties"`
	// Provinces are NBS province codes (2 digits, e.g. "62"); every county
	// in them is simulated as if listed in Counties.
	Provinces []string `mapstructure:"provinces" json:"provinces,omitempty"`
	// Hosts, when positive, keeps only the first Hosts portals in
	// region-code order (a county government sorts before its townships).
	Hosts int `mapstructure:"hosts" json:"hosts,omitempty"`
	// CountyGovernments also gives each county's own government a portal.
	CountyGovernments bool `mapstructure:"county_governments" json:"county_governments"`
	// FirstYear and LastYear bound the years reported on.
	FirstYear int `mapstructure:"first_year" json:"first_year"`
	LastYear  int `mapstructure:"last_year" json:"last_year"`
	// FirstAddr is the address of the first portal; the others follow it
	// in order, skipping addresses ending in .0 and .255. It must be in
	// 127.0.0.0/8.
	FirstAddr string `mapstructure:"first_addr" json:"first_addr"`
	// Port is the TCP port every portal listens on; 0 picks a free port
	// for each.
	Port int `mapstructure:"port" json:"port"`
	// GBKShare is the share of portals that serve GBK declared only in a
	// <meta> tag.
	GBKShare float64 `mapstructure:"gbk_share" json:"gbk_share"`
	// GBKHeaderShare is the share of GBK portals that also declare the
	// charset in the Content-Type header ("text/html; charset=GBK").
	GBKHeaderShare float64 `mapstructure:"gbk_header_share" json:"gbk_header_share"`
	// Templates weighs the report templates (render.Templates); a report
	// draws among those in use for its year.
	Templates map[string]float64 `mapstructure:"templates" json:"templates"`
	// Formats weighs the document formats reports are published in:
	// FormatHTML (the detail page is the report), FormatPDF and FormatDOCX
	// (the detail page is a stub linking the report as an attachment).
	Formats map[string]float64 `mapstructure:"formats" json:"formats"`
	// Styles weighs the CMS URL styles portals are built with: StyleTRS
	// or StyleHanweb.
	Styles map[string]float64 `mapstructure:"styles" json:"styles"`
	// HanwebModuleShare is the share of Hanweb portals whose report column
	// is the xxgk module form: one link per year to
	// /module/xxgk/xxgkAnnualReport.jsp?area=<org code>&fbtime=<year>.
	HanwebModuleShare float64 `mapstructure:"hanweb_module_share" json:"hanweb_module_share"`
	// HomeStartShare is the share of portals whose start URL is the home
	// page rather than the report column, which a crawler must find.
	HomeStartShare float64 `mapstructure:"home_start_share" json:"home_start_share"`
	// NextOnlyShare is the share of portals whose list pages link only the
	// previous and next page (上一页, 下一页): no page count, first or last
	// page links, or createPageHTML call.
	NextOnlyShare float64 `mapstructure:"next_only_share" json:"next_only_share"`
	// ColumnVariety is the share of TRS portals whose report column is not
	// /zwgk/zfxxgknb/ but another path and link text seen on real portals
	// (xxgknb, ndbg, gknb, xxgkndbg).
	ColumnVariety float64 `mapstructure:"column_variety" json:"column_variety"`
	// JunkShare is the share of report pages that also link .doc, .wps
	// and .xls attachments that are not reports (application forms,
	// catalogues).
	JunkShare float64 `mapstructure:"junk_share" json:"junk_share"`
	// Departments is how many department reports (部门年报) each portal's
	// column also lists per year, beside the portal's own body's.
	Departments int `mapstructure:"departments" json:"departments,omitempty"`
	// PadTo pads every HTML page shorter than this many bytes with
	// boilerplate text (no links), as benchmarks want uniform page sizes.
	PadTo int `mapstructure:"pad_to" json:"pad_to,omitempty"`
	// PageSize is how many entries a column list page shows.
	PageSize int `mapstructure:"page_size" json:"page_size"`
	// MissingShare is the share of agency-years for which no report is
	// published.
	MissingShare float64 `mapstructure:"missing_share" json:"missing_share"`
	// Robots shapes each portal's robots.txt.
	Robots Robots `mapstructure:"robots" json:"robots"`
	// Faults is the default fault profile; it applies to the share of
	// portals Faults.HostShare says.
	Faults Faults `mapstructure:"faults" json:"faults"`
	// HostFaults overrides Faults for the portals it names by region code
	// (e.g. "620421113"), regardless of Faults.HostShare.
	HostFaults map[string]Faults `mapstructure:"host_faults" json:"host_faults,omitempty"`
	// Changes says how content changes from one generation to the next.
	Changes Changes `mapstructure:"changes" json:"changes"`
	// Generation is the generation served at start; Simulator.Advance
	// moves to the next.
	Generation int `mapstructure:"generation" json:"generation"`
	// PDFFont is the TrueType font (.ttf or .ttc) embedded in PDF
	// reports; read only when Formats gives FormatPDF a weight.
	PDFFont string `mapstructure:"pdf_font" json:"pdf_font"`
	// CacheBytes bounds the cache of rendered attachments (PDF takes
	// tens of milliseconds to render).
	CacheBytes int `mapstructure:"cache_bytes" json:"cache_bytes"`
	// RequestLog is how many requests the simulator remembers for
	// Requests; later ones are counted but not kept.
	RequestLog int `mapstructure:"request_log" json:"request_log"`
	// HostLog is how many request start times each portal keeps for
	// Stats (the newest); the smallest gap is tracked over all of them.
	HostLog int `mapstructure:"host_log" json:"host_log"`
	// ShutdownTimeout bounds how long Close waits for requests in flight.
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout" json:"shutdown_timeout"`
}

// Formats a report can be published in.
const (
	FormatHTML = "html"
	FormatPDF  = "pdf"
	FormatDOCX = "docx"
)

// Formats returns the formats Config.Formats may weigh.
func Formats() []string { return []string{FormatHTML, FormatPDF, FormatDOCX} }

// CMS URL styles a portal can be built with.
const (
	// StyleTRS is TRS WCM: /zwgk/zfxxgknb/index.html, index_N.html,
	// YYYYMM/tYYYYMMDD_N.html.
	StyleTRS = "trs"
	// StyleHanweb is Hanweb (大汉): /col/col<id>/index.html?uid=…&pageNum=N,
	// /art/YYYY/M/D/art_<col>_<id>.html.
	StyleHanweb = "hanweb"
)

// Styles returns the styles Config.Styles may weigh.
func Styles() []string { return []string{StyleTRS, StyleHanweb} }

// Robots says how portals' robots.txt files vary. Every share is of
// portals, each drawn independently; the rest serve the default file,
// which allows the public columns and disallows /admin/. Truth assumes
// the crawler obeys the "User-agent: *" group (RFC 9309: longest match
// wins, Allow on a tie, "*" and "$" wildcards) and names itself in no
// other group.
type Robots struct {
	// CrawlDelayShare is the share with a Crawl-delay line.
	CrawlDelayShare float64 `mapstructure:"crawl_delay_share" json:"crawl_delay_share"`
	// CrawlDelay is the delay those files ask for, in seconds.
	CrawlDelay float64 `mapstructure:"crawl_delay" json:"crawl_delay"`
	// BlockColumnShare is the share disallowing the whole report column
	// (its reports are then unreachable).
	BlockColumnShare float64 `mapstructure:"block_column_share" json:"block_column_share"`
	// BlockPartShare is the share disallowing part of it: the directory of
	// one report (TRS month directory, Hanweb /art/YEAR/) or, on xxgk
	// module portals, /module/.
	BlockPartShare float64 `mapstructure:"block_part_share" json:"block_part_share"`
	// BlockPDFShare is the share with "Disallow: /*.pdf$".
	BlockPDFShare float64 `mapstructure:"block_pdf_share" json:"block_pdf_share"`
	// MissingShare is the share with no robots.txt (404: all allowed).
	MissingShare float64 `mapstructure:"missing_share" json:"missing_share"`
}

// Changes says what happens at each generation after the first. Which
// portals and reports change is drawn from the seed and the generation,
// so every run of a configuration sees the same history.
type Changes struct {
	// EditShare is the share of reports edited in each generation: some
	// figures change (the identities still hold), so the page and any
	// attachment get new bytes and validators.
	EditShare float64 `mapstructure:"edit_share" json:"edit_share"`
	// NewShare is the share of portals publishing a new report in each
	// generation: on the year after the last one reported on (the first
	// time), the year after that (the second)… Its column's list pages
	// change with it.
	NewShare float64 `mapstructure:"new_share" json:"new_share"`
}

// DefaultConfig returns a small configuration: the 18 townships of 靖远县,
// the 28 of 会宁县 and the 10 of 白银区 (Gansu), plus the three county
// governments — 59 portals — reporting on 2021–2023, about a third of them
// in GBK, with two entries a list page so that every full column has two
// pages.
func DefaultConfig() Config {
	return Config{
		Seed:              1,
		Counties:          []string{"620421", "620422", "620402"},
		CountyGovernments: true,
		FirstYear:         2021,
		LastYear:          2023,
		FirstAddr:         "127.0.1.1",
		Port:              0,
		GBKShare:          0.3,
		Templates:         map[string]float64{render.TemplateNarrative: 0.3, render.TemplateTable2021: 0.7},
		Formats:           map[string]float64{FormatHTML: 1},
		Styles:            map[string]float64{StyleTRS: 1},
		PageSize:          2,
		MissingShare:      0.05,
		Robots:            Robots{CrawlDelay: 1},
		Faults:            DefaultFaults(),
		PDFFont:           "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		CacheBytes:        32 << 20,
		RequestLog:        100000,
		HostLog:           1024,
		ShutdownTimeout:   5 * time.Second,
	}
}

// maxPortals bounds how many portals a configuration may ask for, which
// also keeps the addresses inside 127.0.0.0/8.
const maxPortals = 100000

// Validate reports every problem with c at once. Whether the counties exist
// is checked by New, against the gazetteer.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(c.Counties) == 0 && len(c.Provinces) == 0 {
		bad("counties: none given (nor provinces)")
	}
	provinceCode := regexp.MustCompile(`^[1-9][0-9]$`)
	for _, code := range c.Provinces {
		if !provinceCode.MatchString(code) {
			bad("provinces: %q is not a 2-digit province code", code)
		}
	}
	if c.Hosts < 0 {
		bad("hosts: %d is negative", c.Hosts)
	}
	countyCode := regexp.MustCompile(`^[0-9]{6}$`)
	seen := map[string]bool{}
	for _, code := range c.Counties {
		if !countyCode.MatchString(code) {
			bad("counties: %q is not a 6-digit county code", code)
		}
		if seen[code] {
			bad("counties: %s listed twice", code)
		}
		seen[code] = true
	}
	if c.FirstYear < 2008 || c.LastYear > 2100 || c.FirstYear > c.LastYear {
		bad("years: %d–%d is not a range within 2008–2100", c.FirstYear, c.LastYear)
	}
	if a, err := netip.ParseAddr(c.FirstAddr); err != nil {
		bad("first_addr: %v", err)
	} else if !a.Is4() || a.As4()[0] != 127 {
		bad("first_addr: %s is not in 127.0.0.0/8", a)
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("port: %d out of range", c.Port)
	}
	if c.GBKShare < 0 || c.GBKShare > 1 {
		bad("gbk_share: %v not in [0, 1]", c.GBKShare)
	}
	if c.MissingShare < 0 || c.MissingShare >= 1 {
		bad("missing_share: %v not in [0, 1)", c.MissingShare)
	}
	if c.PageSize < 1 {
		bad("page_size: %d, want at least 1", c.PageSize)
	}
	if c.RequestLog < 0 {
		bad("request_log: %d is negative", c.RequestLog)
	}
	if c.HostLog < 0 {
		bad("host_log: %d is negative", c.HostLog)
	}
	if c.CacheBytes < 0 {
		bad("cache_bytes: %d is negative", c.CacheBytes)
	}
	if c.Departments < 0 || c.Departments > len(departmentNames(false)) {
		bad("departments: %d not in [0, %d]", c.Departments, len(departmentNames(false)))
	}
	if c.PadTo < 0 || c.PadTo > 10<<20 {
		bad("pad_to: %d not in [0, 10 MiB]", c.PadTo)
	}
	if c.Generation < 0 {
		bad("generation: %d is negative", c.Generation)
	}
	for name, x := range map[string]float64{
		"gbk_header_share": c.GBKHeaderShare, "hanweb_module_share": c.HanwebModuleShare,
		"home_start_share": c.HomeStartShare, "next_only_share": c.NextOnlyShare,
		"column_variety": c.ColumnVariety, "junk_share": c.JunkShare,
		"robots.crawl_delay_share": c.Robots.CrawlDelayShare, "robots.block_column_share": c.Robots.BlockColumnShare,
		"robots.block_part_share": c.Robots.BlockPartShare, "robots.block_pdf_share": c.Robots.BlockPDFShare,
		"robots.missing_share": c.Robots.MissingShare,
		"changes.edit_share":   c.Changes.EditShare, "changes.new_share": c.Changes.NewShare,
	} {
		if x < 0 || x > 1 {
			bad("%s: %v not in [0, 1]", name, x)
		}
	}
	if c.Robots.CrawlDelay < 0 || c.Robots.CrawlDelay > 60 {
		bad("robots.crawl_delay: %v not in [0, 60] seconds", c.Robots.CrawlDelay)
	}
	errs = append(errs, c.Faults.validate("faults"))
	for code, f := range c.HostFaults {
		errs = append(errs, f.validate("host_faults."+code))
	}
	errs = append(errs, validWeights("styles", c.Styles, Styles()))
	if c.ShutdownTimeout <= 0 {
		bad("shutdown_timeout: %v, want a positive duration", c.ShutdownTimeout)
	}
	known := map[string]bool{}
	for _, t := range render.Templates() {
		known[t] = true
	}
	for t, w := range c.Templates {
		if !known[t] {
			bad("templates: unknown template %q (have %v)", t, render.Templates())
		}
		if w < 0 {
			bad("templates: weight of %s is negative", t)
		}
	}
	for y := c.FirstYear; y <= c.LastYear && y-c.FirstYear < 200; y++ {
		if len(templatesFor(c.Templates, y)) == 0 {
			bad("templates: none with a positive weight is used for %d", y)
			break
		}
	}
	errs = append(errs, validWeights("formats", c.Formats, Formats()))
	return errors.Join(errs...)
}

// validWeights checks a weight table: known names, no negative weight,
// one positive.
func validWeights(key string, w map[string]float64, known []string) error {
	var errs []error
	total := 0.0
	for name, x := range w {
		if !slices.Contains(known, name) {
			errs = append(errs, fmt.Errorf("%s: %q is not one of %v", key, name, known))
		}
		if x < 0 {
			errs = append(errs, fmt.Errorf("%s: weight of %s is negative", key, name))
		}
		total += x
	}
	if total <= 0 {
		errs = append(errs, fmt.Errorf("%s: none with a positive weight", key))
	}
	return errors.Join(errs...)
}

// drawWeighted picks a name by weight, in the fixed order of names.
func drawWeighted(u float64, w map[string]float64, names []string) string {
	total := 0.0
	for _, n := range names {
		total += max(0, w[n])
	}
	r := u * total
	last := ""
	for _, n := range names {
		if w[n] <= 0 {
			continue
		}
		if r < w[n] {
			return n
		}
		r -= w[n]
		last = n
	}
	return last
}

// templatesFor returns the templates with positive weight in use for year,
// in render.Templates order.
func templatesFor(weights map[string]float64, year int) []string {
	var out []string
	for _, t := range render.Templates() { // a fixed order, for determinism
		if weights[t] > 0 && year >= render.FirstYear(t) {
			out = append(out, t)
		}
	}
	return out
}
