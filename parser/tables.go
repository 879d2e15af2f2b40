package parser

import (
	"strings"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/numerals"
)

// Table names used in Locator.Table.
const (
	table2 = "table2"
	table3 = "table3"
	table4 = "table4"
)

// Zones of the token stream: which template table the cells belong to.
const (
	zoneNone = 0
	zoneT2   = 2
	zoneT3   = 3
	zoneT4   = 4
)

// maxFrags is how many label fragments are kept as a row's label: layout
// text wraps long labels over up to three lines.
const maxFrags = 4

// tableReader walks the token stream and reads the template tables 二, 三
// and 四. A row's values are the numbers that follow its label up to the
// next label; a label followed by no numbers has none (labels are never
// shifted onto later numbers).
type tableReader struct {
	tmpl  string
	col   *collector
	zone  int
	frags []string
	group int // table 三 outcome group in force: 1–7 for （一）–（七）

	labels bool // template table labels were seen
	read   int  // figures read from tables
}

func (r *tableReader) run(toks []token) {
	for i := 0; i < len(toks); {
		t := toks[i]
		switch t.kind {
		case tokLabel:
			r.label(t.text)
			i++
		case tokRowEnd:
			r.frags = r.frags[:0]
			i++
		case tokTableEnd:
			r.frags = r.frags[:0]
			i++
		default:
			j := i
			for j < len(toks) && (toks[j].kind == tokNum || toks[j].kind == tokBlank) {
				j++
			}
			r.values(toks[i:j])
			r.frags = r.frags[:0]
			i = j
		}
	}
}

// label records a label cell and updates the zone and outcome group.
func (r *tableReader) label(text string) {
	c := compact(text)
	if c == "" {
		return
	}
	switch {
	case opensTable3(c):
		r.zone = zoneT3
		r.labels = true
	case isSectionHeading(c):
		switch {
		case strings.Contains(c, "主动公开"):
			r.zone = zoneT2
		case strings.Contains(c, "收到和处理") || strings.Contains(c, "依申请"):
			r.zone = zoneT3
		case strings.Contains(c, "行政复议") || strings.Contains(c, "行政诉讼"):
			r.zone = zoneT4
		default:
			r.zone = zoneNone
		}
	case strings.HasPrefix(c, "第二十条") || c == "信息内容":
		r.zone = zoneT2
		r.labels = true
	case r.zone != zoneT4 && runeLen(c) <= 40 && !strings.Contains(c, "。") &&
		(strings.Contains(c, "行政复议") && (r.zone == zoneT3 || strings.Contains(c, "行政诉讼")) ||
			strings.Contains(c, "未经复议直接起诉") || strings.Contains(c, "复议后起诉")):
		r.zone = zoneT4
		r.labels = true
	}
	if r.zone == zoneT3 {
		if g := groupOf(c); g > 0 {
			r.group = g
		}
	}
	if r.zone == zoneT2 && t2Row(c) != nil {
		r.labels = true
	}
	if len(r.frags) == maxFrags {
		copy(r.frags, r.frags[1:])
		r.frags = r.frags[:maxFrags-1]
	}
	r.frags = append(r.frags, c)
}

// opensTable3 reports whether a label can only belong to table 三: its
// header or its distinctive first rows.
func opensTable3(c string) bool {
	if runeLen(c) > 60 || strings.Contains(c, "。") {
		return false
	}
	for _, k := range []string{"本年新收", "上年结转", "本年度办理结果", "申请人情况", "勾稽关系", "结转下年度继续办理"} {
		if strings.Contains(c, k) {
			return true
		}
	}
	return c == "自然人" || c == "法人或其他组织"
}

// isSectionHeading reports whether c opens one of the report's numbered
// sections ("三、收到和处理政府信息公开申请情况").
func isSectionHeading(c string) bool {
	p := headingPrefix(c)
	if p == "" || !strings.HasSuffix(p, "、") || p[0] == '(' || p[0] >= '0' && p[0] <= '9' {
		return false
	}
	return runeLen(c) <= 40 && strings.HasSuffix(c, "情况") || strings.Contains(c, "存在的主要问题") || strings.Contains(c, "其他需要报告")
}

// groupOf returns the outcome group a table 三 label opens, from its
// （一）–（七） numbering, or 0.
func groupOf(c string) int {
	p := headingPrefix(c)
	if len(p) < 3 || p[0] != '(' {
		return 0
	}
	v, ok := numerals.ParseChinese(p[1 : len(p)-1])
	if !ok || v < 1 || v > 7 {
		return 0
	}
	return int(v)
}

// values handles a run of value cells.
func (r *tableReader) values(run []token) {
	switch r.zone {
	case zoneT2:
		r.table2(run)
	case zoneT3:
		r.table3(run)
	case zoneT4:
		r.table4(run)
	default:
		// A table 三 whose header was lost: its first rows are distinctive.
		if len(r.frags) > 0 {
			switch t3Code(r.frags[len(r.frags)-1], 0) {
			case metrics.RequestsNew, metrics.RequestsCarriedOver:
				r.zone = zoneT3
				r.labels = true
				r.table3(run)
			}
		}
	}
}

// match3 finds the table 三 row the current label fragments name: the last
// fragment alone, else joined with the one or two before it (labels wrapped
// over lines).
func (r *tableReader) match3() (code, label string) {
	n := len(r.frags)
	for k := 1; k <= 3 && k <= n; k++ {
		label = strings.Join(r.frags[n-k:], "")
		if code = t3Code(label, r.group); code != "" {
			return code, label
		}
	}
	return "", ""
}

// t3Rules maps keywords of table 三 row labels to metric codes, most
// specific first. A label matches the first rule one of whose keywords it
// contains.
func t3Rules() []struct {
	code string
	keys []string
} {
	return []struct {
		code string
		keys []string
	}{
		{metrics.RequestsNew, []string{"本年新收"}},
		{metrics.RequestsCarriedOver, []string{"上年结转"}},
		{metrics.RequestsCarriedForward, []string{"结转下年度", "下年度继续办理", "转下年度"}},
		{metrics.OutcomeGranted, []string{"予以公开"}},
		{metrics.OutcomePartial, []string{"部分公开"}},
		{metrics.OutcomeRefusedStateSecret, []string{"国家秘密"}},
		{metrics.OutcomeRefusedLawProhibited, []string{"法律行政法规禁止", "法律法规禁止", "行政法规禁止"}},
		{metrics.OutcomeRefusedSecurityStability, []string{"三安全", "一稳定"}},
		{metrics.OutcomeRefusedThirdParty, []string{"第三方"}},
		{metrics.OutcomeRefusedInternalAffairs, []string{"内部事务"}},
		{metrics.OutcomeRefusedProcessInfo, []string{"过程性"}},
		{metrics.OutcomeRefusedEnforcementFile, []string{"执法案卷"}},
		{metrics.OutcomeRefusedInquiry, []string{"查询事项", "行政查询"}},
		{metrics.OutcomeUnavailableNotHeld, []string{"不掌握"}},
		{metrics.OutcomeUnavailableNeedsCreation, []string{"另行制作", "没有现成信息"}},
		{metrics.OutcomeUnavailableUnclear, []string{"补正后", "仍不明确"}},
		{metrics.OutcomeNotProcessedPetition, []string{"信访", "举报投诉"}},
		{metrics.OutcomeNotProcessedRepeat, []string{"重复申请"}},
		{metrics.OutcomeNotProcessedPublication, []string{"公开出版物"}},
		{metrics.OutcomeNotProcessedExcessive, []string{"大量反复", "反复申请"}},
		{metrics.OutcomeNotProcessedConfirmation, []string{"重新出具", "确认或重新", "行政机关确认"}},
		{metrics.OutcomeOtherOverdueCorrection, []string{"逾期不补正", "不补正"}},
		{metrics.OutcomeOtherUnpaidFee, []string{"缴纳费用", "收费通知"}},
		{metrics.OutcomeTotal, []string{"总计", "合计"}},
		{metrics.OutcomeRefused, []string{"不予公开"}},
		{metrics.OutcomeUnavailable, []string{"无法提供"}},
		{metrics.OutcomeNotProcessed, []string{"不予处理"}},
		{metrics.OutcomeOther, []string{"其他处理"}},
	}
}

// t3Code returns the metric of a table 三 row label, or "". group is the
// outcome group in force, needed for the bare item "3.其他" of （六）.
func t3Code(label string, group int) string {
	for _, rule := range t3Rules() {
		for _, k := range rule.keys {
			if strings.Contains(label, k) {
				return rule.code
			}
		}
	}
	if group == 6 {
		rest := strings.TrimPrefix(label, headingPrefix(label))
		if rest == "其他" || rest == "其它" {
			return metrics.OutcomeOtherOther
		}
	}
	return ""
}

// applicantHeaders are the table 三 column labels in template order.
func applicantHeaders() []string {
	return []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
}

func (r *tableReader) table3(run []token) {
	code, label := r.match3()
	if code == "" {
		return
	}
	vals, ok := applicantValues(run)
	if !ok {
		return
	}
	apps := metrics.Applicants()
	heads := applicantHeaders()
	for i, v := range vals {
		if v == nil {
			continue
		}
		r.col.add(Fact{Metric: code, Applicant: apps[i], Value: v.Value, Approximate: v.Approximate,
			Locator: Locator{Table: table3, Row: label, Column: heads[i]}})
		r.read++
	}
	if vals[6] == nil {
		// 总计 left blank: derive it from the six columns when all are stated.
		sum := 0.0
		for _, v := range vals[:6] {
			if v == nil {
				return
			}
			sum += v.Value
		}
		r.col.add(Fact{Metric: code, Applicant: metrics.Total, Value: sum, Derived: true,
			Locator: Locator{Table: table3, Row: label, Column: heads[6]}})
	}
}

// applicantValues maps a table 三 row's value cells to the seven applicant
// columns. A grid row gives seven positions (blanks absent); a text
// rendering, which loses blanks, gives seven numbers, or six when the 总计
// column was left blank.
func applicantValues(run []token) ([]*numerals.Figure, bool) {
	for len(run) > 7 && run[len(run)-1].kind == tokBlank {
		run = run[:len(run)-1]
	}
	if len(run) > 7 {
		run = run[len(run)-7:]
	}
	out := make([]*numerals.Figure, 7)
	switch len(run) {
	case 7:
		for i, t := range run {
			if t.kind == tokNum {
				f := t.fig
				out[i] = &f
			}
		}
	case 6:
		sum := 0.0
		for i, t := range run {
			if t.kind != tokNum {
				return nil, false
			}
			if i < 5 {
				sum += t.fig.Value
			}
		}
		if last := run[5].fig.Value; last != 0 && sum == last {
			// Five columns and their total: which column is missing is
			// unknowable.
			return nil, false
		}
		for i, t := range run {
			f := t.fig
			out[i] = &f
		}
	default:
		return nil, false
	}
	return out, true
}

// table4 reads the one data row of table 四: fifteen values, five per group.
func (r *tableReader) table4(run []token) {
	for len(run) > 15 && run[len(run)-1].kind == tokBlank {
		run = run[:len(run)-1]
	}
	if len(run) != 15 {
		return
	}
	groups := metrics.ReviewGroups()
	results := metrics.ReviewResults()
	groupNames := []string{"行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"}
	resultNames := []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
	for g, group := range groups {
		for k, res := range results {
			t := run[g*5+k]
			if t.kind != tokNum {
				continue
			}
			r.col.add(Fact{Metric: group + "." + res, Applicant: metrics.Total, Value: t.fig.Value,
				Approximate: t.fig.Approximate,
				Locator:     Locator{Table: table4, Row: groupNames[g], Column: resultNames[k]}})
			r.read++
		}
	}
	r.zone = zoneNone
}

// t2Spec describes one table 二 row: its code stem and, per template, the
// column codes and header labels.
type t2Spec struct {
	stem    string
	cols19  []string
	heads19 []string
	cols21  []string
	heads21 []string
}

// t2Row returns the spec of a table 二 row label, or nil.
func t2Row(c string) *t2Spec {
	c = strings.TrimPrefix(c, headingPrefix(c))
	docs19 := []string{"made", "published", "total_published"}
	docsH19 := []string{"本年新制作数量", "本年新公开数量", "对外公开总数量"}
	docs21 := []string{"issued", "repealed", "in_force"}
	docsH21 := []string{"本年制发件数", "本年废止件数", "现行有效件数"}
	items19 := []string{"prev_items", "change", "decisions"}
	itemsH19 := []string{"上一年项目数量", "本年增/减", "处理决定数量"}
	dec21 := []string{"decisions"}
	decH21 := []string{"本年处理决定数量"}
	switch c {
	case "规章":
		return &t2Spec{"rules", docs19, docsH19, docs21, docsH21}
	case "规范性文件", "行政规范性文件":
		return &t2Spec{"normative_docs", docs19, docsH19, docs21, docsH21}
	case "其他主动公开文件":
		return &t2Spec{"other_docs", docs19, docsH19, docs21, docsH21}
	case "行政许可":
		return &t2Spec{"licensing", items19, itemsH19, dec21, decH21}
	case "其他对外管理服务事项":
		return &t2Spec{"other_services", items19, itemsH19, dec21, decH21}
	case "行政处罚":
		return &t2Spec{"penalties", items19, itemsH19, dec21, decH21}
	case "行政强制":
		return &t2Spec{"enforcement", items19, itemsH19, dec21, decH21}
	case "行政事业性收费":
		return &t2Spec{"fees", items19[:2], itemsH19[:2], []string{"amount_wan_yuan"}, []string{"本年收费金额(单位:万元)"}}
	case "政府集中采购":
		return &t2Spec{"procurement", []string{"projects", "amount"}, []string{"采购项目数量", "采购总金额"}, nil, nil}
	}
	return nil
}

func (r *tableReader) table2(run []token) {
	if len(r.frags) == 0 {
		return
	}
	label := r.frags[len(r.frags)-1]
	spec := t2Row(label)
	if spec == nil {
		return
	}
	cols, heads := spec.cols21, spec.heads21
	switch {
	case r.tmpl == TemplateTable2019:
		cols, heads = spec.cols19, spec.heads19
	case r.tmpl == TemplateTable2021:
	case len(trimBlanks(run, len(spec.cols19))) == len(spec.cols19) && len(trimBlanks(run, len(spec.cols21))) != len(spec.cols21):
		cols, heads = spec.cols19, spec.heads19
	}
	// Blank cells padding the row (colspan leftovers) go; a blank within
	// the template's columns keeps its position.
	run = trimBlanks(run, len(cols))
	if len(run) != len(cols) {
		return
	}
	for i, t := range run {
		if t.kind != tokNum {
			continue
		}
		r.col.add(Fact{Metric: "table2." + spec.stem + "." + cols[i], Applicant: metrics.Total,
			Value: t.fig.Value, Approximate: t.fig.Approximate,
			Locator: Locator{Table: table2, Row: label, Column: heads[i]}})
		r.read++
	}
}

// trimBlanks drops trailing blank cells while the run is longer than n.
func trimBlanks(run []token, n int) []token {
	for len(run) > n && run[len(run)-1].kind == tokBlank {
		run = run[:len(run)-1]
	}
	return run
}
