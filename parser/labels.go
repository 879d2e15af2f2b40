package parser

import (
	"strings"

	"github.com/nianbao/nianbao/textnorm"
)

// labelInfo is what the table reader needs to know of a label cell: which
// table it opens, the outcome group it numbers, its table 二 row and the
// keywords table 四 is told by. It is computed once per label, and for the
// labels of the national templates once per Parser (see labelTable).
type labelInfo struct {
	kind    labelKind
	secZone int // the zone a section heading opens
	group   int // the table 三 outcome group a （一）–（七） label opens
	t2stem  string
	t2kind  t2Kind
	// short is a label of at most 40 characters and no 。: a table 四
	// header rather than prose mentioning 行政复议. The keyword flags are
	// set for short labels only.
	short                                   bool
	review, suit, direct, directFull, after bool // 行政复议, 行政诉讼, 直接起诉, 未经复议直接起诉, 复议后起诉
	// known is set for template labels, whose table 三 codes are computed
	// in advance: t3 out of the （六） group and t3six in it.
	known     bool
	t3, t3six string
}

// labelKind is the role a label has regardless of context.
type labelKind uint8

const (
	labelPlain     labelKind = iota
	labelOpens3              // a table 三 header or first row (opensTable3)
	labelSection             // a numbered section heading
	labelT2Section           // 第二十条… or 信息内容: table 二
)

// classifyLabel computes the labelInfo of a compacted label.
func classifyLabel(c string) labelInfo {
	var li labelInfo
	switch {
	case opensTable3(c):
		li.kind = labelOpens3
	case isSectionHeading(c):
		li.kind = labelSection
		switch {
		case strings.Contains(c, "主动公开"):
			li.secZone = zoneT2
		case strings.Contains(c, "收到和处理") || strings.Contains(c, "依申请"):
			li.secZone = zoneT3
		case strings.Contains(c, "行政复议") || strings.Contains(c, "行政诉讼"):
			li.secZone = zoneT4
		default:
			li.secZone = zoneNone
		}
	case strings.HasPrefix(c, "第二十条") || c == "信息内容":
		li.kind = labelT2Section
	}
	li.group = groupOf(c)
	li.t2stem, li.t2kind = t2Row(c)
	li.short = (len(c) <= 40 || len(c) <= 4*40 && runeLen(c) <= 40) && !strings.Contains(c, "。")
	if li.short {
		li.review = strings.Contains(c, "行政复议")
		li.suit = strings.Contains(c, "行政诉讼")
		li.direct = strings.Contains(c, "直接起诉")
		li.directFull = li.direct && strings.Contains(c, "未经复议直接起诉")
		li.after = strings.Contains(c, "复议后起诉")
	}
	return li
}

// opensT4 reports whether the label opens table 四 in zone z.
func (li *labelInfo) opensT4(z int) bool {
	return z != zoneT4 && li.short && (li.review && (z == zoneT3 || li.suit) || li.directFull || li.after)
}

// t3Code returns the table 三 metric the label names in outcome group
// group.
func (li *labelInfo) t3Code(label string, group int) string {
	if !li.known {
		return t3Code(label, group)
	}
	if group == 6 {
		return li.t3six
	}
	return li.t3
}

// templateLabels are the labels of the national templates' tables (2019
// and 2021 formats, spec/domain.md §2.3–2.5) and the report's section
// headings, as printed.
func templateLabels() []string {
	return []string{
		// Sections.
		"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
		// Table 二.
		"第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项",
		"信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "规范性文件", "行政规范性文件",
		"本年处理决定数量", "行政许可", "行政处罚", "行政强制", "本年收费金额（单位：万元）", "行政事业性收费",
		"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "处理决定数量",
		"其他对外管理服务事项", "采购项目数量", "采购总金额", "政府集中采购",
		// Table 三.
		"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
		"法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计", "合计",
		"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
		"（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开",
		"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
		"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
		"（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
		"（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
		"5.要求行政机关确认或重新出具已获取信息", "（六）其他处理",
		"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
		"1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3、其他",
		"（七）总计", "四、结转下年度继续办理",
		// Table 四.
		"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结",
	}
}

// labelTable returns the labelInfo of every template label in the form
// the table reader sees it: normalised and without spaces.
func labelTable() map[string]labelInfo {
	labels := templateLabels()
	t := make(map[string]labelInfo, len(labels))
	for _, l := range labels {
		c := compact(textnorm.Basic(l))
		li := classifyLabel(c)
		li.known, li.t3, li.t3six = true, t3Code(c, 0), t3Code(c, 6)
		t[c] = li
	}
	return t
}
