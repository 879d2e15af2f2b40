package parser

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/metrics"
)

// table3Head is the template header of table 三 as a text rendering gives
// it, one cell per line.
const table3Head = `三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)
申请人情况
自然人
法人或其他组织
总计
商业企业
科研机构
社会公益组织
法律服务机构
其他
`

// TestTextRenderings reads the first rows of table 三 from each flattened
// rendering the corpus shows.
func TestTextRenderings(t *testing.T) {
	want := map[string][]float64{
		metrics.RequestsNew:         {3, 1, 0, 0, 0, 0, 4},
		metrics.RequestsCarriedOver: {0, 0, 0, 0, 0, 0, 0},
	}
	tests := []struct {
		name string
		body string
	}{
		{"one cell per line", table3Head + "一、本年新收政府信息公开申请数量\n3\n1\n 0\n0 \n0\n0\n4\n二、上年结转政府信息公开申请数量\n0\n0\n0\n0\n0\n0\n0\n"},
		{"pipes with padding", table3Head + "一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 | ||\n二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||\n"},
		{"lines of only a pipe", table3Head + "|\n一、本年新收政府信息公开申请数量\n|\n3\n|\n1\n|\n0\n|\n0\n|\n0\n|\n0\n|\n4\n|\n二、上年结转政府信息公开申请数量\n|\n0\n|\n0\n|\n0\n|\n0\n|\n0\n|\n0\n|\n0\n|\n"},
		{"markdown rows", table3Head + "| 一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |\n| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"},
		{"layout columns", table3Head + "一、本年新收政府信息公开申请数量      3     1     0    0    0    0    4\n二、上年结转政府信息公开申请数量      0     0     0    0    0    0    0\n"},
		{"label then spaced numbers", table3Head + "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"},
		{"cells run together", table3Head + "一、本年新收政府信息公开申请数量\n3\n1\n0\n0\n0\n0\n4\n二、上年结转政府信息公开申请数量0000000\n"},
		{"total column blank", table3Head + "一、本年新收政府信息公开申请数量\n3\n1\n0\n0\n0\n0\n二、上年结转政府信息公开申请数量\n0\n0\n0\n0\n0\n0\n0\n"},
		{"full-width digits", table3Head + "一、本年新收政府信息公开申请数量 | ３ | １ | ０ | ０ | ０ | ０ | ４\n二、上年结转政府信息公开申请数量 | ０ | ０ | ０ | ０ | ０ | ０ | ０\n"},
		{"traditional", strings.NewReplacer("申请", "申請", "数量", "數量", "结转", "結轉", "总计", "總計").Replace(table3Head) +
			"一、本年新收政府信息公開申請數量\n3\n1\n0\n0\n0\n0\n4\n二、上年結轉政府信息公開申請數量\n0\n0\n0\n0\n0\n0\n0\n"},
	}
	p := testParser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := p.Parse(context.Background(), Input{Source: tt.name + ".txt", Body: []byte(tt.body)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			v := r.Values()
			for metric, cols := range want {
				for i, a := range metrics.Applicants() {
					got, ok := v.Get(metric, a)
					if !ok || got != cols[i] {
						t.Errorf("Parse(%s) %s/%s = %v (stated %v), want %v", tt.name, metric, a, got, ok, cols[i])
					}
				}
			}
			for _, c := range r.Checks {
				if !c.OK {
					t.Errorf("check failed: %s", c.Detail())
				}
			}
		})
	}
}

// TestLabelsWithoutNumbers checks that an empty template yields no
// figures: labels are never shifted onto the next numbers (case 027).
func TestLabelsWithoutNumbers(t *testing.T) {
	body := "2022年度某镇政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n行政规范性文件\n" +
		table3Head + "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n三、本年度办理结果\n(一)予以公开\n四、政府信息公开行政复议、行政诉讼情况\n1\n2\n"
	r, err := testParser(t).Parse(context.Background(), Input{Source: "empty.txt", Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNoData || len(r.Facts) != 0 {
		t.Errorf("Parse(empty template) status %q with %d facts %v; want no_data and none", r.Status, len(r.Facts), r.Facts)
	}
}

// TestNarrative covers the prose rules and the traps of spec/domain.md §4.
func TestNarrative(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]float64 // absent metrics must stay absent
	}{
		{"stated zeros", "2019年度,没有公民、法人或其他组织提出政府信息公开申请。2019年度,我没有发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
			map[string]float64{metrics.RequestsNew: 0, metrics.ReviewsTotal: 0, metrics.LawsuitsTotal: 0}},
		{"cumulative is not the year's", "截至2010年底,我局主动公开政府信息历年累计52条,其中2010年新增主动公开政府信息14条。",
			map[string]float64{metrics.ProactiveItems: 14}},
		{"proactive withheld is not refused", "2013年度主动公开信息的有5条。2013年度没有依申请公开信息的情况。不予公开信息有10条。",
			map[string]float64{metrics.ProactiveItems: 5, metrics.RequestsNew: 0}},
		{"consultations are not requests", "本年度受理政府信息咨询372人次,其中现场咨询331人次。全年共发布信息59条(其中,领导信息1条)。",
			map[string]float64{metrics.ProactiveItems: 59}},
		{"per-channel counts without a total", "全年我镇在市政府门户网站主动公开信息60条,在镇门户网站主动公开信息5条。",
			map[string]float64{}},
		{"stale year", "2019年,我镇通过网站公开信息94条。2020年,共受理政府信息公开申请3件。",
			map[string]float64{metrics.RequestsNew: 3}},
		{"chinese numerals and approximations", "全年主动公开政府信息四十余条。收到政府信息公开申请一件,办结一件。",
			map[string]float64{metrics.ProactiveItems: 40, metrics.RequestsNew: 1, metrics.OutcomeTotal: 1}},
		{"zero by 为零", "2009年,全镇政府信息公开依申请办理事项为零。全镇信息公开的收费和减免为零。",
			map[string]float64{metrics.RequestsNew: 0, metrics.FeesAmount: 0}},
		{"quoted old outcomes", "本局2017年共受理信息公开申请10件。在已经答复的9件申请中,“同意公开”的7件,“同意部分公开”1件,“不予公开”的1件。",
			map[string]float64{metrics.RequestsNew: 10, metrics.OutcomeGranted: 7, metrics.OutcomePartial: 1, metrics.OutcomeRefused: 1}},
		{"counts of reviews and lawsuits", "因政府信息依申请公开引起行政复议0件,行政诉讼2件。全年收取政府信息公开信息处理费 3940 元。",
			map[string]float64{metrics.ReviewsTotal: 0, metrics.LawsuitsTotal: 2, metrics.FeesAmount: 3940}},
		{"thousands separators", "全年共主动公开政府信息1,234条。全年共受理政府信息公开申请1,005件。",
			map[string]float64{metrics.ProactiveItems: 1234, metrics.RequestsNew: 1005}},
		{"domain phrases 1", "本年度新增主动公开政府信息312条。没有接到群众主动要求公开政府信息的申请。未產生針對我局政府信息公開的行政複議與行政訴訟。未收取任何费用。",
			map[string]float64{metrics.ProactiveItems: 312, metrics.RequestsNew: 0, metrics.ReviewsTotal: 0, metrics.LawsuitsTotal: 0, metrics.FeesAmount: 0}},
		{"domain phrases 2", "主动公开政府信息共145条。共收到依申請公開政府信息申請1件。发生行政复议案件1件,为其他结果;行政诉讼案件1件。",
			map[string]float64{metrics.ProactiveItems: 145, metrics.RequestsNew: 1, metrics.ReviewsTotal: 1, metrics.LawsuitsTotal: 1}},
		{"domain phrases 3", "共主动公开政府信息140余条。没有收到过相关申请。行政復議案共1起。",
			map[string]float64{metrics.ProactiveItems: 140, metrics.RequestsNew: 0, metrics.ReviewsTotal: 1}},
		{"table labels are not prose zeros", "4.无正当理由大量反复申请\n2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
			map[string]float64{}},
	}
	p := testParser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "某县某镇2020年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n" + tt.text
			if strings.Contains(tt.text, "2010年") {
				body = strings.Replace(body, "2020年", "2010年", 1)
			}
			if strings.Contains(tt.text, "2013年") {
				body = strings.Replace(body, "2020年", "2013年", 1)
			}
			if strings.Contains(tt.text, "2017年") {
				body = strings.Replace(body, "2020年", "2017年", 1)
			}
			if strings.Contains(tt.text, "2009年") {
				body = strings.Replace(body, "2020年", "2009年", 1)
			}
			if strings.Contains(tt.text, "2019年度") {
				body = strings.Replace(body, "2020年", "2019年", 1)
			}
			r, err := p.Parse(context.Background(), Input{Source: "n.txt", Body: []byte(body)})
			if err != nil {
				t.Fatal(err)
			}
			stats := r.Stats()
			for m, w := range tt.want {
				if g, ok := stats[m]; !ok || g != w {
					t.Errorf("Parse(%s) %s = %v (stated %v), want %v", tt.name, m, g, ok, w)
				}
			}
			for m, g := range stats {
				if _, ok := tt.want[m]; !ok {
					t.Errorf("Parse(%s) %s = %v, want absent", tt.name, m, g)
				}
			}
			for _, f := range r.Facts {
				if f.Locator.Text == "" || f.Locator.End <= f.Locator.Start {
					t.Errorf("Parse(%s) %s has no text locator: %+v", tt.name, f.Metric, f.Locator)
				}
			}
		})
	}
}

// TestApproximate checks that 余 is kept as stated and flagged.
func TestApproximate(t *testing.T) {
	body := "某市2024年政府信息公开工作年度报告\n一、总体情况\n市政府网站主动公开各类政府信息 5500 余条,全年新增公开市政府规章 1 件。"
	r, err := testParser(t).Parse(context.Background(), Input{Source: "a.txt", Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Facts) != 1 || r.Facts[0].Value != 5500 || !r.Facts[0].Approximate {
		t.Errorf("Parse(approximate) facts = %+v, want proactive.items 5500 approximate", r.Facts)
	}
}

func TestErrors(t *testing.T) {
	list, err := os.ReadFile("testdata/list-page.html")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   Input
		want error
	}{
		{"empty", Input{Source: "e.html", Body: []byte(" \n\t ")}, ErrEmpty},
		{"empty html", Input{Source: "e.html", Body: []byte("<html><body><script>var a=1</script></body></html>")}, ErrEmpty},
		{"png", Input{Source: "x.png", Body: []byte("\x89PNG\r\n\x1a\n....")}, ErrUnsupportedFormat},
		{"xlsx", Input{Source: "x.xlsx", Body: zipOf(t, map[string]string{"xl/workbook.xml": "<workbook/>"})}, ErrUnsupportedFormat},
		{"legacy doc", Input{Source: "x.doc", Body: []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest")}, ErrUnsupportedFormat},
		{"list page", Input{Source: "list.html", Body: list}, ErrNotReport},
		{"short list page", Input{Source: "l.html", Body: []byte(`<html><body><div class="position">当前位置：首页 &gt; 政府信息公开年报</div><ul class="list">` +
			`<li><a href="./a.html">四龙镇人民政府2023年政府信息公开工作年度报告</a><span>2024-01-24</span></li>` +
			`<li><a href="./b.html">四龙镇人民政府2022年政府信息公开工作年度报告</a><span>2023-01-20</span></li></ul></body></html>`)}, ErrNotReport},
		{"disclosure guide", Input{Source: "g.html", Body: []byte(`<html><body><h2>政府信息公开指南</h2><p>公民、法人或者其他组织可以向本机关提出政府信息公开申请,申请应当采用书面形式。本机关收到申请后,能够当场答复的当场予以答复。</p></body></html>`)}, ErrNotReport},
		{"unrelated page", Input{Source: "x.html", Body: []byte("<html><body><p>欢迎访问本网站,今日天气晴。</p></body></html>")}, ErrNotReport},
		{"docx without document", Input{Source: "x.docx", Body: zipOf(t, map[string]string{"word/styles.xml": "<x/>"})}, ErrCorrupt},
		{"broken docx xml", Input{Source: "x.docx", Body: zipOf(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p><w:r><w:t>未闭合"})}, ErrCorrupt},
		{"pdf served without header", Input{Source: "x", ContentType: "application/pdf", Body: []byte("not a pdf")}, ErrCorrupt},
	}
	p := testParser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := p.Parse(context.Background(), tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%s) = %v, %v; want %v", tt.name, r, err, tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Source != tt.in.Source {
				t.Errorf("Parse(%s) error %v is not a *parser.Error naming the source", tt.name, err)
			}
		})
	}
}

func TestPDFToolMissing(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PDFToText = "/nonexistent/pdftotext"
	_, err := Parse(context.Background(), Input{Source: "x.pdf", Body: []byte("%PDF-1.4\n...")}, cfg)
	if !errors.Is(err, ErrPDFTool) {
		t.Errorf("Parse(pdf without pdftotext) = %v, want ErrPDFTool", err)
	}
	cfg.PDFToText = ""
	if _, err := Parse(context.Background(), Input{Source: "x.pdf", Body: []byte("%PDF-1.4\n...")}, cfg); !errors.Is(err, ErrPDFTool) {
		t.Errorf("Parse(pdf, PDF disabled) = %v, want ErrPDFTool", err)
	}
}

// TestPDFImageOnly checks that a PDF whose pages carry no text layer is
// reported as image_only with no figures.
func TestPDFImageOnly(t *testing.T) {
	cfg := DefaultConfig()
	if _, err := exec.LookPath(cfg.PDFToText); err != nil {
		t.Skipf("pdftotext not installed (apt-get install poppler-utils): %v", err)
	}
	r, err := Parse(context.Background(), Input{Source: "scan.pdf", Body: blankPDF()}, cfg)
	if err != nil {
		t.Fatalf("Parse(blank pdf): %v", err)
	}
	if r.Status != StatusImageOnly || len(r.Facts) != 0 || r.Format != FormatPDF {
		t.Errorf("Parse(blank pdf) = status %q format %q, %d facts; want image_only pdf, none", r.Status, r.Format, len(r.Facts))
	}
}

// blankPDF returns a valid one-page PDF with no text, as a scan without OCR
// has.
func blankPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
		"<< /Length 0 >>\nstream\n\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, o := range offs {
		s := strconv.Itoa(o)
		b.WriteString(strings.Repeat("0", 10-len(s)) + s + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}

// zipOf builds a zip package of the given files.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, body := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// docxOf wraps body XML in a minimal DOCX package.
func docxOf(t testing.TB, body string) []byte {
	t.Helper()
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   doc,
	})
}

func wp(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func wtc(text, props string) string {
	return `<w:tc><w:tcPr>` + props + `</w:tcPr>` + wp(text) + `</w:tc>`
}

// docxReport is a table2021 report as a DOCX: a merged header and row
// labels merged vertically (vMerge) and horizontally (gridSpan).
func docxReport(t testing.TB) []byte {
	row := func(cells ...string) string { return `<w:tr>` + strings.Join(cells, "") + `</w:tr>` }
	vals := func(xs ...string) string {
		var b strings.Builder
		for _, x := range xs {
			b.WriteString(wtc(x, ""))
		}
		return b.String()
	}
	span := func(n string) string { return `<w:gridSpan w:val="` + n + `"/>` }
	restart, cont := `<w:vMerge w:val="restart"/>`, `<w:vMerge/>`
	table := `<w:tbl>` +
		row(wtc("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", span("3")+restart), wtc("申请人情况", span("7"))) +
		row(wtc("", span("3")+cont), wtc("自然人", restart), wtc("法人或其他组织", span("5")), wtc("总计", restart)) +
		row(wtc("", span("3")+cont), wtc("", cont), vals("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"), wtc("", cont)) +
		row(wtc("一、本年新收政府信息公开申请数量", span("3")), vals("5", "1", "0", "0", "0", "0", "6")) +
		row(wtc("二、上年结转政府信息公开申请数量", span("3")), vals("1", "0", "0", "0", "0", "0", "1")) +
		row(wtc("三、本年度办理结果", restart), wtc("(一)予以公开", span("2")), vals("4", "1", "0", "0", "0", "0", "5")) +
		row(wtc("", cont), wtc("(七)总计", span("2")), vals("4", "1", "0", "0", "0", "0", "5")) +
		row(wtc("四、结转下年度继续办理", span("3")), vals("2", "0", "0", "0", "0", "0", "2")) +
		`</w:tbl>`
	return docxOf(t, wp("某县人民政府办公室2023年政府信息公开工作年度报告")+
		wp("一、总体情况")+wp("2023年,共主动公开政府信息1024条。")+
		wp("三、收到和处理政府信息公开申请情况")+table)
}

func TestDOCX(t *testing.T) {
	r, err := testParser(t).Parse(context.Background(), Input{Source: "r.docx", Body: docxReport(t)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != FormatDOCX || r.Year != 2023 || r.Level != LevelDepartment {
		t.Errorf("Parse(docx) format %q year %d level %q", r.Format, r.Year, r.Level)
	}
	want := map[metrics.Key]float64{
		{Metric: metrics.RequestsNew, Applicant: metrics.Total}:                6,
		{Metric: metrics.RequestsNew, Applicant: metrics.NaturalPerson}:        5,
		{Metric: metrics.OutcomeGranted, Applicant: metrics.Business}:          1,
		{Metric: metrics.OutcomeTotal, Applicant: metrics.Total}:               5,
		{Metric: metrics.RequestsCarriedForward, Applicant: metrics.Total}:     2,
		{Metric: metrics.ProactiveItems, Applicant: metrics.Total}:             1024,
		{Metric: metrics.RequestsCarriedOver, Applicant: metrics.LegalService}: 0,
	}
	v := r.Values()
	for k, w := range want {
		if g, ok := v[k]; !ok || g != w {
			t.Errorf("Parse(docx) %s/%s = %v (stated %v), want %v", k.Metric, k.Applicant, g, ok, w)
		}
	}
	balance := false
	for _, c := range r.Checks {
		if c.Name == metrics.CheckRequestsBalance && c.Applicant == metrics.Total {
			balance = c.OK
		}
	}
	if !balance {
		t.Errorf("Parse(docx) requests_balance [total] not evaluated or failed: %+v", r.Checks)
	}
}

// TestDOCXBomb checks the size limit on word/document.xml.
func TestDOCXBomb(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxDOCXXMLBytes = 1 << 16
	big := docxOf(t, strings.Repeat(wp(strings.Repeat("零", 1000)), 100))
	_, err := Parse(context.Background(), Input{Source: "bomb.docx", Body: big}, cfg)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse(oversized docx) = %v, want ErrTooLarge", err)
	}
}

// TestIdentityFailureKept checks that a report breaking an identity is kept
// as published with the failed check recorded.
func TestIdentityFailureKept(t *testing.T) {
	body := table3Head + "一、本年新收政府信息公开申请数量\n3\n1\n0\n0\n0\n0\n5\n"
	r, err := testParser(t).Parse(context.Background(), Input{Source: "bad.txt", Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Values().Get(metrics.RequestsNew, metrics.Total); got != 5 {
		t.Errorf("requests.new total = %v, want 5 as printed", got)
	}
	failed := false
	for _, c := range r.Checks {
		if c.Name == metrics.CheckApplicantSum && c.Metric == metrics.RequestsNew && !c.OK && c.Expected == 5 && c.Actual == 4 {
			failed = true
		}
	}
	if !failed {
		t.Errorf("no failed applicant_sum check for requests.new: %+v", r.Checks)
	}
}

func TestHint(t *testing.T) {
	body := "二、主动公开政府信息情况\n2022年,主动公开政府信息12条。\n一、总体情况\n"
	r, err := testParser(t).Parse(context.Background(), Input{Source: "h.txt", Body: []byte(body),
		Hint: Hint{Agency: "三滩镇人民政府", RegionCode: "620421113"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Agency != "三滩镇人民政府" || r.Level != LevelTownship || r.RegionCode != "620421113" {
		t.Errorf("Parse with hint: agency %q level %q region %q", r.Agency, r.Level, r.RegionCode)
	}
}

// TestLayoutTable reads a report laid out in a one-column table: its
// paragraphs stay apart, so a negation does not reach across a heading.
func TestLayoutTable(t *testing.T) {
	page := `<html><head><meta charset="utf-8"></head><body>
<table width="100%"><tr><td>永嘉县枫林镇2010年政府信息公开工作年度报告</td></tr><tr><td>发布时间:2011-03-25</td></tr>
<tr><td><p>根据《中华人民共和国政府信息公开条例》要求,现公布永嘉县枫林镇2010年政府信息公开工作年度报告。本年报中所列数据的统计期限自2010年1月1日起至2010年12月31日止。</p>
<p>二、主动公开政府信息的情况</p><p>2010年,我镇新增主动公开政府信息215条,其中:工作信息类131条。</p>
<p>三、依申请公开政府信息和不予公开政府信息的情况</p><p>2010年我镇没有收到政府信息公开申请</p>
<p>四、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>2010年度,行政复议1件,未发生行政诉讼</p>
</td></tr></table></body></html>`
	r, err := testParser(t).Parse(context.Background(), Input{Source: "layout.html", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{metrics.ProactiveItems: 215, metrics.RequestsNew: 0, metrics.ReviewsTotal: 1, metrics.LawsuitsTotal: 0}
	stats := r.Stats()
	if len(stats) != len(want) {
		t.Errorf("Parse(layout) stats = %v, want %v", stats, want)
	}
	for m, w := range want {
		if g, ok := stats[m]; !ok || g != w {
			t.Errorf("Parse(layout) %s = %v (stated %v), want %v", m, g, ok, w)
		}
	}
	if r.PublishedAt != "2011-03-25" || r.Year != 2010 {
		t.Errorf("Parse(layout) published %q year %d", r.PublishedAt, r.Year)
	}
}

// TestHTMLTableVariants reads tables as some portals print them: table 四
// one group per row, a 2021 table 二 value in the last of three cells.
func TestHTMLTableVariants(t *testing.T) {
	page := `<html><head><meta charset="utf-8"></head><body>
<h1>某镇2022年政府信息公开工作年度报告</h1><p>一、总体情况</p>
<p>二、主动公开政府信息情况</p>
<table><tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td></td><td></td><td>447</td></tr>
<tr><td>行政处罚</td><td>12</td><td></td><td></td></tr></table>
<p>本年制发件数、本年废止件数</p>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tr><td></td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>行政复议</td><td>1</td><td>0</td><td>1</td><td>0</td><td>2</td></tr>
<tr><td>行政诉讼（未经复议直接起诉）</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td>行政诉讼（复议后起诉）</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr></table>
</body></html>`
	r, err := testParser(t).Parse(context.Background(), Input{Source: "v.html", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"table2.licensing.decisions": 447, "table2.penalties.decisions": 12,
		metrics.ReviewsTotal: 2, "reviews.upheld": 1, "lawsuits.direct.corrected": 1, "lawsuits.direct.total": 1,
		"lawsuits.after_review.pending": 1, "lawsuits.after_review.total": 1, metrics.LawsuitsTotal: 2,
	}
	stats := r.Stats()
	for m, w := range want {
		if g, ok := stats[m]; !ok || g != w {
			t.Errorf("Parse(variants) %s = %v (stated %v), want %v", m, g, ok, w)
		}
	}
	for _, c := range r.Checks {
		if !c.OK {
			t.Errorf("check failed: %s", c.Detail())
		}
	}
}
