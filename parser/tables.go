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
	known map[string]labelInfo // labelTable, read only
	zone  int
	frags []string    // the labels of the current row, compacted
	infos []labelInfo // and what they are
	group int         // table 三 outcome group in force: 1–7 for （一）–（七）
	apps  []metrics.Applicant
	heads []string // applicantHeaders, built on first use

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
			r.frags, r.infos = r.frags[:0], r.infos[:0]
			i++
		case tokTableEnd:
			r.frags, r.infos = r.frags[:0], r.infos[:0]
			i++
		default:
			j := i
			for j < len(toks) && (toks[j].kind == tokNum || toks[j].kind == tokBlank) {
				j++
			}
			r.values(toks[i:j])
			r.frags, r.infos = r.frags[:0], r.infos[:0]
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
	li, ok := r.known[c]
	if !ok {
		li = classifyLabel(c)
	}
	switch {
	case li.kind == labelOpens3:
		r.zone = zoneT3
		r.labels = true
	case li.kind == labelSection:
		r.zone = li.secZone
	case li.kind == labelT2Section:
		r.zone = zoneT2
		r.labels = true
	case li.opensT4(r.zone):
		r.zone = zoneT4
		r.labels = true
	}
	if r.zone == zoneT3 && li.group > 0 {
		r.group = li.group
	}
	if r.zone == zoneT2 && li.t2kind != 0 {
		r.labels = true
	}
	if len(r.frags) == maxFrags {
		copy(r.frags, r.frags[1:])
		copy(r.infos, r.infos[1:])
		r.frags, r.infos = r.frags[:maxFrags-1], r.infos[:maxFrags-1]
	}
	r.frags = append(r.frags, c)
	r.infos = append(r.infos, li)
}

// opensTable3 reports whether a label can only belong to table 三: its
// header or its distinctive first rows.
func opensTable3(c string) bool {
	if len(c) > 4*60 || len(c) > 60 && runeLen(c) > 60 || strings.Contains(c, "。") {
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
		if n := len(r.frags); n > 0 {
			switch r.infos[n-1].t3Code(r.frags[n-1], 0) {
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
	if n == 0 {
		return "", ""
	}
	if code = r.infos[n-1].t3Code(r.frags[n-1], r.group); code != "" {
		return code, r.frags[n-1]
	}
	for k := 2; k <= 3 && k <= n; k++ {
		label = strings.Join(r.frags[n-k:], "")
		if code = t3Code(label, r.group); code != "" {
			return code, label
		}
	}
	return "", ""
}

// t3Code returns the metric of a table 三 row label, or "". Keywords are
// tried most specific first. group is the outcome group in force, needed
// for the bare item "3.其他" of （六）.
func t3Code(label string, group int) string {
	has := strings.Contains
	switch {
	case has(label, "本年新收"):
		return metrics.RequestsNew
	case has(label, "上年结转"):
		return metrics.RequestsCarriedOver
	case has(label, "结转下年度") || has(label, "下年度继续办理") || has(label, "转下年度"):
		return metrics.RequestsCarriedForward
	case has(label, "予以公开"):
		return metrics.OutcomeGranted
	case has(label, "部分公开"):
		return metrics.OutcomePartial
	case has(label, "国家秘密"):
		return metrics.OutcomeRefusedStateSecret
	case has(label, "法律行政法规禁止") || has(label, "法律法规禁止") || has(label, "行政法规禁止"):
		return metrics.OutcomeRefusedLawProhibited
	case has(label, "三安全") || has(label, "一稳定"):
		return metrics.OutcomeRefusedSecurityStability
	case has(label, "第三方"):
		return metrics.OutcomeRefusedThirdParty
	case has(label, "内部事务"):
		return metrics.OutcomeRefusedInternalAffairs
	case has(label, "过程性"):
		return metrics.OutcomeRefusedProcessInfo
	case has(label, "执法案卷"):
		return metrics.OutcomeRefusedEnforcementFile
	case has(label, "查询事项") || has(label, "行政查询"):
		return metrics.OutcomeRefusedInquiry
	case has(label, "不掌握"):
		return metrics.OutcomeUnavailableNotHeld
	case has(label, "另行制作") || has(label, "没有现成信息"):
		return metrics.OutcomeUnavailableNeedsCreation
	case has(label, "补正后") || has(label, "仍不明确"):
		return metrics.OutcomeUnavailableUnclear
	case has(label, "信访") || has(label, "举报投诉"):
		return metrics.OutcomeNotProcessedPetition
	case has(label, "重复申请"):
		return metrics.OutcomeNotProcessedRepeat
	case has(label, "公开出版物"):
		return metrics.OutcomeNotProcessedPublication
	case has(label, "大量反复") || has(label, "反复申请"):
		return metrics.OutcomeNotProcessedExcessive
	case has(label, "重新出具") || has(label, "确认或重新") || has(label, "行政机关确认"):
		return metrics.OutcomeNotProcessedConfirmation
	case has(label, "逾期不补正") || has(label, "不补正"):
		return metrics.OutcomeOtherOverdueCorrection
	case has(label, "缴纳费用") || has(label, "收费通知"):
		return metrics.OutcomeOtherUnpaidFee
	case has(label, "总计") || has(label, "合计"):
		return metrics.OutcomeTotal
	case has(label, "不予公开"):
		return metrics.OutcomeRefused
	case has(label, "无法提供"):
		return metrics.OutcomeUnavailable
	case has(label, "不予处理"):
		return metrics.OutcomeNotProcessed
	case has(label, "其他处理"):
		return metrics.OutcomeOther
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
	vals, stated, ok := applicantValues(run)
	if !ok {
		return
	}
	apps := r.apps
	if apps == nil {
		apps, r.heads = metrics.Applicants(), applicantHeaders()
		r.apps = apps
	}
	heads := r.heads
	for i := range vals {
		if !stated[i] {
			continue
		}
		r.col.add(Fact{Metric: code, Applicant: apps[i], Value: vals[i].Value, Approximate: vals[i].Approximate,
			Locator: Locator{Table: table3, Row: label, Column: heads[i]}})
		r.read++
	}
	if !stated[6] {
		// 总计 left blank: derive it from the six columns when all are stated.
		sum := 0.0
		for i := range vals[:6] {
			if !stated[i] {
				return
			}
			sum += vals[i].Value
		}
		r.col.add(Fact{Metric: code, Applicant: metrics.Total, Value: sum, Derived: true,
			Locator: Locator{Table: table3, Row: label, Column: heads[6]}})
	}
}

// applicantValues maps a table 三 row's value cells to the seven applicant
// columns; stated[i] is false for a blank. A grid row gives seven positions;
// a text rendering, which loses blanks, gives seven numbers, or six when the
// 总计 column was left blank.
func applicantValues(run []token) (vals [7]numerals.Figure, stated [7]bool, ok bool) {
	for len(run) > 7 && run[len(run)-1].kind == tokBlank {
		run = run[:len(run)-1]
	}
	if len(run) > 7 {
		run = run[len(run)-7:]
	}
	switch len(run) {
	case 7:
		for i, t := range run {
			if t.kind == tokNum {
				vals[i], stated[i] = t.figure(), true
			}
		}
	case 6:
		sum := 0.0
		for i, t := range run {
			if t.kind != tokNum {
				return vals, stated, false
			}
			if i < 5 {
				sum += t.value
			}
		}
		if last := run[5].value; last != 0 && sum == last {
			// Five columns and their total: which column is missing is
			// unknowable.
			return vals, stated, false
		}
		for i, t := range run {
			vals[i], stated[i] = t.figure(), true
		}
	default:
		return vals, stated, false
	}
	return vals, stated, true
}

// table4 reads table 四: its one data row of fifteen values, five per
// group, or a group's five values on a row of their own after the group's
// label (portals that print the table one group per row).
func (r *tableReader) table4(run []token) {
	run = trimBlanks(run, 15)
	first := 0
	switch len(run) {
	case 15:
	case 5:
		first = -1
		if n := len(r.frags); n > 0 {
			switch l := r.frags[n-1]; {
			case strings.Contains(l, "复议后起诉"):
				first = 2
			case strings.Contains(l, "直接起诉"):
				first = 1
			case strings.Contains(l, "行政复议"):
				first = 0
			}
		}
		if first < 0 {
			return
		}
	default:
		return
	}
	groups := metrics.ReviewGroups()
	results := metrics.ReviewResults()
	groupNames := []string{"行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"}
	resultNames := []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
	for g := first; g < first+len(run)/5; g++ {
		group := groups[g]
		for k, res := range results {
			t := run[(g-first)*5+k]
			if t.kind != tokNum {
				continue
			}
			r.col.add(Fact{Metric: group + "." + res, Applicant: metrics.Total, Value: t.value,
				Approximate: t.approx,
				Locator:     Locator{Table: table4, Row: groupNames[g], Column: resultNames[k]}})
			r.read++
		}
	}
	if first == 0 && len(run) == 15 || first == 2 {
		r.zone = zoneNone
	}
}

// t2Kind is the column layout of a table 二 row.
type t2Kind int

const (
	t2Docs        t2Kind = iota + 1 // 规章, 规范性文件: counts of documents
	t2Items                         // 行政许可 and the like: items and decisions
	t2Fees                          // 行政事业性收费
	t2Procurement                   // 政府集中采购 (2019 only)
)

// t2Row returns the code stem and layout of a table 二 row label.
func t2Row(c string) (string, t2Kind) {
	c = strings.TrimPrefix(c, headingPrefix(c))
	switch c {
	case "规章":
		return "rules", t2Docs
	case "规范性文件", "行政规范性文件":
		return "normative_docs", t2Docs
	case "其他主动公开文件":
		return "other_docs", t2Docs
	case "行政许可":
		return "licensing", t2Items
	case "其他对外管理服务事项":
		return "other_services", t2Items
	case "行政处罚":
		return "penalties", t2Items
	case "行政强制":
		return "enforcement", t2Items
	case "行政事业性收费":
		return "fees", t2Fees
	case "政府集中采购":
		return "procurement", t2Procurement
	}
	return "", 0
}

// t2Columns returns a layout's column codes and template headers.
func t2Columns(k t2Kind, tmpl string) (cols, heads []string) {
	if tmpl == TemplateTable2019 {
		switch k {
		case t2Docs:
			return []string{"made", "published", "total_published"}, []string{"本年新制作数量", "本年新公开数量", "对外公开总数量"}
		case t2Items:
			return []string{"prev_items", "change", "decisions"}, []string{"上一年项目数量", "本年增/减", "处理决定数量"}
		case t2Fees:
			return []string{"prev_items", "change"}, []string{"上一年项目数量", "本年增/减"}
		case t2Procurement:
			return []string{"projects", "amount"}, []string{"采购项目数量", "采购总金额"}
		}
		return nil, nil
	}
	switch k {
	case t2Docs:
		return []string{"issued", "repealed", "in_force"}, []string{"本年制发件数", "本年废止件数", "现行有效件数"}
	case t2Items:
		return []string{"decisions"}, []string{"本年处理决定数量"}
	case t2Fees:
		return []string{"amount_wan_yuan"}, []string{"本年收费金额(单位:万元)"}
	}
	return nil, nil
}

func (r *tableReader) table2(run []token) {
	if len(r.frags) == 0 {
		return
	}
	label := r.frags[len(r.frags)-1]
	stem, kind := r.infos[len(r.infos)-1].t2stem, r.infos[len(r.infos)-1].t2kind
	if kind == 0 {
		return
	}
	tmpl := r.tmpl
	if tmpl != TemplateTable2019 && tmpl != TemplateTable2021 {
		// Unknown template: the count of values decides where it can.
		c19, _ := t2Columns(kind, TemplateTable2019)
		c21, _ := t2Columns(kind, TemplateTable2021)
		if len(trimBlanks(run, len(c19))) == len(c19) && len(trimBlanks(run, len(c21))) != len(c21) {
			tmpl = TemplateTable2019
		}
	}
	cols, heads := t2Columns(kind, tmpl)
	// Blank cells padding the row (colspan leftovers) go; a blank within
	// the template's columns keeps its position. A one-column row whose
	// value sits among blank cells takes that value.
	run = trimBlanks(run, len(cols))
	if len(cols) == 1 && len(run) > 1 {
		var nums []token
		for _, t := range run {
			if t.kind == tokNum {
				nums = append(nums, t)
			}
		}
		if len(nums) == 1 {
			run = nums
		}
	}
	if len(cols) == 0 || len(run) != len(cols) {
		return
	}
	for i, t := range run {
		if t.kind != tokNum {
			continue
		}
		r.col.add(Fact{Metric: "table2." + stem + "." + cols[i], Applicant: metrics.Total,
			Value: t.value, Approximate: t.approx,
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
