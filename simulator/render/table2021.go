package render

import (
	"fmt"

	"github.com/nianbao/nianbao/metrics"
)

// table3Note is the merged top-left cell of table 三.
const table3Note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

// outcomeItemLabels returns the labels of the table 三 outcome items of the
// 2021 format, keyed by metric code (spec/domain.md §2.4).
func outcomeItemLabels() map[string]string {
	return map[string]string{
		metrics.OutcomeRefusedStateSecret:       "1.属于国家秘密",
		metrics.OutcomeRefusedLawProhibited:     "2.其他法律行政法规禁止公开",
		metrics.OutcomeRefusedSecurityStability: "3.危及“三安全一稳定”",
		metrics.OutcomeRefusedThirdParty:        "4.保护第三方合法权益",
		metrics.OutcomeRefusedInternalAffairs:   "5.属于三类内部事务信息",
		metrics.OutcomeRefusedProcessInfo:       "6.属于四类过程性信息",
		metrics.OutcomeRefusedEnforcementFile:   "7.属于行政执法案卷",
		metrics.OutcomeRefusedInquiry:           "8.属于行政查询事项",
		metrics.OutcomeUnavailableNotHeld:       "1.本机关不掌握相关政府信息",
		metrics.OutcomeUnavailableNeedsCreation: "2.没有现成信息需要另行制作",
		metrics.OutcomeUnavailableUnclear:       "3.补正后申请内容仍不明确",
		metrics.OutcomeNotProcessedPetition:     "1.信访举报投诉类申请",
		metrics.OutcomeNotProcessedRepeat:       "2.重复申请",
		metrics.OutcomeNotProcessedPublication:  "3.要求提供公开出版物",
		metrics.OutcomeNotProcessedExcessive:    "4.无正当理由大量反复申请",
		metrics.OutcomeNotProcessedConfirmation: "5.要求行政机关确认或重新出具已获取信息",
		metrics.OutcomeOtherOverdueCorrection:   "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		metrics.OutcomeOtherUnpaidFee:           "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
		metrics.OutcomeOtherOther:               "3.其他",
	}
}

// outcomeGroupLabels returns the labels of the table 三 outcome groups.
func outcomeGroupLabels() map[string]string {
	return map[string]string{
		metrics.OutcomeRefused:      "（三）不予公开",
		metrics.OutcomeUnavailable:  "（四）无法提供",
		metrics.OutcomeNotProcessed: "（五）不予处理",
		metrics.OutcomeOther:        "（六）其他处理",
	}
}

// table2021 writes a report in the 2021 national format.
func (b *builder) table2021() {
	r := b.r
	place := r.place()
	y := r.Year

	b.paragraph(fmt.Sprintf("本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自%d年1月1日起至%d年12月31日止。", y, y))

	b.heading("一、总体情况")
	b.paragraph(fmt.Sprintf("%d年，%s深入贯彻落实《中华人民共和国政府信息公开条例》，紧紧围绕中心工作，不断加大政府信息公开力度，切实保障人民群众的知情权、参与权和监督权。", y, place))
	b.paragraph("（一）主动公开")
	if b.pick("proactive-prose", 10) < 7 {
		b.paragraph(fmt.Sprintf("%d年，通过政府门户网站、政务公开栏等渠道全年共主动公开政府信息%s条，重点公开了乡村振兴、社会救助、安全生产等领域信息。", y, b.state(metrics.ProactiveItems, metrics.Total)))
	} else {
		b.paragraph("通过政府门户网站、政务公开栏等渠道及时公开乡村振兴、社会救助、安全生产等领域信息。")
	}
	b.paragraph("（二）依申请公开")
	b.paragraph("严格执行依申请公开工作流程，规范受理、审查、答复等环节，做到依法依规、按时答复。")
	b.paragraph("（三）政府信息管理")
	b.paragraph("落实信息发布“三审三校”制度，严格做好公开前保密审查。")
	b.paragraph("（四）平台建设")
	b.paragraph("持续完善政府信息公开专栏，及时更新栏目内容。")
	b.paragraph("（五）监督保障")
	b.paragraph("将政务公开工作纳入年度目标考核，主动接受社会监督。")

	b.heading("二、主动公开政府信息情况")
	b.table(b.table2())
	b.heading("三、收到和处理政府信息公开申请情况")
	b.table(b.table3())
	b.heading("四、政府信息公开行政复议、行政诉讼情况")
	b.table(b.table4())

	b.heading("五、存在的主要问题及改进情况")
	b.paragraph("存在的主要问题：一是公开内容不够全面，二是信息发布的及时性有待提高。改进措施：进一步加强业务培训，规范信息发布流程，提升公开质量。")
	b.heading("六、其他需要报告的事项")
	if b.pick("fees-prose", 10) < 9 {
		if b.value(metrics.FeesAmount) == 0 {
			b.state(metrics.FeesAmount, metrics.Total)
			b.paragraph(fmt.Sprintf("%d年度未收取信息处理费。%s无其他需要报告的事项。", y, place))
		} else {
			b.paragraph(fmt.Sprintf("%d年度共收取信息处理费%s元。", y, b.state(metrics.FeesAmount, metrics.Total)))
		}
	} else {
		b.paragraph("无其他需要报告的事项。")
	}
}

// header returns a label cell; a "\n" in label is a line break.
func header(label string, rowspan, colspan int) Cell {
	return Cell{Text: label, RowSpan: rowspan, ColSpan: colspan, Header: true}
}

// table2 is 主动公开政府信息情况, 2021 format.
func (b *builder) table2() *Table {
	t := &Table{}
	row := func(cells ...Cell) { t.Rows = append(t.Rows, cells) }
	fig := func(metric string, colspan int) Cell {
		return Cell{Text: b.state(metric, metrics.Total), ColSpan: colspan}
	}
	row(header("第二十条第（一）项", 1, 4))
	row(header("信息内容", 1, 1), header("本年制发件数", 1, 1), header("本年废止件数", 1, 1), header("现行有效件数", 1, 1))
	row(header("规章", 1, 1), fig(Table2RulesIssued, 1), fig(Table2RulesRepealed, 1), fig(Table2RulesInForce, 1))
	row(header("行政规范性文件", 1, 1), fig(Table2NormativeIssued, 1), fig(Table2NormativeRepealed, 1), fig(Table2NormativeInForce, 1))
	row(header("第二十条第（五）项", 1, 4))
	row(header("信息内容", 1, 1), header("本年处理决定数量", 1, 3))
	row(header("行政许可", 1, 1), fig(Table2LicensingDecisions, 3))
	row(header("第二十条第（六）项", 1, 4))
	row(header("信息内容", 1, 1), header("本年处理决定数量", 1, 3))
	row(header("行政处罚", 1, 1), fig(Table2PenaltyDecisions, 3))
	row(header("行政强制", 1, 1), fig(Table2CoercionDecisions, 3))
	row(header("第二十条第（八）项", 1, 4))
	row(header("信息内容", 1, 1), header("本年收费金额（单位：万元）", 1, 3))
	row(header("行政事业性收费", 1, 1), fig(Table2FeesAmount, 3))
	return t
}

// table3 is 收到和处理政府信息公开申请情况, 2021 format: three label
// columns, then the seven applicant columns.
func (b *builder) table3() *Table {
	t := &Table{}
	broken := b.pick("header-breaks", 3) == 0 // "商业\n企业", as in many pages
	brk := func(s string) string {
		if broken && len([]rune(s)) == 4 {
			rs := []rune(s)
			return string(rs[:2]) + "\n" + string(rs[2:])
		}
		return s
	}
	total := "总计"
	if b.pick("total-label", 5) == 0 {
		total = "合计"
	}
	t.Rows = append(t.Rows,
		[]Cell{header(table3Note, 3, 3), header("申请人情况", 1, 7)},
		[]Cell{header("自然人", 2, 1), header("法人或其他组织", 1, 5), header(total, 2, 1)},
		[]Cell{header(brk("商业企业"), 1, 1), header(brk("科研机构"), 1, 1), header(brk("社会公益组织"), 1, 1), header(brk("法律服务机构"), 1, 1), header("其他", 1, 1)},
	)
	figures := func(metric string) []Cell {
		cells := make([]Cell, 0, 7)
		for _, a := range metrics.Applicants() {
			cells = append(cells, Cell{Text: b.state(metric, a)})
		}
		return cells
	}
	row := func(labels []Cell, metric string) {
		t.Rows = append(t.Rows, append(labels, figures(metric)...))
	}
	row([]Cell{header("一、本年新收政府信息公开申请数量", 1, 3)}, metrics.RequestsNew)
	row([]Cell{header("二、上年结转政府信息公开申请数量", 1, 3)}, metrics.RequestsCarriedOver)
	row([]Cell{header("三、本年度办理结果", 22, 1), header("（一）予以公开", 1, 2)}, metrics.OutcomeGranted)
	row([]Cell{header("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)}, metrics.OutcomePartial)
	items, groups := outcomeItemLabels(), outcomeGroupLabels()
	for _, g := range metrics.OutcomeGroups() {
		for i, it := range g.Items {
			var labels []Cell
			if i == 0 {
				labels = append(labels, header(groups[g.Code], len(g.Items), 1))
			}
			row(append(labels, header(items[it], 1, 1)), it)
		}
	}
	row([]Cell{header("（七）总计", 1, 2)}, metrics.OutcomeTotal)
	row([]Cell{header("四、结转下年度继续办理", 1, 3)}, metrics.RequestsCarriedForward)
	return t
}

// table4 is 政府信息公开行政复议、行政诉讼情况: one row of fifteen figures.
func (b *builder) table4() *Table {
	results := []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
	t := &Table{}
	t.Rows = append(t.Rows, []Cell{header("行政复议", 1, 5), header("行政诉讼", 1, 10)})
	var second, third, figs []Cell
	for _, r := range results {
		second = append(second, header(r, 2, 1))
	}
	second = append(second, header("未经复议直接起诉", 1, 5), header("复议后起诉", 1, 5))
	for range 2 {
		for _, r := range results {
			third = append(third, header(r, 1, 1))
		}
	}
	for _, g := range metrics.ReviewGroups() {
		for _, r := range metrics.ReviewResults() {
			figs = append(figs, Cell{Text: b.state(g+"."+r, metrics.Total)})
		}
	}
	t.Rows = append(t.Rows, second, third, figs)
	return t
}
