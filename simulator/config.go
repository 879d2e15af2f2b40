package simulator

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
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
	// Templates weighs the report templates (render.Templates); a report
	// draws among those in use for its year.
	Templates map[string]float64 `mapstructure:"templates" json:"templates"`
	// Formats weighs the document formats reports are published in. Only
	// "html" is implemented so far.
	Formats map[string]float64 `mapstructure:"formats" json:"formats"`
	// PageSize is how many entries a column list page shows.
	PageSize int `mapstructure:"page_size" json:"page_size"`
	// MissingShare is the share of agency-years for which no report is
	// published.
	MissingShare float64 `mapstructure:"missing_share" json:"missing_share"`
	// RequestLog is how many requests the simulator remembers for
	// Requests; later ones are counted but not kept.
	RequestLog int `mapstructure:"request_log" json:"request_log"`
	// ShutdownTimeout bounds how long Close waits for requests in flight.
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout" json:"shutdown_timeout"`
}

// Formats a report can be published in.
const (
	FormatHTML = "html"
)

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
		PageSize:          2,
		MissingShare:      0.05,
		RequestLog:        100000,
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
	if len(c.Counties) == 0 {
		bad("counties: none given")
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
	total := 0.0
	for f, w := range c.Formats {
		if f != FormatHTML {
			bad("formats: %q is not implemented (have %s)", f, FormatHTML)
		}
		if w < 0 {
			bad("formats: weight of %s is negative", f)
		}
		total += w
	}
	if total <= 0 {
		bad("formats: no format with a positive weight")
	}
	return errors.Join(errs...)
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
