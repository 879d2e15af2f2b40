package parser

import (
	"github.com/nianbao/nianbao/metrics"
)

// collector gathers facts, first statement wins: tables are read before
// prose, so a table figure is kept and a prose figure for the same metric
// and column becomes an alternate.
type collector struct {
	facts      []Fact
	alternates []Fact
	index      map[metrics.Key]int
}

func newCollector() *collector {
	return &collector{index: make(map[metrics.Key]int, 256), facts: make([]Fact, 0, 256)}
}

// add records f unless its metric and column are already stated, in which
// case f is kept as an alternate when it differs in value or source.
func (c *collector) add(f Fact) {
	k := metrics.Key{Metric: f.Metric, Applicant: f.Applicant}
	if i, ok := c.index[k]; ok {
		old := c.facts[i]
		if old.Value != f.Value || (old.Locator.Table == "") != (f.Locator.Table == "") {
			c.alternates = append(c.alternates, f)
		}
		return
	}
	c.index[k] = len(c.facts)
	c.facts = append(c.facts, f)
}

// has reports whether metric is stated in column a.
func (c *collector) has(metric string, a metrics.Applicant) bool {
	_, ok := c.index[metrics.Key{Metric: metric, Applicant: a}]
	return ok
}

// get returns the fact for metric in column a.
func (c *collector) get(metric string, a metrics.Applicant) (Fact, bool) {
	i, ok := c.index[metrics.Key{Metric: metric, Applicant: a}]
	if !ok {
		return Fact{}, false
	}
	return c.facts[i], true
}

// derive adds the totals the templates leave to the reader: each table 三
// outcome group as the sum of its items (per column, when every item is
// stated and the group is not printed), and lawsuits.total as the sum of
// the two lawsuit groups' totals.
func (c *collector) derive() {
	groupLabels := map[string]string{
		metrics.OutcomeRefused: "(三)不予公开", metrics.OutcomeUnavailable: "(四)无法提供",
		metrics.OutcomeNotProcessed: "(五)不予处理", metrics.OutcomeOther: "(六)其他处理",
	}
	heads := applicantHeaders()
	for i, a := range metrics.Applicants() {
		for _, g := range metrics.OutcomeGroups() {
			if c.has(g.Code, a) {
				continue
			}
			sum, approx, ok := c.sum(a, g.Items...)
			if !ok {
				continue
			}
			c.add(Fact{Metric: g.Code, Applicant: a, Value: sum, Approximate: approx, Derived: true,
				Locator: Locator{Table: table3, Row: groupLabels[g.Code], Column: heads[i]}})
		}
	}
	groupNames := map[string]string{
		metrics.GroupReviews: "行政复议", metrics.GroupLawsuitsDirect: "行政诉讼·未经复议直接起诉",
		metrics.GroupLawsuitsAfterReview: "行政诉讼·复议后起诉",
	}
	for _, g := range metrics.ReviewGroups() {
		// A blank 总计 cell of a table 四 group.
		total := g + "." + metrics.ResultTotal
		if c.has(total, metrics.Total) {
			continue
		}
		parts := make([]string, 0, 4)
		for _, r := range metrics.ReviewResults()[:4] {
			parts = append(parts, g+"."+r)
		}
		if sum, approx, ok := c.sum(metrics.Total, parts...); ok {
			c.add(Fact{Metric: total, Applicant: metrics.Total, Value: sum, Approximate: approx,
				Derived: true, Locator: Locator{Table: table4, Row: groupNames[g], Column: "总计"}})
		}
	}
	if !c.has(metrics.LawsuitsTotal, metrics.Total) {
		direct := metrics.GroupLawsuitsDirect + "." + metrics.ResultTotal
		after := metrics.GroupLawsuitsAfterReview + "." + metrics.ResultTotal
		if sum, approx, ok := c.sum(metrics.Total, direct, after); ok {
			c.add(Fact{Metric: metrics.LawsuitsTotal, Applicant: metrics.Total, Value: sum, Approximate: approx,
				Derived: true, Locator: Locator{Table: table4, Row: "行政诉讼", Column: "总计"}})
		}
	}
}

// sum adds the figures of codes in column a, reporting false if any is
// absent.
func (c *collector) sum(a metrics.Applicant, codes ...string) (float64, bool, bool) {
	total := 0.0
	approx := false
	for _, code := range codes {
		f, ok := c.get(code, a)
		if !ok {
			return 0, false, false
		}
		total += f.Value
		approx = approx || f.Approximate
	}
	return total, approx, true
}
