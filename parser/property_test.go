package parser

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// propertyN is how many reports TestProperty generates. The default keeps
// `go test` short; the acceptance run is
//
//	go test ./parser -run TestProperty -property.n 10000
//
// (or NIANBAO_PROPERTY_N=10000).
var propertyN = flag.Int("property.n", 0, "reports TestProperty generates (default 1000, or $NIANBAO_PROPERTY_N)")

func propertyCount(t *testing.T) int {
	if *propertyN > 0 {
		return *propertyN
	}
	if s := os.Getenv("NIANBAO_PROPERTY_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("NIANBAO_PROPERTY_N=%q is not a positive count", s)
		}
		return n
	}
	return 1000
}

// propFormats are the forms a generated report is published in: HTML pages
// and every text rendering, each in UTF-8 and GBK, PDF and DOCX.
func propFormats() []string {
	out := []string{"html/utf-8", "html/gbk"}
	for _, s := range render.TextStyles() {
		out = append(out, "text-"+s.String()+"/utf-8", "text-"+s.String()+"/gbk")
	}
	return append(out, "pdf", "docx")
}

// Kinds of planted inconsistency.
const (
	plantNone       = "none"
	plantCell       = "cell"        // one cell of a table 三 row: applicant_sum
	plantBalance    = "balance"     // 结转下年度 in one column and 总计: requests_balance
	plantOutcomeSum = "outcome_sum" // （七）总计 in one column and 总计: outcome_sum
	plantReview     = "review"      // one result of a table 四 group: review_sum
	plantProse      = "prose"       // the prose restating 本年新收 differs: narrative_table
)

// propCase is one generated report and how it is published.
type propCase struct {
	seed     uint64
	template string
	format   string
	report   render.Report
	plant    string
	// want is the check that must fail when an inconsistency is planted.
	want metrics.Check
}

// agencies are reporting bodies the generator draws from: the name as the
// title gives it and its place.
func propAgencies() [][2]string {
	return [][2]string{
		{"三滩镇人民政府", "三滩镇"}, {"大五里镇人民政府", "大五里镇"}, {"东街街道办事处", "东街街道"},
		{"腾蛟镇人民政府", "腾蛟镇"}, {"丰收乡人民政府", "丰收乡"}, {"靖远县人民政府", "靖远县"},
		{"迁安市卫生健康局", "迁安市卫生健康局"}, {"淮安市人民政府", "淮安市"}, {"府谷县人民政府办公室", "府谷县"},
	}
}

// genCount draws a count at one of several scales: most bodies report
// zeros or a few, some thousands, a few millions.
func genCount(r *rand.Rand, scale int) float64 {
	switch scale {
	case 0:
		return 0
	case 1:
		return float64(r.IntN(4))
	case 2:
		return float64(r.IntN(60))
	case 3:
		return float64(r.IntN(5000))
	}
	return float64(r.IntN(4_000_000))
}

// genAmount draws an amount: zero, whole, or with up to two decimals,
// below 100,000 (render prints decimals with %g).
func genAmount(r *rand.Rand) float64 {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return float64(r.IntN(100000))
	}
	return float64(r.IntN(10_000_000)) / 100
}

// genValues draws a consistent set of figures for a report: table 三 with
// every item in every applicant column, table 四, the table 二 codes of
// both formats, proactive.items and fees.amount. Table 三's counts are at
// most of scale maxScale (see genCount).
func genValues(r *rand.Rand, maxScale int) metrics.Values {
	v := metrics.Values{}
	set := func(m string, a metrics.Applicant, x float64) { v[metrics.Key{Metric: m, Applicant: a}] = x }
	scale := min([]int{0, 1, 1, 2, 2, 3, 4}[r.IntN(7)], maxScale)
	groups := metrics.OutcomeGroups()
	var items []string
	items = append(items, metrics.OutcomeGranted, metrics.OutcomePartial)
	for _, g := range groups {
		items = append(items, g.Items...)
	}
	for i, a := range metrics.SplitApplicants() {
		s := scale
		if i > 0 && s > 0 {
			s = r.IntN(s + 1) // organisations file fewer requests
		}
		newReq, carried := genCount(r, s), genCount(r, min(s, 2))
		forward := math.Floor(r.Float64() * (newReq + carried) / 3)
		done := newReq + carried - forward
		set(metrics.RequestsNew, a, newReq)
		set(metrics.RequestsCarriedOver, a, carried)
		set(metrics.RequestsCarriedForward, a, forward)
		set(metrics.OutcomeTotal, a, done)
		// Most requests are granted; the rest spread over the items.
		left := done
		for k, it := range items {
			x := 0.0
			switch {
			case k == len(items)-1:
				x = left
			case k == 0:
				x = math.Floor(left * (0.4 + 0.6*r.Float64()))
			case r.IntN(3) == 0:
				x = math.Floor(left * r.Float64() / 2)
			}
			set(it, a, x)
			left -= x
		}
		for _, g := range groups {
			sum := 0.0
			for _, it := range g.Items {
				x, _ := v.Get(it, a)
				sum += x
			}
			set(g.Code, a, sum)
		}
	}
	for _, m := range metrics.Table3Rows() {
		sum := 0.0
		for _, a := range metrics.SplitApplicants() {
			x, _ := v.Get(m, a)
			sum += x
		}
		set(m, metrics.Total, sum)
	}
	for _, g := range metrics.ReviewGroups() {
		sum := 0.0
		for _, res := range metrics.ReviewResults()[:4] {
			x := genCount(r, min(scale, 2))
			set(g+"."+res, metrics.Total, x)
			sum += x
		}
		set(g+"."+metrics.ResultTotal, metrics.Total, sum)
	}
	rv, _ := v.Get(metrics.GroupReviews+"."+metrics.ResultTotal, metrics.Total)
	set(metrics.ReviewsTotal, metrics.Total, rv)
	d, _ := v.Get(metrics.GroupLawsuitsDirect+"."+metrics.ResultTotal, metrics.Total)
	ar, _ := v.Get(metrics.GroupLawsuitsAfterReview+"."+metrics.ResultTotal, metrics.Total)
	set(metrics.LawsuitsTotal, metrics.Total, d+ar)
	for _, m := range []string{render.Table2RulesIssued, render.Table2RulesRepealed, render.Table2RulesInForce,
		render.Table2NormativeIssued, render.Table2NormativeRepealed, render.Table2NormativeInForce,
		render.Table2LicensingDecisions, render.Table2PenaltyDecisions, render.Table2CoercionDecisions} {
		set(m, metrics.Total, genCount(r, r.IntN(5)))
	}
	set(render.Table2FeesAmount, metrics.Total, genAmount(r))
	for _, m := range render.Table2019Codes() {
		if _, ok := v.Get(m, metrics.Total); ok {
			continue // the decisions columns, shared with 2021
		}
		x := genCount(r, r.IntN(4))
		switch {
		case strings.HasSuffix(m, ".change"):
			x = float64(r.IntN(41) - 20)
		case m == render.Table2ProcurementAmount:
			x = genAmount(r)
		}
		set(m, metrics.Total, x)
	}
	set(metrics.ProactiveItems, metrics.Total, genCount(r, 2+r.IntN(3)))
	fees := 0.0
	if r.IntN(5) == 0 {
		fees = genAmount(r)
	}
	set(metrics.FeesAmount, metrics.Total, fees)
	return v
}

// printedRows returns the table 三 rows a template prints.
func printedRows(tmpl string) []string {
	rows := []string{metrics.RequestsNew, metrics.RequestsCarriedOver, metrics.OutcomeGranted, metrics.OutcomePartial}
	for _, g := range metrics.OutcomeGroups() {
		if tmpl == render.TemplateTable2019 && g.Code == metrics.OutcomeOther {
			rows = append(rows, g.Code)
			continue
		}
		rows = append(rows, g.Items...)
	}
	return append(rows, metrics.OutcomeTotal, metrics.RequestsCarriedForward)
}

// genCase draws case i: its template and format cycle so that every
// combination comes up, its figures and plant come from its seed.
func genCase(i int) propCase {
	formats := propFormats()
	templates := []string{render.TemplateNarrative, render.TemplateTable2019, render.TemplateTable2021}
	c := propCase{seed: uint64(i), template: templates[i%len(templates)], format: formats[(i/len(templates))%len(formats)]}
	r := rand.New(rand.NewPCG(uint64(i), 0x6e69616e62616f))
	ag := propAgencies()[r.IntN(len(propAgencies()))]
	year := 2008 + r.IntN(11)
	switch c.template {
	case render.TemplateTable2019:
		year = 2019 + r.IntN(5)
	case render.TemplateTable2021:
		year = 2021 + r.IntN(5)
	}
	// The PDF writer wraps a cell's text at its column's width, breaking
	// a number wider than table 三's narrow columns over two lines, where
	// no reading of the text layer can tell its pieces from figures of
	// their own; PDF cases keep table 三's figures to three digits.
	maxScale := 4
	if c.format == "pdf" {
		maxScale = 2
	}
	c.report = render.Report{Agency: ag[0], Place: ag[1], County: "靖远县", Year: year, Template: c.template,
		Values: genValues(r, maxScale), Variant: r.Uint64()}
	c.plant = plantNone
	if c.template == render.TemplateNarrative || r.IntN(10) < 6 {
		return c
	}
	v := c.report.Values
	bump := func(m string, a metrics.Applicant) float64 {
		x, _ := v.Get(m, a)
		d := float64(1 + r.IntN(3))
		if x >= d && r.IntN(2) == 0 {
			d = -d
		}
		v[metrics.Key{Metric: m, Applicant: a}] = x + d
		return d
	}
	apps := metrics.Applicants()
	switch k := r.IntN(5); {
	case k == 0 || k == 4 && c.template != render.TemplateTable2019:
		rows := printedRows(c.template)
		row, a := rows[r.IntN(len(rows))], apps[r.IntN(len(apps))]
		bump(row, a)
		c.plant = plantCell
		c.want = metrics.Check{Name: metrics.CheckApplicantSum, Metric: row, Applicant: metrics.Total}
	case k == 1:
		a := apps[r.IntN(6)]
		d := bump(metrics.RequestsCarriedForward, a)
		x, _ := v.Get(metrics.RequestsCarriedForward, metrics.Total)
		v[metrics.Key{Metric: metrics.RequestsCarriedForward, Applicant: metrics.Total}] = x + d
		c.plant = plantBalance
		c.want = metrics.Check{Name: metrics.CheckRequestsBalance, Applicant: a}
	case k == 2:
		a := apps[r.IntN(6)]
		d := bump(metrics.OutcomeTotal, a)
		x, _ := v.Get(metrics.OutcomeTotal, metrics.Total)
		v[metrics.Key{Metric: metrics.OutcomeTotal, Applicant: metrics.Total}] = x + d
		c.plant = plantOutcomeSum
		c.want = metrics.Check{Name: metrics.CheckOutcomeSum, Metric: metrics.OutcomeTotal, Applicant: a}
	case k == 3:
		g := metrics.ReviewGroups()[r.IntN(3)]
		bump(g+"."+metrics.ReviewResults()[r.IntN(4)], metrics.Total)
		c.plant = plantReview
		c.want = metrics.Check{Name: metrics.CheckReviewSum, Metric: g + "." + metrics.ResultTotal, Applicant: metrics.Total}
	default: // k == 4, table2019: the prose restating 本年新收 is planted after Build
		c.plant = plantProse
		c.want = metrics.Check{Name: CheckNarrativeTable, Metric: metrics.RequestsNew, Applicant: metrics.Total}
	}
	return c
}

// proseRequests is the table2019 sentence restating table 三's first row.
var proseRequests = regexp.MustCompile(`全年共收到政府信息公开申请(\d+)件`)

// plantProse changes the figure of the prose restating 本年新收; it
// reports false when the rendering has no such sentence.
func plantProseFigure(doc *render.Doc) bool {
	for i, b := range doc.Blocks {
		if b.Kind != render.Paragraph {
			continue
		}
		m := proseRequests.FindStringSubmatchIndex(b.Text)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(b.Text[m[2]:m[3]])
		doc.Blocks[i].Text = b.Text[:m[2]] + strconv.Itoa(n+1) + b.Text[m[3]:]
		return true
	}
	return false
}

// propPublishing holds what publishing a case needs beyond the Doc: the
// PDF writer (built once; loading the font takes a while).
type propPublishing struct {
	once sync.Once
	pdf  *render.PDFWriter
	err  error
}

func (pp *propPublishing) pdfWriter() (*render.PDFWriter, error) {
	pp.once.Do(func() {
		const font = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc" // Debian fonts-wqy-zenhei
		b, err := os.ReadFile(font)
		if err != nil {
			pp.err = fmt.Errorf("PDF font (install fonts-wqy-zenhei, e.g. make test-setup): %w", err)
			return
		}
		pp.pdf, pp.err = render.NewPDFWriter(b)
	})
	return pp.pdf, pp.err
}

// publish renders c's doc in its format, as the parser's Input.
func (pp *propPublishing) publish(c propCase, doc render.Doc) (Input, error) {
	created := time.Date(c.report.Year+1, time.Month(1+c.seed%3), 1+int(c.seed%27), 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			panic(err) // GB18030 encodes every rune
		}
		return []byte(b)
	}
	name := fmt.Sprintf("case-%d", c.seed)
	switch format, enc, _ := strings.Cut(c.format, "/"); {
	case format == "html":
		charset := "utf-8"
		if enc == "gbk" {
			charset = []string{"gb2312", "gbk"}[c.seed%2]
		}
		page := render.Page{Charset: charset, SiteName: c.report.Agency, HeaderLayout: int(c.seed % 2),
			Breadcrumb: []render.Link{{Text: "首页", Href: "/"}, {Text: "政府信息公开年报", Href: "/zfxxgknb/"}},
			Meta: render.Meta{IndexNo: fmt.Sprintf("11620421013913016X/%d-%05d", c.report.Year+1, c.seed%100000),
				Publisher: c.report.Agency, Host: "县融媒体中心", Topic: "政务公开", Generated: created},
			Doc: doc, Options: render.HTMLOptions{WrapCells: c.seed%3 == 0}}.HTML()
		if enc == "gbk" {
			page = gbk(string(page))
		}
		return Input{Source: name + ".html", Body: page, ContentType: "text/html"}, nil
	case strings.HasPrefix(format, "text-"):
		var style render.TextStyle = -1
		for _, s := range render.TextStyles() {
			if format == "text-"+s.String() {
				style = s
			}
		}
		if style < 0 {
			return Input{}, fmt.Errorf("unknown text style %q", format)
		}
		text := doc.Text(style)
		if enc == "gbk" {
			return Input{Source: name + ".txt", Body: gbk(text)}, nil
		}
		return Input{Source: name + ".txt", Body: []byte(text), ContentType: "text/plain; charset=utf-8"}, nil
	case format == "pdf":
		w, err := pp.pdfWriter()
		if err != nil {
			return Input{}, err
		}
		b, err := w.Write(doc, created)
		return Input{Source: name + ".pdf", Body: b}, err
	case format == "docx":
		b, err := doc.DOCX(created)
		return Input{Source: name + ".docx", Body: b}, err
	}
	return Input{}, fmt.Errorf("unknown format %q", c.format)
}

// addDefects gives a consistent table report some defects real reports
// have (spec/domain.md §2.4, §3): figures in full-width digits, zeros
// printed as "-" (not applicable: no figure) and, in formats that keep a
// blank cell's place (HTML, DOCX), 总计 cells of table 三 left blank, which
// the parser derives. (Text renderings and the PDF text layer drop blank
// cells: a row of six figures is then read as missing its 总计 unless the
// first five sum to the sixth, which could as well be the total.) It
// returns the figures the doc still states, those the parser may derive
// from them, and the defects applied.
func addDefects(r *rand.Rand, c propCase, doc *render.Doc) (stated, derivable metrics.Values, defects []string) {
	tmpl := c.template
	stated = make(metrics.Values, len(doc.Stated))
	for k, v := range doc.Stated {
		stated[k] = v
	}
	var tables []*render.Table
	for _, b := range doc.Blocks {
		if b.Kind == render.TableBlock {
			tables = append(tables, b.Table)
		}
	}
	derived := metrics.Values{}
	if len(tables) != 3 {
		return stated, render.Implied(stated), nil
	}
	t3 := tables[1]
	rows := printedRows(tmpl)
	apps := metrics.Applicants()
	fullWidth, blankTotals, dashes := r.IntN(7) == 0, r.IntN(7) == 0, r.IntN(7) == 0
	if !strings.HasPrefix(c.format, "html") && c.format != "docx" {
		blankTotals = false
	}
	if c.format == "pdf" {
		fullWidth = false // wider digits: the PDF writer would break figures over lines
	}
	if dashes {
		defects = append(defects, "dashes")
		for i, m := range rows {
			row := t3.Rows[3+i]
			for j, a := range apps[:6] {
				cell := &row[len(row)-7+j]
				if cell.Text == "0" && r.IntN(4) == 0 {
					cell.Text = "-"
					delete(stated, metrics.Key{Metric: m, Applicant: a})
				}
			}
		}
	}
	restated := false // the prose states requests.new/total too
	for _, b := range doc.Blocks {
		restated = restated || b.Kind == render.Paragraph && proseRequests.MatchString(b.Text)
	}
	if blankTotals {
		defects = append(defects, "blank totals")
		for i, m := range rows {
			if r.IntN(3) != 0 || restated && m == metrics.RequestsNew {
				continue
			}
			row := t3.Rows[3+i]
			sum, all := 0.0, true
			for _, a := range apps[:6] {
				x, ok := stated.Get(m, a)
				sum, all = sum+x, all && ok
			}
			row[len(row)-1].Text = ""
			delete(stated, metrics.Key{Metric: m, Applicant: metrics.Total})
			if all {
				derived[metrics.Key{Metric: m, Applicant: metrics.Total}] = sum
			}
		}
	}
	if fullWidth {
		defects = append(defects, "full-width digits")
		for _, t := range tables {
			for _, row := range t.Rows {
				for j := range row {
					if !row[j].Header {
						row[j].Text = strings.Map(func(r rune) rune {
							if r >= '0' && r <= '9' {
								return r - '0' + '０'
							}
							return r
						}, row[j].Text)
					}
				}
			}
		}
	}
	all := make(metrics.Values, len(stated)+len(derived))
	for k, v := range stated {
		all[k] = v
	}
	for k, v := range derived {
		all[k] = v
	}
	return stated, render.Implied(all), defects
}

// checkKey names a check for comparison.
func checkKey(c metrics.Check) string {
	return c.Name + " " + c.Metric + " " + string(c.Applicant)
}

// checkCase parses one published case and returns what is wrong with the
// result, or nil.
func checkCase(p *Parser, pp *propPublishing, c propCase) []string {
	doc, err := render.Build(c.report)
	if err != nil {
		return []string{fmt.Sprintf("render.Build: %v", err)}
	}
	plant, want := c.plant, c.want
	if plant == plantProse && !plantProseFigure(&doc) {
		plant = plantNone // this rendering does not restate the figure
	}
	stated, derivable := doc.Stated, render.Implied(doc.Stated)
	var defects []string
	if plant == plantNone && c.template != render.TemplateNarrative {
		stated, derivable, defects = addDefects(rand.New(rand.NewPCG(c.seed, 0x64656665637473)), c, &doc)
	}
	in, err := pp.publish(c, doc)
	if err != nil {
		return []string{fmt.Sprintf("publish: %v", err)}
	}
	r, err := p.Parse(context.Background(), in)
	if err != nil {
		return []string{fmt.Sprintf("Parse: %v", err)}
	}
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if len(defects) > 0 {
		defer func() {
			if len(bad) > 0 {
				bad = append([]string{"defects " + strings.Join(defects, ",")}, bad...)
			}
		}()
	}

	// Metadata.
	if r.Year != c.report.Year {
		fail("year = %d, want %d", r.Year, c.report.Year)
	}
	if r.Template != c.template {
		fail("template = %q, want %q", r.Template, c.template)
	}
	if r.Agency != c.report.Agency {
		fail("agency = %q, want %q", r.Agency, c.report.Agency)
	}
	if r.Status != StatusOK {
		fail("status = %q", r.Status)
	}

	// Figures: every stated one read, as printed and not derived; nothing
	// else read but what the templates imply.
	implied := derivable
	got := map[metrics.Key]Fact{}
	for _, f := range r.Facts {
		k := metrics.Key{Metric: f.Metric, Applicant: f.Applicant}
		got[k] = f
		want, isStated := stated[k]
		switch {
		case isStated && f.Derived:
			fail("%s/%s stated %v but read as derived %v", f.Metric, f.Applicant, want, f.Value)
		case isStated && f.Value != want:
			fail("%s/%s = %v, stated %v (%+v)", f.Metric, f.Applicant, f.Value, want, f.Locator)
		case !isStated && !f.Derived:
			fail("%s/%s = %v read, but the report does not state it (%+v)", f.Metric, f.Applicant, f.Value, f.Locator)
		case !isStated:
			if x, ok := implied[k]; !ok || x != f.Value {
				fail("%s/%s derived %v, implied %v (%v)", f.Metric, f.Applicant, f.Value, x, ok)
			}
		}
	}
	for k, v := range stated {
		if _, ok := got[k]; !ok {
			fail("%s/%s stated %v but not read", k.Metric, k.Applicant, v)
		}
	}

	// Checks: none fails on a consistent report; the planted
	// inconsistency fails its check; nothing fails that the printed
	// figures do not break.
	breaks := map[string]bool{}
	for _, ch := range metrics.Verify(implied) {
		if !ch.OK {
			breaks[checkKey(ch)] = true
		}
	}
	if plant == plantProse {
		breaks[checkKey(want)] = true
	}
	failed := map[string]bool{}
	for _, ch := range r.Checks {
		if ch.OK {
			continue
		}
		failed[checkKey(ch)] = true
		if plant == plantNone {
			fail("check failed on a consistent report: %s", ch.Detail())
		} else if !breaks[checkKey(ch)] {
			fail("check failed that the figures do not break: %s", ch.Detail())
		}
	}
	if plant != plantNone && !failed[checkKey(want)] {
		fail("planted %s inconsistency not flagged by %s", plant, checkKey(want))
	}
	return bad
}

// TestProperty generates reports with random consistent figures, some with
// a planted inconsistency, publishes each in one of every template ×
// format × encoding combination (cycling, so all come up), parses it back
// and checks that every stated figure round-trips exactly, nothing
// unstated is read, every planted inconsistency fails its check and no
// check fails otherwise.
func TestProperty(t *testing.T) {
	n := propertyCount(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is needed for the PDF cases (install poppler-utils, e.g. make setup): %v", err)
	}
	p := testParser(t)
	pp := &propPublishing{}
	start := time.Now()
	type result struct {
		c   propCase
		bad []string
	}
	cases := make(chan int)
	results := make(chan result)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range cases {
				c := genCase(i)
				results <- result{c, checkCase(p, pp, c)}
			}
		}()
	}
	go func() {
		for i := range n {
			cases <- i
		}
		close(cases)
		wg.Wait()
		close(results)
	}()
	failures, plants := 0, map[string]int{}
	combos, failedCombos := map[string]int{}, map[string]int{}
	for res := range results {
		combo := res.c.template + " " + res.c.format
		combos[combo]++
		plants[res.c.plant]++
		if len(res.bad) == 0 {
			continue
		}
		failures++
		if failedCombos[combo]++; failedCombos[combo] <= 2 {
			t.Errorf("case %d (%s, plant %s): %s", res.c.seed, combo, res.c.plant,
				strings.Join(res.bad[:min(len(res.bad), 6)], "; "))
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d generated reports failed; by combination: %v", failures, n, failedCombos)
	}
	t.Logf("%d reports in %d combinations (plants %v) in %v", n, len(combos), plants, time.Since(start).Round(time.Millisecond))
}
