package simulator

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/simulator/render"
)

// Profiles names the ready-made configurations Profile returns.
func Profiles() []string { return []string{"default", "mixed", "faults", "bench"} }

// Profile returns a ready-made configuration:
//
//   - "default": DefaultConfig — 59 TRS portals, HTML reports, no faults.
//   - "mixed": the same portals with every variation real portals show:
//     Hanweb (some with the xxgk module), home-page starts, 下一页-only
//     pagers, other column names, PDF and DOCX attachments, junk
//     attachments, robots.txt variants (Crawl-delay, blocked columns and
//     parts, no file), GBK declared in the header too, and changes
//     between generations (edited and new reports). No faults.
//   - "faults": "mixed" plus the default fault profile on 30% of portals:
//     every fault kind, a tenth of faulted URLs permanent, 2 spoiled
//     requests per transient fault, 15 s hangs, 2 s drips, 1 s Retry-After.
//   - "bench": 1,000 uniform portals (the first in region-code order) for
//     throughput and politeness benchmarks: each lists 100 narrative
//     reports (its own and nine departments' on 2014–2023) on 5 list pages
//     of 20, every HTML page padded to 20 KB, UTF-8, TRS, default
//     robots.txt, no faults — 105 pages a portal (Portal.Pages).
func Profile(name string) (Config, error) {
	c := DefaultConfig()
	switch name {
	case "default":
	case "mixed", "faults":
		c.Styles = map[string]float64{StyleTRS: 0.6, StyleHanweb: 0.4}
		c.HanwebModuleShare = 0.3
		c.HomeStartShare = 0.3
		c.NextOnlyShare = 0.2
		c.ColumnVariety = 0.4
		c.Formats = map[string]float64{FormatHTML: 0.7, FormatPDF: 0.15, FormatDOCX: 0.15}
		c.JunkShare = 0.2
		c.GBKHeaderShare = 0.5
		c.Robots = Robots{CrawlDelayShare: 0.1, CrawlDelay: 1, BlockColumnShare: 0.05, BlockPartShare: 0.1, BlockPDFShare: 0.05, MissingShare: 0.05}
		c.Changes = Changes{EditShare: 0.1, NewShare: 0.2}
		if name == "faults" {
			c.Faults = DefaultFaults()
			c.Faults.HostShare = 0.3
			c.Faults.Rates = map[string]float64{
				FaultServerError: 0.03, FaultTimeout: 0.005, FaultReset: 0.01, FaultTooMany: 0.02,
				FaultTruncate: 0.02, FaultDrip: 0.01, FaultRedirectLoop: 0.002,
			}
			c.Faults.PermanentShare = 0.1
			c.Faults.Hang = 15 * time.Second
		}
	case "bench":
		c.Counties = nil
		c.Provinces = []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
			"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
		c.Hosts = 1000
		c.FirstYear, c.LastYear = 2014, 2023
		c.Departments = 9
		c.PageSize = 20
		c.MissingShare = 0
		c.GBKShare = 0
		c.Templates = map[string]float64{render.TemplateNarrative: 1}
		c.PadTo = 20000
	default:
		return Config{}, fmt.Errorf("simulator: unknown profile %q (have %v)", name, Profiles())
	}
	return c, nil
}

// ParseFaults reads a fault profile from a comma-separated spec over base,
// as `nianbao simulate --faults` takes it: "<kind>=<rate>" for each fault
// kind (5xx, timeout, reset, 429, truncate, drip, loop), and hosts=<share>,
// permanent=<share>, times=<n>, hang=<duration>, drip-time=<duration>,
// retry-after=<duration>, retry-date=<share>. For example
// "5xx=0.05,429=0.02,permanent=0.1,hosts=0.5". An empty spec returns base.
func ParseFaults(spec string, base Faults) (Faults, error) {
	f := base
	f.Rates = maps.Clone(base.Rates)
	if f.Rates == nil {
		f.Rates = map[string]float64{}
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			return Faults{}, fmt.Errorf("faults: %q is not key=value", item)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		var err error
		switch {
		case slices.Contains(FaultKinds(), k):
			var x float64
			x, err = strconv.ParseFloat(v, 64)
			f.Rates[k] = x
		case k == "hosts":
			f.HostShare, err = strconv.ParseFloat(v, 64)
		case k == "permanent":
			f.PermanentShare, err = strconv.ParseFloat(v, 64)
		case k == "retry-date":
			f.RetryAfterDateShare, err = strconv.ParseFloat(v, 64)
		case k == "times":
			f.Times, err = strconv.Atoi(v)
		case k == "hang":
			f.Hang, err = time.ParseDuration(v)
		case k == "drip-time":
			f.Drip, err = time.ParseDuration(v)
		case k == "retry-after":
			f.RetryAfter, err = time.ParseDuration(v)
		default:
			return Faults{}, fmt.Errorf("faults: unknown key %q (fault kinds %v, hosts, permanent, times, hang, drip-time, retry-after, retry-date)", k, FaultKinds())
		}
		if err != nil {
			return Faults{}, fmt.Errorf("faults: %s: %w", k, err)
		}
	}
	if err := f.validate("faults"); err != nil {
		return Faults{}, err
	}
	return f, nil
}

// String writes f as a spec ParseFaults reads.
func (f Faults) String() string {
	var parts []string
	for _, k := range FaultKinds() {
		if r := f.Rates[k]; r > 0 {
			parts = append(parts, k+"="+strconv.FormatFloat(r, 'g', -1, 64))
		}
	}
	parts = append(parts,
		"hosts="+strconv.FormatFloat(f.HostShare, 'g', -1, 64),
		"permanent="+strconv.FormatFloat(f.PermanentShare, 'g', -1, 64),
		"times="+strconv.Itoa(f.Times),
		"hang="+f.Hang.String(), "drip-time="+f.Drip.String(), "retry-after="+f.RetryAfter.String(),
		"retry-date="+strconv.FormatFloat(f.RetryAfterDateShare, 'g', -1, 64))
	return strings.Join(parts, ",")
}
