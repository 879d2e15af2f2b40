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
	// rows numbers the metrics seen; slots[row*7+column] is 1 + the index
	// in facts of the metric's figure in that applicant column, 0 for
	// none.
	rows  map[string]int
	slots []int32
	// lastMetric and lastRow cache the latest row lookup: a table row adds
	// its seven columns in turn.
	lastMetric string
	lastRow    int
}

// newCollector returns a collector sized for a document of tokens table
// cells: a full table report states about 250 figures, prose a handful.
func newCollector(tokens int) *collector {
	n := min(256, 16+tokens/2)
	return &collector{rows: make(map[string]int, 64), slots: make([]int32, 0, 64*7), facts: make([]Fact, 0, n)}
}

// slot returns the slot of metric in column a, adding the metric when
// create is set; ok is false when there is none.
func (c *collector) slot(metric string, a metrics.Applicant, create bool) (int, bool) {
	col := metrics.Column(a)
	if col < 0 {
		return 0, false
	}
	if metric == c.lastMetric && c.lastMetric != "" {
		return c.lastRow*7 + col, true
	}
	row, ok := c.rows[metric]
	if ok {
		c.lastMetric, c.lastRow = metric, row
	} else {
		if !create {
			return 0, false
		}
		row = len(c.slots) / 7
		c.rows[metric] = row
		c.slots = append(c.slots, 0, 0, 0, 0, 0, 0, 0)
		c.lastMetric, c.lastRow = metric, row
	}
	return row*7 + col, true
}

// add records f unless its metric and column are already stated, in which
// case f is kept as an alternate when it differs in value or source. A fact
// in a column that is not an applicant column is dropped.
func (c *collector) add(f Fact) {
	s, ok := c.slot(f.Metric, f.Applicant, true)
	if !ok {
		return
	}
	if i := c.slots[s]; i > 0 {
		old := c.facts[i-1]
		if old.Value != f.Value || (old.Locator.Table == "") != (f.Locator.Table == "") {
			c.alternates = append(c.alternates, f)
		}
		return
	}
	c.facts = append(c.facts, f)
	c.slots[s] = int32(len(c.facts))
}

// has reports whether metric is stated in column a.
func (c *collector) has(metric string, a metrics.Applicant) bool {
	s, ok := c.slot(metric, a, false)
	return ok && c.slots[s] > 0
}

// get returns the fact for metric in column a.
func (c *collector) get(metric string, a metrics.Applicant) (Fact, bool) {
	s, ok := c.slot(metric, a, false)
	if !ok || c.slots[s] == 0 {
		return Fact{}, false
	}
	return c.facts[c.slots[s]-1], true
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
	groups := metrics.OutcomeGroups()
	for i, a := range metrics.Applicants() {
		for _, g := range groups {
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
