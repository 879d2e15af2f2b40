package render

import (
	"fmt"

	"github.com/nianbao/nianbao/metrics"
)

// TemplateTable2019 is the 2019 (试行) national format, 国办公开办函〔2019〕60号,
// used for reports on 2019 and 2020 and by some bodies until 2023.
const TemplateTable2019 = "table2019"

// Table 二 (2019 format) metric codes, following the parser's. The
// decisions columns of 行政许可, 行政处罚 and 行政强制 have the 2021 codes
// (Table2LicensingDecisions and so on).
const (
	Table2RulesMade               = "table2.rules.made"                     // 规章 · 本年新制作数量
	Table2RulesPublished          = "table2.rules.published"                // 规章 · 本年新公开数量
	Table2RulesTotalPublished     = "table2.rules.total_published"          // 规章 · 对外公开总数量
	Table2NormativeMade           = "table2.normative_docs.made"            // 规范性文件 · 本年新制作数量
	Table2NormativePublished      = "table2.normative_docs.published"       // 规范性文件 · 本年新公开数量
	Table2NormativeTotalPublished = "table2.normative_docs.total_published" // 规范性文件 · 对外公开总数量
	Table2LicensingPrevItems      = "table2.licensing.prev_items"           // 行政许可 · 上一年项目数量
	Table2LicensingChange         = "table2.licensing.change"               // 行政许可 · 本年增/减
	Table2ServicesPrevItems       = "table2.other_services.prev_items"      // 其他对外管理服务事项 · 上一年项目数量
	Table2ServicesChange          = "table2.other_services.change"          // 其他对外管理服务事项 · 本年增/减
	Table2ServicesDecisions       = "table2.other_services.decisions"       // 其他对外管理服务事项 · 处理决定数量
	Table2PenaltyPrevItems        = "table2.penalties.prev_items"           // 行政处罚 · 上一年项目数量
	Table2PenaltyChange           = "table2.penalties.change"               // 行政处罚 · 本年增/减
	Table2CoercionPrevItems       = "table2.enforcement.prev_items"         // 行政强制 · 上一年项目数量
	Table2CoercionChange          = "table2.enforcement.change"             // 行政强制 · 本年增/减
	Table2FeesPrevItems           = "table2.fees.prev_items"                // 行政事业性收费 · 上一年项目数量
	Table2FeesChange              = "table2.fees.change"                    // 行政事业性收费 · 本年增/减
	Table2ProcurementProjects     = "table2.procurement.projects"           // 政府集中采购 · 采购项目数量
	Table2ProcurementAmount       = "table2.procurement.amount"             // 政府集中采购 · 采购总金额
)

// Table2019Codes returns the table 二 codes of the 2019 format in template
// order.
func Table2019Codes() []string {
	return []string{
		Table2RulesMade, Table2RulesPublished, Table2RulesTotalPublished,
		Table2NormativeMade, Table2NormativePublished, Table2NormativeTotalPublished,
		Table2LicensingPrevItems, Table2LicensingChange, Table2LicensingDecisions,
		Table2ServicesPrevItems, Table2ServicesChange, Table2ServicesDecisions,
		Table2PenaltyPrevItems, Table2PenaltyChange, Table2PenaltyDecisions,
		Table2CoercionPrevItems, Table2CoercionChange, Table2CoercionDecisions,
		Table2FeesPrevItems, Table2FeesChange,
		Table2ProcurementProjects, Table2ProcurementAmount,
	}
}

// table2019 writes a report in the 2019 (试行) national format: table 二 with
// the 第二十条第（九）项 procurement block and 2019's columns (本年新制作数量,
// 上一年项目数量, 本年增/减 …), table 三 with （六）其他处理 as one row, and
// table 四 as in 2021. Prose may restate the year's new requests, as
// 总体情况 sections often do.
func (b *builder) table2019() {
	r := b.r
	place := r.place()
	y := r.Year

	intro := []string{
		"本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求编制。本报告中所列数据的统计期限自%d年1月1日起至%d年12月31日止。",
		"根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式（试行）》要求，编制本报告。所列数据的统计期限自%d年1月1日起至%d年12月31日止。",
	}
	b.paragraph(fmt.Sprintf(intro[b.pick("intro-2019", len(intro))], y, y))

	b.heading("一、总体情况")
	b.paragraph(fmt.Sprintf("%d年，%s认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，扎实推进政府信息公开。", y, place))
	if b.pick("proactive-prose-2019", 10) < 6 {
		b.paragraph(fmt.Sprintf("（一）主动公开。全年共主动公开政府信息%s条，涉及政策文件、财政预决算、重点项目等内容。", b.state(metrics.ProactiveItems, metrics.Total)))
	} else {
		b.paragraph("（一）主动公开。通过政府门户网站、政务公开栏及时公开政策文件、财政预决算等信息。")
	}
	if b.pick("requests-prose-2019", 10) < 4 {
		// Restates table 三's first row, as many reports do.
		b.paragraph(fmt.Sprintf("（二）依申请公开。全年共收到政府信息公开申请%s件，均在法定期限内答复。", b.state(metrics.RequestsNew, metrics.Total)))
	} else {
		b.paragraph("（二）依申请公开。严格按照法定程序受理、办理政府信息公开申请。")
	}
	b.paragraph("（三）政府信息管理。落实公开前保密审查，动态调整主动公开基本目录。")
	b.paragraph("（四）平台建设。持续完善政府信息公开专栏。")
	b.paragraph("（五）监督保障。将政务公开纳入年度绩效考核。")

	b.heading("二、主动公开政府信息情况")
	b.table(b.table2Of2019())
	b.heading("三、收到和处理政府信息公开申请情况")
	b.table(b.table3Of2019())
	b.heading("四、政府信息公开行政复议、行政诉讼情况")
	b.table(b.table4())

	b.heading("五、存在的主要问题及改进情况")
	b.paragraph("一是公开的主动性有待增强，二是解读形式较为单一。下一步将加强培训，丰富解读形式。")
	b.heading("六、其他需要报告的事项")
	if b.pick("fees-prose-2019", 10) < 8 {
		if b.value(metrics.FeesAmount) == 0 {
			b.state(metrics.FeesAmount, metrics.Total)
			b.paragraph(fmt.Sprintf("%d年度未收取政府信息公开处理费。", y))
		} else {
			b.paragraph(fmt.Sprintf("%d年度共收取信息处理费%s元。", y, b.state(metrics.FeesAmount, metrics.Total)))
		}
	} else {
		b.paragraph("无其他需要报告的事项。")
	}
}

// fig2019 returns a table 二 figure cell of the 2019 format, or a blank
// cell when the report has no such figure (it is then not stated).
func (b *builder) fig2019(metric string, colspan int) Cell {
	if _, ok := b.r.Values.Get(metric, metrics.Total); !ok {
		return Cell{ColSpan: colspan}
	}
	return Cell{Text: b.state(metric, metrics.Total), ColSpan: colspan}
}

// table2Of2019 is 主动公开政府信息情况, 2019 (试行) format: four columns.
func (b *builder) table2Of2019() *Table {
	t := &Table{}
	row := func(cells ...Cell) { t.Rows = append(t.Rows, cells) }
	normative := "规范性文件"
	if b.pick("normative-2019", 4) == 0 {
		normative = "行政规范性文件"
	}
	row(header("第二十条第（一）项", 1, 4))
	row(header("信息内容", 1, 1), header("本年新制作数量", 1, 1), header("本年新公开数量", 1, 1), header("对外公开总数量", 1, 1))
	row(header("规章", 1, 1), b.fig2019(Table2RulesMade, 1), b.fig2019(Table2RulesPublished, 1), b.fig2019(Table2RulesTotalPublished, 1))
	row(header(normative, 1, 1), b.fig2019(Table2NormativeMade, 1), b.fig2019(Table2NormativePublished, 1), b.fig2019(Table2NormativeTotalPublished, 1))
	row(header("第二十条第（五）项", 1, 4))
	row(header("信息内容", 1, 1), header("上一年项目数量", 1, 1), header("本年增/减", 1, 1), header("处理决定数量", 1, 1))
	row(header("行政许可", 1, 1), b.fig2019(Table2LicensingPrevItems, 1), b.fig2019(Table2LicensingChange, 1), b.fig2019(Table2LicensingDecisions, 1))
	row(header("其他对外管理服务事项", 1, 1), b.fig2019(Table2ServicesPrevItems, 1), b.fig2019(Table2ServicesChange, 1), b.fig2019(Table2ServicesDecisions, 1))
	row(header("第二十条第（六）项", 1, 4))
	row(header("信息内容", 1, 1), header("上一年项目数量", 1, 1), header("本年增/减", 1, 1), header("处理决定数量", 1, 1))
	row(header("行政处罚", 1, 1), b.fig2019(Table2PenaltyPrevItems, 1), b.fig2019(Table2PenaltyChange, 1), b.fig2019(Table2PenaltyDecisions, 1))
	row(header("行政强制", 1, 1), b.fig2019(Table2CoercionPrevItems, 1), b.fig2019(Table2CoercionChange, 1), b.fig2019(Table2CoercionDecisions, 1))
	row(header("第二十条第（八）项", 1, 4))
	row(header("信息内容", 1, 1), header("上一年项目数量", 1, 1), header("本年增/减", 1, 2))
	row(header("行政事业性收费", 1, 1), b.fig2019(Table2FeesPrevItems, 1), b.fig2019(Table2FeesChange, 2))
	row(header("第二十条第（九）项", 1, 4))
	row(header("信息内容", 1, 1), header("采购项目数量", 1, 1), header("采购总金额", 1, 2))
	amount := b.fig2019(Table2ProcurementAmount, 2)
	if amount.Text != "" && b.pick("amount-unit", 4) == 0 {
		amount.Text += "元" // "251000元", as some reports print it
	}
	row(header("政府集中采购", 1, 1), b.fig2019(Table2ProcurementProjects, 1), amount)
	return t
}

// table3Of2019 is 收到和处理政府信息公开申请情况, 2019 format: as 2021's
// but with （六）其他处理 on one row, so 三、本年度办理结果 spans 20 rows.
func (b *builder) table3Of2019() *Table {
	t := &Table{}
	total := "总计"
	if b.pick("total-label-2019", 5) == 0 {
		total = "合计"
	}
	t.Rows = append(t.Rows,
		[]Cell{header(table3Note, 3, 3), header("申请人情况", 1, 7)},
		[]Cell{header("自然人", 2, 1), header("法人或其他组织", 1, 5), header(total, 2, 1)},
		[]Cell{header("商业企业", 1, 1), header("科研机构", 1, 1), header("社会公益组织", 1, 1), header("法律服务机构", 1, 1), header("其他", 1, 1)},
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
	row([]Cell{header("三、本年度办理结果", 20, 1), header("（一）予以公开", 1, 2)}, metrics.OutcomeGranted)
	row([]Cell{header("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)}, metrics.OutcomePartial)
	items, groups := outcomeItemLabels(), outcomeGroupLabels()
	for _, g := range metrics.OutcomeGroups() {
		if g.Code == metrics.OutcomeOther {
			row([]Cell{header(groups[g.Code], 1, 2)}, g.Code)
			continue
		}
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
