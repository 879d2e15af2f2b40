package render

import (
	"fmt"

	"github.com/nianbao/nianbao/metrics"
)

// Templates a Report can be rendered with. The names match the parser's.
const (
	TemplateNarrative = "narrative"
	TemplateTable2021 = "table2021"
)

// Templates returns the templates Build supports.
func Templates() []string {
	return []string{TemplateNarrative, TemplateTable2021, TemplateTable2019}
}

// FirstYear returns the first report year a template is used for: the 2021
// format applies to reports on 2021 onward, the 2019 (试行) format to 2019
// onward (some bodies kept it after 2021); narrative reports exist for
// every year.
func FirstYear(template string) int {
	if template == TemplateTable2021 {
		return 2021
	}
	if template == TemplateTable2019 {
		return 2019
	}
	return 2008
}

// Table 二 (2021 format) metric codes. spec/metrics.md leaves the table2.
// namespace open; these follow the parser's codes.
const (
	Table2RulesIssued        = "table2.rules.issued"            // 规章 · 本年制发件数
	Table2RulesRepealed      = "table2.rules.repealed"          // 规章 · 本年废止件数
	Table2RulesInForce       = "table2.rules.in_force"          // 规章 · 现行有效件数
	Table2NormativeIssued    = "table2.normative_docs.issued"   // 行政规范性文件 · 本年制发件数
	Table2NormativeRepealed  = "table2.normative_docs.repealed" // 行政规范性文件 · 本年废止件数
	Table2NormativeInForce   = "table2.normative_docs.in_force" // 行政规范性文件 · 现行有效件数
	Table2LicensingDecisions = "table2.licensing.decisions"     // 行政许可 · 本年处理决定数量
	Table2PenaltyDecisions   = "table2.penalties.decisions"     // 行政处罚 · 本年处理决定数量
	Table2CoercionDecisions  = "table2.enforcement.decisions"   // 行政强制 · 本年处理决定数量
	Table2FeesAmount         = "table2.fees.amount_wan_yuan"    // 行政事业性收费 · 本年收费金额（单位：万元）
)

// Report is an annual report to render.
type Report struct {
	// Agency is the reporting body, e.g. "三滩镇人民政府".
	Agency string
	// Place is the division's name used in prose, e.g. "三滩镇"; Agency
	// when empty.
	Place string
	// County is the enclosing county's name, used in the contact address;
	// may be empty.
	County string
	// Year is the year reported on.
	Year int
	// Template is one of the Template constants.
	Template string
	// Values holds the complete, consistent figures behind the report:
	// every table 三 row in all seven applicant columns (group totals
	// included), the fifteen table 四 cells, the table 二 codes,
	// proactive.items and fees.amount. A template states a subset of them;
	// a figure it states must be present.
	Values metrics.Values
	// Variant selects phrasing and layout variants; every value is valid
	// and the same value always gives the same output.
	Variant uint64
}

// Title returns the report's title, e.g.
// "三滩镇人民政府2021年政府信息公开工作年度报告".
func (r Report) Title() string {
	return fmt.Sprintf("%s%d年政府信息公开工作年度报告", r.Agency, r.Year)
}

func (r Report) place() string {
	if r.Place != "" {
		return r.Place
	}
	return r.Agency
}

// BlockKind is the kind of a Doc block.
type BlockKind int

// The kinds of block a Doc holds.
const (
	// Heading is a section heading, e.g. "一、总体情况".
	Heading BlockKind = iota
	// Paragraph is prose.
	Paragraph
	// TableBlock is a table.
	TableBlock
)

// Block is one heading, paragraph or table.
type Block struct {
	Kind BlockKind
	// Text is the heading or paragraph text.
	Text string
	// Table is set for a TableBlock.
	Table *Table
}

// Table is a grid of cells with spans, as in HTML.
type Table struct {
	Rows [][]Cell
}

// Cell is a table cell. A cell spanning several rows or columns appears once,
// in its top-left position.
type Cell struct {
	// Text is the cell's content. A "\n" is a line break inside the cell,
	// as in "商业\n企业".
	Text string
	// RowSpan and ColSpan are the cell's extent; 0 means 1.
	RowSpan, ColSpan int
	// Header marks a label cell rather than a figure.
	Header bool
}

// Doc is a rendered report, independent of output format.
type Doc struct {
	// Title is the report's title.
	Title string
	// Blocks are the report body in reading order.
	Blocks []Block
	// Stated holds exactly the figures the body states, each equal to the
	// Report's value. A figure the body does not state is absent.
	Stated metrics.Values
}

// Build renders r with its template.
func Build(r Report) (Doc, error) {
	if r.Agency == "" || r.Year == 0 {
		return Doc{}, fmt.Errorf("render: report needs an agency and a year")
	}
	if r.Year < FirstYear(r.Template) {
		return Doc{}, fmt.Errorf("render: template %s is not used for %d", r.Template, r.Year)
	}
	b := &builder{r: r, doc: Doc{Title: r.Title(), Stated: metrics.Values{}}}
	switch r.Template {
	case TemplateNarrative:
		b.narrative()
	case TemplateTable2021:
		b.table2021()
	case TemplateTable2019:
		b.table2019()
	default:
		return Doc{}, fmt.Errorf("render: unknown template %q", r.Template)
	}
	if b.err != nil {
		return Doc{}, b.err
	}
	return b.doc, nil
}

// builder accumulates a Doc and the figures it states.
type builder struct {
	r   Report
	doc Doc
	err error
}

func (b *builder) heading(s string) {
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: Heading, Text: s})
}
func (b *builder) paragraph(s string) {
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: Paragraph, Text: s})
}
func (b *builder) table(t *Table) {
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: TableBlock, Table: t})
}

// state records that the document states metric in column a, and returns
// the figure formatted as printed.
func (b *builder) state(metric string, a metrics.Applicant) string {
	v, ok := b.r.Values.Get(metric, a)
	if !ok {
		if b.err == nil {
			b.err = fmt.Errorf("render: %s needs %s/%s", b.r.Template, metric, a)
		}
		return "0"
	}
	b.doc.Stated[metrics.Key{Metric: metric, Applicant: a}] = v
	return formatNumber(v)
}

// value returns a figure without stating it (for choosing phrasings).
func (b *builder) value(metric string) float64 {
	v, _ := b.r.Values.Get(metric, metrics.Total)
	return v
}

// formatNumber prints a figure as portals do: integers without a decimal
// point, amounts with as many decimals as they need.
func formatNumber(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

// pick returns a number in [0, n) chosen by the report's variant and a
// salt naming the choice, so that choices are independent of each other.
func (b *builder) pick(salt string, n int) int {
	h := b.r.Variant ^ 0x9E3779B97F4A7C15
	for i := 0; i < len(salt); i++ {
		h = (h ^ uint64(salt[i])) * 0x100000001B3
	}
	h = mix64(h)
	return int(h % uint64(n))
}

// mix64 is the SplitMix64 finaliser.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Implied returns v plus the figures the national templates define as sums
// without printing them: each outcome group total (不予公开, 无法提供, 不予处理,
// 其他处理) in every column where all its items are present, and
// lawsuits.total where both lawsuit group totals are. Existing figures are
// kept as they are. It is for checking a table report's identities with
// metrics.Verify.
func Implied(v metrics.Values) metrics.Values {
	out := make(metrics.Values, len(v)+32)
	for k, x := range v {
		out[k] = x
	}
	for _, a := range metrics.Applicants() {
		for _, g := range metrics.OutcomeGroups() {
			if _, ok := out.Get(g.Code, a); ok {
				continue
			}
			sum, all := 0.0, true
			for _, it := range g.Items {
				x, ok := v.Get(it, a)
				all = all && ok
				sum += x
			}
			if all {
				out[metrics.Key{Metric: g.Code, Applicant: a}] = sum
			}
		}
	}
	if _, ok := out.Get(metrics.LawsuitsTotal, metrics.Total); !ok {
		d, ok1 := v.Get(metrics.GroupLawsuitsDirect+"."+metrics.ResultTotal, metrics.Total)
		r, ok2 := v.Get(metrics.GroupLawsuitsAfterReview+"."+metrics.ResultTotal, metrics.Total)
		if ok1 && ok2 {
			out[metrics.Key{Metric: metrics.LawsuitsTotal, Applicant: metrics.Total}] = d + r
		}
	}
	return out
}
