package parser

import (
	"context"
	"testing"
)

// TestMetadata reads the header variants of spec/domain.md §5.1.
func TestMetadata(t *testing.T) {
	tests := []struct {
		name                                     string
		body                                     string
		title, agency, level, published, indexNo string
		year                                     int
	}{
		{"靖远 header, agency on the next line",
			"索  引  号: 1162042101391301xj/1970-172831 生成日期: 2020-01-28\n文       号: 关键字: 公开\n所属机构: 靖远县融媒体中心 发布机构:\n三滩镇人民政府\n发布时间:2020-01-28 10:43\n\n三滩镇2019年政府信息公开年度报告\n一、基本情况\n",
			"三滩镇2019年政府信息公开年度报告", "三滩镇人民政府", LevelTownship, "2020-01-28 10:43", "1162042101391301xj/1970-172831", 2019},
		{"泰州 pipe header",
			"索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报\n发布机构 | 市政府办 | 发文日期 | 2018-02-28\n泰州市2017年政府信息公开工作年度报告\n一、概述\n",
			"泰州市2017年政府信息公开工作年度报告", "泰州市人民政府", LevelCity, "2018-02-28", "014416330/2018-04736", 2017},
		{"府谷 header without colons, abbreviated agency",
			"索引号 bgs01/2023-00011 发文字号\n成文日期 2023-01-18 发布日期 2023-01-18\n标   题 县政府办2022年度政府信息公开工作年度报告\n发布机构 县政府办公室 公文时效 有效\n县政府办2022年度政府信息公开工作年度报告\n一、总体情况\n2022年,府谷县人民政府办公室严格贯彻落实条例。\n",
			"县政府办2022年度政府信息公开工作年度报告", "府谷县人民政府办公室", LevelDepartment, "2023-01-18", "bgs01/2023-00011", 2022},
		{"year first, agency on the line after",
			"2022年政府信息公开工作年度报告\n桃江县松木塘镇人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n",
			"桃江县松木塘镇人民政府2022年政府信息公开工作年度报告", "桃江县松木塘镇人民政府", LevelTownship, "", "", 2022},
		{"title split over two lines, signature date",
			"道县文广新局2013年度信息公开工作\n年度报告\n一、主动公开政府信息的情况:\n2013年度主动公开信息的有5条;\n2014年3月25日\n",
			"道县文广新局2013年度信息公开工作年度报告", "道县文广新局", LevelDepartment, "2014-03-25", "", 2013},
		{"Chinese-numeral signature date, broken index number",
			"标题: 中埠镇人民政府2020年政府信息公开工作年度报告\n索引号: /2021-None 文号: 无文号\n一、总体情况\n本报告中所列数据的统计期限自2020年1月1日起至202020年12月31日止。\n中埠镇人民政府\n二○二一年一月三十日\n",
			"中埠镇人民政府2020年政府信息公开工作年度报告", "中埠镇人民政府", LevelTownship, "2021-01-30", "/2021-None", 2020},
		{"no title: preparer and garbled period",
			"本年度报告由两城镇人民政府党政办公室编制。本年度报告中所列数据的统计期限自201911日起至20191231日止。\n一、总体情况\n二、主动公开政府信息情况\n",
			"", "两城镇人民政府", LevelTownship, "", "", 2019},
		{"breadcrumb is not the title",
			"当前页面: 首页 > 政府信息公开 > 马水镇 > 信息公开年度报告\n马水镇2019年政府信息公开年度报告\n一、总体情况\n",
			"马水镇2019年政府信息公开年度报告", "马水镇人民政府", LevelTownship, "", "", 2019},
		{"street office",
			"厚桥街道2023年政府信息公开工作年度报告\n一、总体情况\n",
			"厚桥街道2023年政府信息公开工作年度报告", "厚桥街道办事处", LevelTownship, "", "", 2023},
		{"county-level city resolved by the gazetteer",
			"耒阳市2020年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n",
			"耒阳市2020年政府信息公开工作年度报告", "耒阳市人民政府", LevelCounty, "", "", 2020},
		{"notice publishing the report",
			"府谷县人民政府办公室关于印发府谷县2022年政府信息公开工作年度报告的通知\n一、总体情况\n",
			"府谷县人民政府办公室关于印发府谷县2022年政府信息公开工作年度报告的通知", "府谷县人民政府", LevelCounty, "", "", 2022},
		{"year after the title",
			"三滩镇政府信息公开工作年度报告(2019年)\n一、总体情况\n本报告中所列数据的统计期限是2019年1月1日至2019年12月31日。地址:靖远县三滩镇。\n",
			"三滩镇政府信息公开工作年度报告(2019年)", "三滩镇人民政府", LevelTownship, "", "", 2019},
		{"province-level municipality",
			"上海市人民政府2019年政府信息公开工作年度报告\n一、总体情况\n",
			"上海市人民政府2019年政府信息公开工作年度报告", "上海市人民政府", LevelProvince, "", "", 2019},
	}
	p := testParser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every case is a report: its sections follow the header.
			body := tt.body + "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
			r, err := p.Parse(context.Background(), Input{Source: "m.txt", Body: []byte(body)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct{ field, got, want string }{
				{"title", r.Title, tt.title}, {"agency", r.Agency, tt.agency}, {"level", r.Level, tt.level},
				{"published_at", r.PublishedAt, tt.published}, {"index_no", r.IndexNo, tt.indexNo},
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

// TestPublishedFromURL reads the date a portal puts in its URL when the
// page states none.
func TestPublishedFromURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"http://rongchang.gov.cn/jz/hbz/zwgk_70755/zfxxgknb_70772/202101/t20210129_8843764.html", "2021-01-29"},
		{"http://www.zjpy.gov.cn/art/2023/1/18/art_1229711952_70625.html", "2023-01-18"},
		{"http://www.leiyang.gov.cn/xxgk/bmxxgkml/gxzjdbsc/msz/xxgkndbg/20200214/i1180025.html", "2020-02-14"},
		{"http://www.jsxishan.gov.cn/doc/2024/01/08/4153378.shtml", "2024-01-08"},
		{"http://www.xjnlk.gov.cn/xjnlk/c112945/202401/46aba5e181454bc798b5443c493da056.shtml", ""},
	}
	p := testParser(t)
	for _, tt := range tests {
		body := "<html><body><h1>某镇2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>"
		r, err := p.Parse(context.Background(), Input{Source: tt.url, Body: []byte(body), ContentType: "text/html"})
		if err != nil {
			t.Fatal(err)
		}
		if r.PublishedAt != tt.want {
			t.Errorf("Parse(%s) field published_at = %q, want %q", tt.url, r.PublishedAt, tt.want)
		}
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"pdf magic", Input{Source: "x.html", Body: []byte("%PDF-1.7\n")}, FormatPDF},
		{"pdf after junk", Input{Source: "x", Body: []byte("\r\n\r\n%PDF-1.4\n")}, FormatPDF},
		{"content type html", Input{Source: "x.txt", Body: []byte("plain"), ContentType: "text/html; charset=gbk"}, FormatHTML},
		{"content type text", Input{Source: "x.html", Body: []byte("<p>x</p>"), ContentType: "text/plain"}, FormatText},
		{"extension", Input{Source: "/a/b/report.shtml", Body: []byte("plain words")}, FormatHTML},
		{"url extension with query", Input{Source: "http://x.gov.cn/a.txt?x=1", Body: []byte("<p>")}, FormatText},
		{"sniff html", Input{Source: "x", Body: []byte("\n<!DOCTYPE html><html>")}, FormatHTML},
		{"sniff text", Input{Source: "x", Body: []byte("一、总体情况")}, FormatText},
	}
	for _, tt := range tests {
		got, err := detectFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("detectFormat(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestHeadingPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"一、总体情况", "一、"},
		{"(三)不予公开", "(三)"},
		{"1.属于国家秘密", "1."},
		{"3、其他", "3、"},
		{"十二、附表", "十二、"},
		{"第二十条第(一)项", "第二十条"},
		{"2019年度", ""},
		{"规章", ""},
	}
	for _, tt := range tests {
		if got := headingPrefix(tt.in); got != tt.want {
			t.Errorf("headingPrefix(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestT3Code(t *testing.T) {
	tests := []struct {
		label string
		group int
		want  string
	}{
		{"一、本年新收政府信息公开申请数量", 0, "requests.new"},
		{"(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 2, "outcome.partial"},
		{"2.其他法律行政法规禁止公开", 3, "outcome.refused.law_prohibited"},
		{"1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 6, "outcome.other.overdue_correction"},
		{"求缴纳费用、行政机关不再处理", 6, "outcome.other.unpaid_fee"},
		{"3.其他", 6, "outcome.other.other"},
		{"3.其他", 5, ""},
		{"5.要求行政机关确认或重新出", 5, "outcome.not_processed.confirmation"},
		{"(七)总计", 7, "outcome.total"},
		{"四、结转下年度继续办理", 7, "requests.carried_forward"},
		{"(六)其他处理", 6, "outcome.other"},
		{"信息内容", 0, ""},
	}
	for _, tt := range tests {
		if got := t3Code(tt.label, tt.group); got != tt.want {
			t.Errorf("t3Code(%q, %d) = %q, want %q", tt.label, tt.group, got, tt.want)
		}
	}
}

// TestTimeOfDay reads the time a header states after its date.
func TestTimeOfDay(t *testing.T) {
	for in, want := range map[string]string{
		"13:24": " 13:24", "9:05": " 09:05", "09:05:07": " 09:05:07", "23:59:59": " 23:59:59",
		"": "", "24:00": "", "12:60": "", "12:30:60": "", "1:2:3:4": "", "12": "", "ab:cd": "",
	} {
		if got := timeOfDay(in); got != want {
			t.Errorf("timeOfDay(%q) = %q, want %q", in, got, want)
		}
	}
}
