package render

import (
	"strings"
	"testing"

	"github.com/nianbao/nianbao/metrics"
)

// TestTextStyles renders both table templates in every text style and
// checks each style's mark: the layout its corpus examples show, and every
// label of table 三 present.
func TestTextStyles(t *testing.T) {
	for _, tmpl := range []string{TemplateTable2019, TemplateTable2021} {
		doc, err := Build(sample(tmpl, busy(), 2))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range TextStyles() {
			text := doc.Text(s)
			if !strings.HasPrefix(text, doc.Title+"\n") {
				t.Errorf("%s %s: does not start with the title", tmpl, s)
			}
			flatText := strings.ReplaceAll(text, "\n", "")
			for _, label := range []string{"一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理", "第二十条第（八）项", "行政事业性收费"} {
				if !strings.Contains(flatText, label) {
					t.Errorf("%s %s: lacks %q", tmpl, s, label)
				}
			}
			var mark string
			switch s {
			case TextPipes:
				mark = "一、本年新收政府信息公开申请数量 |  |  | 12 | 3 | 0 | 1 | 0 | 2 | 18"
			case TextMarkdown:
				mark = "| 一、本年新收政府信息公开申请数量 |  |  | 12 | 3 | 0 | 1 | 0 | 2 | 18 |"
			case TextBarLines:
				mark = "一、本年新收政府信息公开申请数量\n|\n12\n|\n3\n|\n"
			case TextCellPerLine:
				mark = "一、本年新收政府信息公开申请数量\n\n12\n\n3\n\n"
			case TextConcatenated:
				mark = "一、本年新收政府信息公开申请数量 12 3 0 1 0 2 18\n"
			case TextStacked:
				mark = "结   结   其   尚   总"
			}
			if !strings.Contains(text, mark) {
				t.Errorf("%s %s: lacks %q", tmpl, s, mark)
			}
		}
	}
}

// TestConcatenated checks a row's figures run together only where they
// can be read back.
func TestConcatenated(t *testing.T) {
	fig := func(s string) *Cell { return &Cell{Text: s} }
	label := &Cell{Text: "规章", Header: true}
	for _, tc := range []struct {
		cells []*Cell
		want  string
	}{
		{[]*Cell{label, fig("0"), fig("0"), fig("0")}, "规章000"},
		{[]*Cell{label, fig("0"), fig("0"), fig("25")}, "规章0025"},
		{[]*Cell{label, fig("1"), fig("0"), fig("3")}, "规章 1 0 3"},
		{[]*Cell{label, fig("0"), fig("-2")}, "规章 0 -2"},
		{[]*Cell{label, fig("0"), fig("1.5")}, "规章 0 1.5"},
		{[]*Cell{fig("0"), fig("0")}, "00"},
		{[]*Cell{fig("1"), fig("2")}, "1 2"},
	} {
		if got := concatenated(tc.cells); got != tc.want {
			t.Errorf("concatenated(%v) = %q, want %q", tc.cells, got, tc.want)
		}
	}
}

// TestTable2019 checks the 2019 format's marks: its table 二 columns and
// procurement block, （六）其他处理 on one row stating the group, and the
// table 二 figures stated.
func TestTable2019(t *testing.T) {
	r := sample(TemplateTable2019, busy(), 4)
	for i, m := range Table2019Codes() {
		if _, ok := r.Values.Get(m, metrics.Total); !ok {
			r.Values[metrics.Key{Metric: m, Applicant: metrics.Total}] = float64(i)
		}
	}
	doc, err := Build(r)
	if err != nil {
		t.Fatal(err)
	}
	h := doc.HTML(HTMLOptions{})
	for _, want := range []string{"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "处理决定数量",
		"其他对外管理服务事项", "第二十条第（九）项", "采购项目数量", "采购总金额", "政府集中采购",
		`<td rowspan="20" valign="center">三、本年度办理结果</td>`, ">（六）其他处理<", "〔2019〕60号"} {
		if !strings.Contains(h, want) && !(want == "〔2019〕60号" && strings.Contains(h, "格式（试行）")) {
			t.Errorf("table2019 HTML lacks %s", want)
		}
	}
	for _, not := range []string{"本年制发件数", "逾期不补正"} {
		if strings.Contains(h, not) {
			t.Errorf("table2019 HTML has the 2021 label %s", not)
		}
	}
	for _, m := range Table2019Codes() {
		if _, ok := doc.Stated.Get(m, metrics.Total); !ok {
			t.Errorf("table2019 does not state %s", m)
		}
	}
	if _, ok := doc.Stated.Get(metrics.OutcomeOther, metrics.Business); !ok {
		t.Errorf("table2019 does not state （六）其他处理 as a row")
	}
	if _, ok := doc.Stated.Get(metrics.OutcomeOtherOther, metrics.Business); ok {
		t.Errorf("table2019 states the 2021 items of （六）")
	}
}
