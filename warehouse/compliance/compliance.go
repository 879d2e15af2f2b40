// Package compliance holds the rules an annual report is judged by: when
// it was due, what it must contain, and the names and outcomes of the
// per-(agency, year) compliance rules the warehouse stores.
//
// Deadlines (spec/domain.md §1):
//
//   - Reports on years up to 2018 (2008 条例 Art. 31): every body, 31 March
//     of the following year.
//   - Reports on 2019 onward (2019 条例 Art. 49): departments of
//     governments at county level and above, 31 January; a government's
//     own report, 31 March.
//   - Townships are not named in Art. 49; their deadline is set locally.
//     Config.TownshipDeadlines sets it per province; the default,
//     DefaultTownshipDeadline, is 31 March, the latest date Art. 49 allows
//     any government, so that no township is called late for want of a
//     provincial rule (a province whose rule is earlier should say so).
//
// The package is pure: it computes dates and lists; the warehouse applies
// them to stored reports.
package compliance

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rules, one row each per (agency, year) in the warehouse's compliance
// view.
const (
	// RuleOnTime: published by the deadline (the stated publication date,
	// else the first capture).
	RuleOnTime = "on_time"
	// RuleMissing: an expected report not found by the deadline plus the
	// grace period.
	RuleMissing = "missing"
	// RuleIncomplete: a required section absent.
	RuleIncomplete = "incomplete"
	// RuleInconsistent: a failed identity check.
	RuleInconsistent = "inconsistent"
	// RuleEdited: the payload at the report's URL changed after its first
	// capture.
	RuleEdited = "edited"
	// RuleNoData: the report has the template but no figures.
	RuleNoData = "no_data"
)

// Rules returns every rule in the order the warehouse stores them.
func Rules() []string {
	return []string{RuleOnTime, RuleMissing, RuleIncomplete, RuleInconsistent, RuleEdited, RuleNoData}
}

// Outcomes of a rule for one agency-year.
const (
	Pass = "pass"
	Fail = "fail"
	// Unknown: the evidence cannot decide (no date stated and first
	// captured after the deadline; the grace period not over yet).
	Unknown = "unknown"
	// NotApplicable: the rule does not apply (no report to judge, or an
	// agency-year nobody expects).
	NotApplicable = "n/a"
)

// Sections a report's figures can show (what Sections reads them from).
const (
	SectionProactive = "proactive" // 主动公开: proactive.*, table2.*
	SectionRequests  = "requests"  // 依申请公开: requests.*, outcome.*
	SectionReviews   = "reviews"   // 行政复议、行政诉讼: reviews.*, lawsuits.*
	SectionFees      = "fees"      // 收费: fees.*, table2.fees.*
)

// Deadline rules, as the warehouse records which one applied.
const (
	DeadlineArt31           = "art31_2008"        // ≤2018: 31 March, every body
	DeadlineDepartment      = "art49_department"  // ≥2019 departments: 31 January
	DeadlineGovernment      = "art49_government"  // ≥2019 governments: 31 March
	DeadlineTownship        = "township_province" // ≥2019 township, the province's rule
	DeadlineTownshipDefault = "township_default"  // ≥2019 township, DefaultTownshipDeadline
)

// MonthDay is a day of the year, written "MM-DD" ("03-31").
type MonthDay string

// parse returns the month and day.
func (m MonthDay) parse() (time.Month, int, error) {
	mm, dd, ok := strings.Cut(string(m), "-")
	month, err1 := strconv.Atoi(mm)
	day, err2 := strconv.Atoi(dd)
	if !ok || len(mm) != 2 || len(dd) != 2 || err1 != nil || err2 != nil || month < 1 || month > 12 || day < 1 {
		return 0, 0, fmt.Errorf("%q is not MM-DD", string(m))
	}
	// Any non-leap year: 02-29 is not a deadline.
	if t := time.Date(2023, time.Month(month), day, 0, 0, 0, 0, time.UTC); t.Day() != day {
		return 0, 0, fmt.Errorf("%q is not a day of the year", string(m))
	}
	return time.Month(month), day, nil
}

// In returns the date in year.
func (m MonthDay) In(year int) time.Time {
	month, day, err := m.parse()
	if err != nil {
		return time.Time{}
	}
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// DefaultTownshipDeadline is the township deadline for reports on 2019
// onward where the province has none configured.
const DefaultTownshipDeadline MonthDay = "03-31"

// Config sets what the compliance rules leave to local practice. It is
// comparable (==), so it holds the per-province deadlines as text.
type Config struct {
	// TownshipDeadlines lists, comma-separated, a province's 2-digit NBS
	// code and the day by which its townships must publish their report on
	// the previous year (for years from 2019): "43=02-20,62=01-31".
	// Provinces not listed use DefaultTownshipDeadline.
	TownshipDeadlines string `mapstructure:"township_deadlines" yaml:"township_deadlines" json:"township_deadlines"`
	// GraceDays is how long after its deadline an absent report counts
	// as missing rather than pending.
	GraceDays int `mapstructure:"grace_days" yaml:"grace_days" json:"grace_days"`
	// FirstYear is the first year a report is expected for: 2008, when
	// the 条例 took effect.
	FirstYear int `mapstructure:"first_year" yaml:"first_year" json:"first_year"`
	// Expect decides which agencies a report is expected from every year:
	// ExpectRegistered (the default) or ExpectAll.
	Expect string `mapstructure:"expect" yaml:"expect" json:"expect"`
}

// Expect values.
const (
	// ExpectRegistered expects reports from the registered sources'
	// agencies and every division and registered department under them: a
	// county's portal registered as a source makes its townships and
	// departments expected, not the rest of the country. Agencies with a
	// report are compared whatever the scope.
	ExpectRegistered = "registered"
	// ExpectAll expects reports from every division in the gazetteer with
	// a government of its own and every registered department, nationwide.
	ExpectAll = "all"
)

// DefaultConfig returns no provincial township deadlines, 30 days' grace,
// and reports expected from 2008 of the registered sources' agencies.
func DefaultConfig() Config {
	return Config{GraceDays: 30, FirstYear: 2008, Expect: ExpectRegistered}
}

// TownshipDeadlineMap parses TownshipDeadlines: province code → day.
func (c Config) TownshipDeadlineMap() (map[string]MonthDay, error) {
	out := map[string]MonthDay{}
	var errs []error
	for _, item := range strings.Split(c.TownshipDeadlines, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, md, ok := strings.Cut(item, "=")
		p, md = strings.TrimSpace(p), strings.TrimSpace(md)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%q: want PROVINCE=MM-DD", item))
			continue
		case len(p) != 2 || strings.Trim(p, "0123456789") != "":
			errs = append(errs, fmt.Errorf("%q is not a 2-digit province code", p))
			continue
		}
		if _, _, err := MonthDay(md).parse(); err != nil {
			errs = append(errs, fmt.Errorf("province %s: %w", p, err))
			continue
		}
		if _, dup := out[p]; dup {
			errs = append(errs, fmt.Errorf("province %s listed twice", p))
			continue
		}
		out[p] = MonthDay(md)
	}
	return out, errors.Join(errs...)
}

// ErrInvalidConfig is matched by every error Validate returns.
var ErrInvalidConfig = errors.New("invalid compliance config")

// Validate reports every problem with c, joined.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if _, err := c.TownshipDeadlineMap(); err != nil {
		bad("township_deadlines: %v", err)
	}
	if c.GraceDays < 0 {
		bad("grace_days must not be negative, got %d", c.GraceDays)
	}
	if c.FirstYear < 2008 || c.FirstYear > 2100 {
		bad("first_year %d: want a year from 2008", c.FirstYear)
	}
	if c.Expect != ExpectRegistered && c.Expect != ExpectAll {
		bad("expect %q: want %q or %q", c.Expect, ExpectRegistered, ExpectAll)
	}
	return errors.Join(errs...)
}

// Deadline returns the date by which the report of a body at level
// (province, city, county, township or department), in the province coded
// province, on year must be published, and which rule set it. The report
// is on time when published on or before that date.
func (c Config) Deadline(level, province string, year int) (time.Time, string) {
	next := year + 1
	if year <= 2018 {
		return time.Date(next, time.March, 31, 0, 0, 0, 0, time.UTC), DeadlineArt31
	}
	switch level {
	case "department":
		return time.Date(next, time.January, 31, 0, 0, 0, 0, time.UTC), DeadlineDepartment
	case "township":
		m, _ := c.TownshipDeadlineMap() // Validate reports errors; a bad entry is skipped
		if md, ok := m[province]; ok {
			if d := md.In(next); !d.IsZero() {
				return d, DeadlineTownship
			}
		}
		return DefaultTownshipDeadline.In(next), DeadlineTownshipDefault
	}
	return time.Date(next, time.March, 31, 0, 0, 0, 0, time.UTC), DeadlineGovernment
}

// DueBy returns the deadline plus the grace period: the day after which
// an absent report is missing.
func (c Config) DueBy(level, province string, year int) time.Time {
	d, _ := c.Deadline(level, province, year)
	return d.AddDate(0, 0, c.GraceDays)
}

// RequiredSections returns the sections a report on year must show: Art.
// 32 of the 2008 条例 for years to 2018 (proactive disclosure, requests,
// fees, reviews and lawsuits); Art. 50 of the 2019 条例 and its template
// from 2019 (proactive disclosure, requests, reviews and lawsuits; fees
// moved to 其他需要报告的事项 and are not required).
func RequiredSections(year int) []string {
	if year <= 2018 {
		return []string{SectionProactive, SectionRequests, SectionFees, SectionReviews}
	}
	return []string{SectionProactive, SectionRequests, SectionReviews}
}

// Sections returns the sections a report's metric codes show, in the
// order of the Section constants.
func Sections(metricCodes []string) []string {
	var proactive, requests, reviews, fees bool
	for _, m := range metricCodes {
		// The section is the code's first part (table2.fees.* is both
		// table 二 and fees): one switch on it rather than a prefix test
		// per section, as a national load asks this of every report.
		head, rest, ok := strings.Cut(m, ".")
		if !ok {
			continue
		}
		switch head {
		case "table2":
			proactive = true
			fees = fees || strings.HasPrefix(rest, "fees.")
		case "proactive":
			proactive = true
		case "fees":
			fees = true
		case "requests", "outcome":
			requests = true
		case "reviews", "lawsuits":
			reviews = true
		}
	}
	var out []string
	for _, s := range []struct {
		name string
		has  bool
	}{{SectionProactive, proactive}, {SectionRequests, requests}, {SectionReviews, reviews}, {SectionFees, fees}} {
		if s.has {
			out = append(out, s.name)
		}
	}
	return out
}
