package parser

import (
	"context"
	"testing"
)

// TestHeaderVariants reads the metadata of pages laid out as portals do
// (spec/domain.md §5.1): label spacing and colons, the date fields and
// their formats, 发布机构 naming the office hosting the portal, and years
// that are stale, garbled or only in 索引号.
func TestHeaderVariants(t *testing.T) {
	const body = `<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>`
	tests := []struct {
		name                              string
		page                              string
		title, agency, published, indexNo string
		publisher                         string
		year                              int
	}{
		{"TRS table, full-width spaces in labels",
			`<table class="xxgk"><tr><th>索　引　号：</th><td>11130283MB0F12345X/2024-00012</td><th>主题分类：</th><td>政务公开</td></tr>
<tr><th>发布机构：</th><td>迁安市大五里镇人民政府</td><th>生成日期：</th><td>2024-01-19</td></tr>
<tr><th>文　　号：</th><td></td><th>发布日期：</th><td>2024-01-20</td></tr>
<tr><th>标　　题：</th><td colspan="3">大五里镇人民政府2023年政府信息公开工作年度报告</td></tr></table>` + body,
			"大五里镇人民政府2023年政府信息公开工作年度报告", "大五里镇人民政府", "2024-01-20", "11130283MB0F12345X/2024-00012", "迁安市大五里镇人民政府", 2023},
		{"inline 发表日期 with seconds, hosting office publishes",
			`<div>索引号：620702074/2024-00047</div><div>发布机构：政务服务管理局</div><div>发表日期:2024-01-26 15:35:23</div>
<h1>东街街道2023年政府信息公开工作年度报告</h1>` + body,
			"东街街道2023年政府信息公开工作年度报告", "东街街道办事处", "2024-01-26 15:35:23", "620702074/2024-00047", "政务服务管理局", 2023},
		{"时间 with minutes, 日期 alone",
			`<p>西四镇2025年政府信息公开工作年度报告</p><p>时间:2026-01-26 09:42 来源:西四镇</p>` + body,
			"西四镇2025年政府信息公开工作年度报告", "西四镇人民政府", "2026-01-26 09:42", "", "", 2025},
		{"日期 with 年月日",
			`<p>大五里镇人民政府2020年政府信息公开工作年度报告</p><p>日期：2021年01月29日　来源：大五里镇</p>` + body,
			"大五里镇人民政府2020年政府信息公开工作年度报告", "大五里镇人民政府", "2021-01-29", "", "", 2020},
		{"公开日期 with slashes",
			`<p>索引号：/2015-26440 公开方式：主动公开 公开日期：2015/08/03 10:13</p><p>汤浦镇2009年政府信息公开工作年度报告</p>` + body,
			"汤浦镇2009年政府信息公开工作年度报告", "汤浦镇人民政府", "2015-08-03 10:13", "/2015-26440", "", 2009},
		{"发布日期 blank, 成文日期 given",
			`<p>成文日期：2023年1月18日</p><p>发布日期：</p><p>府谷县2022年政府信息公开工作年度报告</p>` + body,
			"府谷县2022年政府信息公开工作年度报告", "府谷县人民政府", "2023-01-18", "", "", 2022},
		{"label and value in separate lines",
			`<div><span>发布时间</span></div><div><span>2023-01-18</span></div><p>腾蛟镇2022年政府信息公开工作年度报告</p>` + body,
			"腾蛟镇2022年政府信息公开工作年度报告", "腾蛟镇人民政府", "2023-01-18", "", "", 2022},
		{"发布机构 is the county's media centre, title without agency",
			`<p>发布机构：靖远县融媒体中心</p><p>发布日期：2021-01-29</p><h1>2020年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>2020年，我镇认真贯彻落实《条例》。</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>`,
			"2020年政府信息公开工作年度报告", "", "2021-01-29", "", "靖远县融媒体中心", 2020},
		{"stale years in the body, 索引号 of the next year",
			`<p>索引号：001008003008047/2023-131446</p><p>上河镇2022年政府信息公开工作年度报告</p>
<p>一、总体情况</p><p>2021年，我镇公开信息94条。2021年我镇开展了培训。2021年的工作为2022年打下基础。</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>`,
			"上河镇2022年政府信息公开工作年度报告", "上河镇人民政府", "", "001008003008047/2023-131446", "", 2022},
		{"no year in the title: the statistical period",
			`<p>发布日期：2020-01-20</p><h1>下河镇政府信息公开工作年度报告</h1>
<p>本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。</p>` + body,
			"下河镇政府信息公开工作年度报告", "下河镇人民政府", "2020-01-20", "", "", 2019},
		{"full-width digits and brackets",
			`<p>发布日期：２０２１－０１－２９</p><p>（２０２０年）中河镇政府信息公开工作年度报告</p>` + body,
			"(2020年)中河镇政府信息公开工作年度报告", "中河镇人民政府", "2021-01-29", "", "", 2020},
		{"signature date in Chinese numerals",
			`<p>北河镇2023年政府信息公开工作年度报告</p>` + body + `<p>北河镇人民政府</p><p>二〇二四年一月十九日</p>`,
			"北河镇2023年政府信息公开工作年度报告", "北河镇人民政府", "2024-01-19", "", "", 2023},
		{"yearless title naming the 人民政府",
			`<h2>上河镇人民政府政府信息公开工作年度报告</h2><p>统计期限自2021年1月1日至2021年12月31日。</p>` + body,
			"上河镇人民政府政府信息公开工作年度报告", "上河镇人民政府", "", "", "", 2021},
		{"来源 names the body the title does not",
			`<h1>2020年政府信息公开工作年度报告</h1><p>公布日期：2021-01-28　来源：西四镇　浏览次数：12</p>` + body,
			"2020年政府信息公开工作年度报告", "西四镇人民政府", "2021-01-28", "", "", 2020},
		{"来源 the portal's office is not the body",
			`<h1>2020年政府信息公开工作年度报告</h1><p>上网时间：2021-01-27 来源：县融媒体中心</p>` + body,
			"2020年政府信息公开工作年度报告", "", "2021-01-27", "", "", 2020},
		{"发文时间 and 印发日期 are the document's date",
			`<p>发文时间：2021年1月26日</p><p>印发日期：2021-01-25</p><p>东河镇2020年政府信息公开工作年度报告</p>` + body,
			"东河镇2020年政府信息公开工作年度报告", "东河镇人民政府", "2021-01-26", "", "", 2020},
		{"year in Chinese numerals mixed with 0, signature date too",
			`<p>大河镇二0二0年政府信息公开工作年度报告</p>` + body + `<p>大河镇人民政府</p><p>二0二一年一月二十日</p>`,
			"大河镇二0二0年政府信息公开工作年度报告", "大河镇人民政府", "2021-01-20", "", "", 2020},
		{"a column name is not a title",
			`<p>政府信息公开工作年度报告</p><p>南河镇2021年政府信息公开工作年度报告</p>` + body,
			"南河镇2021年政府信息公开工作年度报告", "南河镇人民政府", "", "", "", 2021},
	}
	p := testParser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := p.Parse(context.Background(), Input{Source: "h.html", Body: []byte("<html><body>" + tt.page + "</body></html>")})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct{ field, got, want string }{
				{"title", r.Title, tt.title}, {"agency", r.Agency, tt.agency}, {"published_at", r.PublishedAt, tt.published},
				{"index_no", r.IndexNo, tt.indexNo}, {"publisher", r.Publisher, tt.publisher},
			} {
				if f.got != f.want {
					t.Errorf("Parse(%s) field %s = %q, want %q", tt.name, f.field, f.got, f.want)
				}
			}
			if r.Year != tt.year {
				t.Errorf("Parse(%s) field year = %d, want %d", tt.name, r.Year, tt.year)
			}
		})
	}
}
