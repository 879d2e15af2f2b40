package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
	"github.com/nianbao/nianbao/warehouse/agency"
)

// ParserVersion is the parser version synthetic reports carry, so they
// are never mistaken for parsed ones.
const ParserVersion = "synth-1"

// columns are the applicant columns synthetic tables fill (the other
// three are left blank, as many real reports leave them).
func columns() []metrics.Applicant {
	return []metrics.Applicant{metrics.NaturalPerson, metrics.Business, metrics.OtherOrg}
}

// columnShares is how requests divide among columns().
func columnShares() []float64 { return []float64{0.85, 0.10, 0.05} }

// table3 holds a report's table 三: for each metric of rows (the
// generator's metrics.Table3Rows), the values in the columns() order.
type table3 struct {
	index map[string]int // shared, read-only
	v     [][3]float64
}

// get returns a row's values.
func (t table3) get(metric string) [3]float64 { return t.v[t.index[metric]] }

// set sets one cell.
func (t table3) set(metric string, c int, x float64) { t.v[t.index[metric]][c] = x }

// total returns the Total column of metric.
func (t table3) total(metric string) float64 {
	v := t.get(metric)
	return v[0] + v[1] + v[2]
}

// figureSet holds the Total-column figures of a report as published (the
// second version of an edited one); which of them a report states depends
// on its template and defects (see Build).
type figureSet struct {
	RequestsNew, CarriedOver, Answered, CarriedForward          float64
	Granted, Partial, Refused, Unavailable, NotProcessed, Other float64
	// RefusedBy holds 不予公开 by reason, in metrics.OutcomeGroups()[0]
	// order.
	RefusedBy [8]float64
	// Reviews, LawsuitsDirect and LawsuitsAfterReview hold 表四's groups in
	// metrics.ReviewResults order (upheld, corrected, other, pending, total).
	Reviews, LawsuitsDirect, LawsuitsAfterReview [5]float64
	LawsuitsTotal                                float64
	ProactiveItems                               float64
	// Fees is stated in narrative reports only.
	Fees float64
}

// figures draws the table 三 of an agency-year and the other figures.
func (g *Generator) figures(p Plan) (table3, figureSet) {
	rng := g.rng(p.Agency.ID, p.Year, 1)
	trait := g.agencyRNG(p.Agency.ID, 2)
	size := math.Exp(trait.NormFloat64() * 0.6) // the agency's own scale
	refusalBase := 0.03 + 0.06*g.agencyRNG(p.Agency.Code(agency.LevelProvince), 3).Float64() + 0.03*trait.Float64()
	if p.Restrictive {
		refusalBase = math.Min(refusalBase*4, 0.7)
	}
	trend := math.Pow(1.07, float64(p.Year-2008))
	if p.Year >= 2019 {
		trend *= 1.6
	}
	mu := levelScale(p.Agency) * trend * size * math.Exp(rng.NormFloat64()*0.25)
	requests := poisson(rng, mu)
	t := table3{index: g.rowIndex, v: make([][3]float64, len(g.rows))}
	shares := columnShares()
	// Requests by column: the larger shares floored, the rest to the last.
	var newBy [3]float64
	left := requests
	for c := range 2 {
		newBy[c] = math.Floor(requests * shares[c])
		left -= newBy[c]
	}
	newBy[2] = left
	outcomeShares := []float64{0.45, 0.08, refusalBase, 0.22, 0.06}
	var granted, partial, refused, unavailable, notProcessed, other [3]float64
	for c := range 3 {
		co := math.Floor(newBy[c] * 0.1 * rng.Float64())
		pending := newBy[c] + co
		cf := math.Floor(pending * 0.08 * rng.Float64())
		answered := pending - cf
		parts := allocate(answered, append(outcomeShares, math.Max(0, 1-sum(outcomeShares))))
		granted[c], partial[c], refused[c], unavailable[c], notProcessed[c], other[c] = parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]
		set := func(m string, v float64) { t.set(m, c, v) }
		set(metrics.RequestsNew, newBy[c])
		set(metrics.RequestsCarriedOver, co)
		set(metrics.OutcomeGranted, granted[c])
		set(metrics.OutcomePartial, partial[c])
		set(metrics.OutcomeTotal, answered)
		set(metrics.RequestsCarriedForward, cf)
		groups := metrics.OutcomeGroups()
		for gi, whole := range []float64{refused[c], unavailable[c], notProcessed[c], other[c]} {
			set(groups[gi].Code, whole)
			for i, v := range allocate(whole, itemWeights(groups[gi].Code)) {
				set(groups[gi].Items[i], v)
			}
		}
	}
	f := figureSet{
		RequestsNew: t.total(metrics.RequestsNew), CarriedOver: t.total(metrics.RequestsCarriedOver),
		Answered: t.total(metrics.OutcomeTotal), CarriedForward: t.total(metrics.RequestsCarriedForward),
		Granted: t.total(metrics.OutcomeGranted), Partial: t.total(metrics.OutcomePartial),
		Refused: t.total(metrics.OutcomeRefused), Unavailable: t.total(metrics.OutcomeUnavailable),
		NotProcessed: t.total(metrics.OutcomeNotProcessed), Other: t.total(metrics.OutcomeOther),
	}
	for i, m := range metrics.OutcomeGroups()[0].Items {
		f.RefusedBy[i] = t.total(m)
	}
	f.Reviews = reviewGroup(rng, requests*0.015)
	f.LawsuitsDirect = reviewGroup(rng, requests*0.008)
	f.LawsuitsAfterReview = reviewGroup(rng, requests*0.004)
	f.LawsuitsTotal = f.LawsuitsDirect[4] + f.LawsuitsAfterReview[4]
	f.ProactiveItems = poisson(rng, levelScale(p.Agency)*8*size+5)
	if p.Inconsistent {
		if p.Template == "narrative" {
			f.CarriedForward++ // the balance breaks
		} else {
			f.Answered++ // the outcome sum and the balance break
		}
	}
	return t, f
}

// levelScale is the median yearly request count (2008) by kind of agency.
func levelScale(a agency.Agency) float64 {
	switch a.Level {
	case agency.LevelProvince:
		return 900
	case agency.LevelCity:
		return 250
	case agency.LevelCounty:
		return 45
	case agency.LevelTownship:
		return 1.2
	}
	if len(a.RegionCode) == 4 {
		return 14 // a city's department
	}
	return 3
}

// itemWeights is how an outcome group divides among its items.
func itemWeights(group string) []float64 {
	switch group {
	case metrics.OutcomeRefused:
		return []float64{0.05, 0.1, 0.05, 0.3, 0.15, 0.25, 0.05, 0.05}
	case metrics.OutcomeUnavailable:
		return []float64{0.7, 0.2, 0.1}
	case metrics.OutcomeNotProcessed:
		return []float64{0.4, 0.3, 0.1, 0.1, 0.1}
	}
	return []float64{0.3, 0.1, 0.6}
}

// reviewGroup draws a 表四 group with mean total mu: upheld, corrected,
// other, pending, total.
func reviewGroup(rng *rand.Rand, mu float64) [5]float64 {
	total := poisson(rng, mu)
	parts := allocate(total, []float64{0.65, 0.15, 0.1, 0.1})
	return [5]float64{parts[0], parts[1], parts[2], parts[3], total}
}

// allocate divides n (a whole number) by weights, largest remainders
// first, so the parts are whole and sum to n.
func allocate(n float64, weights []float64) []float64 {
	out := make([]float64, len(weights))
	total := sum(weights)
	if n <= 0 || total <= 0 {
		return out
	}
	rem := make([]float64, len(weights))
	left := n
	for i, w := range weights {
		x := n * w / total
		out[i] = math.Floor(x)
		rem[i] = x - out[i]
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// poisson draws a Poisson count (normal approximation above 30).
func poisson(rng *rand.Rand, mu float64) float64 {
	if mu <= 0 {
		return 0
	}
	if mu > 30 {
		return math.Max(0, math.Round(mu+rng.NormFloat64()*math.Sqrt(mu)))
	}
	l, k, p := math.Exp(-mu), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Built is one agency-year as loaded: the captures of its URL and the
// report parsed from each.
type Built struct {
	Captures []warehouse.Capture
	Loads    []warehouse.ReportLoad
}

// bodyName is the name a division's government signs its report with.
func bodyName(a agency.Agency) string {
	switch {
	case a.Level == agency.LevelDepartment:
		return a.Name
	case strings.HasSuffix(a.Name, "街道"):
		return a.Name + "办事处"
	}
	return a.Name + "人民政府"
}

// registration is the crawl source that reaches an agency's report: a
// township's is its county's portal; every other agency has its own.
func (g *Generator) registration(a agency.Agency) warehouse.Registration {
	if a.Level == agency.LevelTownship {
		if c, ok := g.dir.Get(a.ParentID); ok && !c.Placeholder {
			return warehouse.Registration{Name: bodyName(c), Level: c.Level, RegionCode: c.ID}
		}
	}
	return warehouse.Registration{Name: bodyName(a), Level: a.Level, RegionCode: a.RegionCode}
}

// Build returns the captures and reports of p (none when Missing).
func (g *Generator) Build(p Plan) Built {
	if p.Missing {
		return Built{}
	}
	t, f := g.figures(p)
	reg := g.registration(p.Agency)
	var b Built
	versions := []time.Time{p.FirstFetch}
	if p.Edited {
		versions = append(versions, p.EditedAt)
	}
	for v, at := range versions {
		r := g.report(p, t, f, len(versions)-1-v)
		digest := fmt.Sprintf("sha1:SYNTH%s", hash32(p.Agency.ID, strconv.Itoa(p.Year), strconv.Itoa(v)))
		c := warehouse.Capture{
			URL: p.URL, FetchedAt: at, Status: 200, ContentType: "text/html; charset=utf-8", Charset: "utf-8",
			PayloadDigest: digest, PayloadLength: int64(8000 + 40*len(r.Facts)),
			WARCFile: fmt.Sprintf("synth-%d.warc.gz", p.Year), WARCOffset: int64(v), WARCLength: 4000,
			WARCRecordID: "urn:uuid:synth-" + hash32(p.Agency.ID, strconv.Itoa(p.Year), strconv.Itoa(v)),
			Kind:         "page", Depth: 2, Source: reg, RecordType: warehouse.RecordResponse,
		}
		c.ID = warehouse.CaptureID(c.URL, c.FetchedAt, c.PayloadDigest)
		b.Captures = append(b.Captures, c)
		b.Loads = append(b.Loads, warehouse.ReportLoad{
			Report: r, CaptureID: c.ID, SourceURL: p.URL, PayloadDigest: digest, FetchedAt: at,
			WARCFile: c.WARCFile, WARCOffset: c.WARCOffset, Source: reg,
		})
	}
	return b
}

// hash32 returns 32 hex digits identifying the parts.
func hash32(parts ...string) string {
	return warehouse.CaptureID(strings.Join(parts, "\x00"), time.Time{}, "")
}

// report builds the parser.Report of p; stale > 0 builds an earlier
// version of an edited report (its proactive count differs).
func (g *Generator) report(p Plan, t table3, f figureSet, stale int) *parser.Report {
	name := bodyName(p.Agency)
	r := &parser.Report{
		Source: p.URL, Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", name, p.Year), Agency: name,
		Level: p.Agency.Level, RegionCode: p.Agency.RegionCode, Year: p.Year, Template: p.Template,
		Format: parser.FormatHTML, Status: parser.StatusOK, Publisher: name, Charset: "utf-8",
		IndexNo:       fmt.Sprintf("%s/%d-%05d", strings.ReplaceAll(p.Agency.RegionCode, "/", ""), p.Year+1, len(name)),
		ParserVersion: ParserVersion,
	}
	if !p.Undated {
		r.PublishedAt = p.PublishedAt.Format(time.DateOnly)
	}
	if p.NoData {
		r.Status = parser.StatusNoData
		return r
	}
	proactive := f.ProactiveItems + float64(3*stale)
	if p.Template == "narrative" {
		r.Facts = narrativeFacts(p, f, proactive)
	} else {
		r.Facts = g.tableFacts(p, t, f, proactive)
	}
	r.Checks = r.Verify(g.verify)
	return r
}

// narrativeFacts states a narrative report's figures, each located in the
// sentence that states it.
func narrativeFacts(p Plan, f figureSet, proactive float64) []parser.Fact {
	type stmt struct {
		metric string
		value  float64
		text   string
	}
	stmts := []stmt{
		{metrics.ProactiveItems, proactive, "共主动公开政府信息%s条"},
		{metrics.RequestsNew, f.RequestsNew, "共受理政府信息公开申请%s件"},
		{metrics.RequestsCarriedOver, f.CarriedOver, "上年结转%s件"},
		{metrics.OutcomeTotal, f.Answered, "办结%s件"},
		{metrics.OutcomeGranted, f.Granted, "其中同意公开%s件"},
		{metrics.OutcomePartial, f.Partial, "同意部分公开%s件"},
		{metrics.OutcomeRefused, f.Refused, "不予公开%s件"},
		{metrics.RequestsCarriedForward, f.CarriedForward, "结转下年度%s件"},
		{metrics.FeesAmount, f.Fees, "收取费用%s元"},
	}
	if !p.Incomplete {
		stmts = append(stmts,
			stmt{metrics.ReviewsTotal, f.Reviews[4], "发生行政复议%s件"},
			stmt{metrics.LawsuitsTotal, f.LawsuitsTotal, "行政诉讼%s件"})
	}
	out := make([]parser.Fact, 0, len(stmts))
	pos := 40
	for _, s := range stmts {
		text := fmt.Sprintf(s.text, strconv.FormatFloat(s.value, 'f', -1, 64))
		n := len([]rune(text))
		out = append(out, parser.Fact{Metric: s.metric, Applicant: metrics.Total, Value: s.value,
			Locator: parser.Locator{Start: pos, End: pos + n, Text: text}})
		pos += n + 30
	}
	return out
}

// tableFacts states a table report's figures with their cells.
func (g *Generator) tableFacts(p Plan, t table3, f figureSet, proactive float64) []parser.Fact {
	out := make([]parser.Fact, 0, 4*len(g.rows)+24)
	heads := [3]string{"自然人", "商业企业", "其他"}
	labels := g.labels
	for _, m := range g.rows {
		if p.Template == "table2019" && strings.HasPrefix(m, metrics.OutcomeOther+".") {
			continue // （六）其他处理 is one row in the 2019 format
		}
		vals := t.get(m)
		total := vals[0] + vals[1] + vals[2]
		if m == metrics.OutcomeTotal {
			total = f.Answered // off by one when inconsistent
		}
		for c, a := range columns() {
			out = append(out, parser.Fact{Metric: m, Applicant: a, Value: vals[c],
				Locator: parser.Locator{Table: "table3", Row: labels[m], Column: heads[c]}})
		}
		out = append(out, parser.Fact{Metric: m, Applicant: metrics.Total, Value: total,
			Locator: parser.Locator{Table: "table3", Row: labels[m], Column: "总计"}})
	}
	if !p.Incomplete {
		groupNames := []string{"行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"}
		resultNames := []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
		for gi, grp := range [][5]float64{f.Reviews, f.LawsuitsDirect, f.LawsuitsAfterReview} {
			for k, res := range metrics.ReviewResults() {
				out = append(out, parser.Fact{Metric: metrics.ReviewGroups()[gi] + "." + res, Applicant: metrics.Total,
					Value: grp[k], Locator: parser.Locator{Table: "table4", Row: groupNames[gi], Column: resultNames[k]}})
			}
		}
		out = append(out, parser.Fact{Metric: metrics.LawsuitsTotal, Applicant: metrics.Total, Value: f.LawsuitsTotal,
			Derived: true, Locator: parser.Locator{Table: "table4", Row: "行政诉讼", Column: "总计"}})
	}
	out = append(out, parser.Fact{Metric: metrics.ProactiveItems, Applicant: metrics.Total, Value: proactive,
		Locator: parser.Locator{Start: 120, End: 134, Text: fmt.Sprintf("共主动公开政府信息%.0f条", proactive)}})
	cols := [3]string{"issued", "repealed", "in_force"}
	if p.Template == "table2019" {
		cols = [3]string{"made", "published", "total_published"}
	}
	for i, row := range []string{"rules", "normative_docs"} {
		for k, col := range cols {
			out = append(out, parser.Fact{Metric: "table2." + row + "." + col, Applicant: metrics.Total,
				Value: float64((i + 1) * (k + 1)), Locator: parser.Locator{Table: "table2", Row: row, Column: col}})
		}
	}
	return out
}

// table3Labels are the printed row labels of table 三.
func table3Labels() map[string]string {
	return map[string]string{
		metrics.RequestsNew:                     "一、本年新收政府信息公开申请数量",
		metrics.RequestsCarriedOver:             "二、上年结转政府信息公开申请数量",
		metrics.OutcomeGranted:                  "（一）予以公开",
		metrics.OutcomePartial:                  "（二）部分公开",
		metrics.OutcomeRefused:                  "（三）不予公开",
		metrics.OutcomeRefusedStateSecret:       "1.属于国家秘密",
		metrics.OutcomeRefusedLawProhibited:     "2.其他法律行政法规禁止公开",
		metrics.OutcomeRefusedSecurityStability: "3.危及“三安全一稳定”",
		metrics.OutcomeRefusedThirdParty:        "4.保护第三方合法权益",
		metrics.OutcomeRefusedInternalAffairs:   "5.属于三类内部事务信息",
		metrics.OutcomeRefusedProcessInfo:       "6.属于四类过程性信息",
		metrics.OutcomeRefusedEnforcementFile:   "7.属于行政执法案卷",
		metrics.OutcomeRefusedInquiry:           "8.属于行政查询事项",
		metrics.OutcomeUnavailable:              "（四）无法提供",
		metrics.OutcomeUnavailableNotHeld:       "1.本机关不掌握相关政府信息",
		metrics.OutcomeUnavailableNeedsCreation: "2.没有现成信息需要另行制作",
		metrics.OutcomeUnavailableUnclear:       "3.补正后申请内容仍不明确",
		metrics.OutcomeNotProcessed:             "（五）不予处理",
		metrics.OutcomeNotProcessedPetition:     "1.信访举报投诉类申请",
		metrics.OutcomeNotProcessedRepeat:       "2.重复申请",
		metrics.OutcomeNotProcessedPublication:  "3.要求提供公开出版物",
		metrics.OutcomeNotProcessedExcessive:    "4.无正当理由大量反复申请",
		metrics.OutcomeNotProcessedConfirmation: "5.要求行政机关确认或重新出具已获取信息",
		metrics.OutcomeOther:                    "（六）其他处理",
		metrics.OutcomeOtherOverdueCorrection:   "1.申请人无正当理由逾期不补正",
		metrics.OutcomeOtherUnpaidFee:           "2.申请人逾期未按收费通知要求缴纳费用",
		metrics.OutcomeOtherOther:               "3.其他",
		metrics.OutcomeTotal:                    "（七）总计",
		metrics.RequestsCarriedForward:          "四、结转下年度继续办理",
	}
}
