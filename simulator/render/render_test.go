package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
)

var update = flag.Bool("update", false, "rewrite golden files")

// figures is a compact description of a consistent report, from which
// fullValues builds every figure a template may state.
type figures struct {
	newByApplicant   [6]float64 // 一、本年新收, per split applicant column
	carriedOver      [6]float64
	carriedForward   [6]float64
	partial, notHeld [6]float64 // the rest of each column is 予以公开
	reviews          [5]float64 // upheld, corrected, other, pending (total derived)
	direct           [5]float64
	proactive, fees  float64
}

// fullValues returns complete, consistent Values for f.
func fullValues(f figures) metrics.Values {
	v := metrics.Values{}
	set := func(m string, a metrics.Applicant, x float64) { v[metrics.Key{Metric: m, Applicant: a}] = x }
	for i, a := range metrics.SplitApplicants() {
		total := f.newByApplicant[i] + f.carriedOver[i] - f.carriedForward[i]
		set(metrics.RequestsNew, a, f.newByApplicant[i])
		set(metrics.RequestsCarriedOver, a, f.carriedOver[i])
		set(metrics.RequestsCarriedForward, a, f.carriedForward[i])
		set(metrics.OutcomeTotal, a, total)
		set(metrics.OutcomePartial, a, f.partial[i])
		set(metrics.OutcomeGranted, a, total-f.partial[i]-f.notHeld[i])
		for _, g := range metrics.OutcomeGroups() {
			sum := 0.0
			for _, it := range g.Items {
				x := 0.0
				if it == metrics.OutcomeUnavailableNotHeld {
					x = f.notHeld[i]
				}
				set(it, a, x)
				sum += x
			}
			set(g.Code, a, sum)
		}
	}
	for _, m := range metrics.Table3Rows() {
		sum := 0.0
		for _, a := range metrics.SplitApplicants() {
			x, _ := v.Get(m, a)
			sum += x
		}
		set(m, metrics.Total, sum)
	}
	for gi, g := range metrics.ReviewGroups() {
		src := [][5]float64{f.reviews, f.direct, {}}[gi]
		sum := 0.0
		for i, r := range metrics.ReviewResults()[:4] {
			set(g+"."+r, metrics.Total, src[i])
			sum += src[i]
		}
		set(g+"."+metrics.ResultTotal, metrics.Total, sum)
	}
	rv, _ := v.Get("reviews.total", metrics.Total)
	set(metrics.ReviewsTotal, metrics.Total, rv)
	d, _ := v.Get("lawsuits.direct.total", metrics.Total)
	ar, _ := v.Get("lawsuits.after_review.total", metrics.Total)
	set(metrics.LawsuitsTotal, metrics.Total, d+ar)
	set(metrics.ProactiveItems, metrics.Total, f.proactive)
	set(metrics.FeesAmount, metrics.Total, f.fees)
	for i, m := range []string{Table2RulesIssued, Table2RulesRepealed, Table2RulesInForce, Table2NormativeIssued,
		Table2NormativeRepealed, Table2NormativeInForce, Table2LicensingDecisions, Table2PenaltyDecisions, Table2CoercionDecisions} {
		set(m, metrics.Total, float64(i%3))
	}
	set(Table2FeesAmount, metrics.Total, 1.25)
	return v
}

func busy() figures {
	return figures{
		newByApplicant: [6]float64{12, 3, 0, 1, 0, 2},
		carriedOver:    [6]float64{1, 0, 0, 0, 0, 0},
		carriedForward: [6]float64{2, 0, 0, 0, 0, 1},
		partial:        [6]float64{1, 1, 0, 0, 0, 0},
		notHeld:        [6]float64{3, 0, 0, 0, 0, 0},
		reviews:        [5]float64{1, 0, 1, 0},
		direct:         [5]float64{0, 1, 0, 0},
		proactive:      147,
		fees:           0,
	}
}

func quiet() figures { return figures{proactive: 82} }

func sample(template string, f figures, variant uint64) Report {
	return Report{Agency: "三滩镇人民政府", Place: "三滩镇", County: "靖远县", Year: 2022,
		Template: template, Values: fullValues(f), Variant: variant}
}

// TestStatedIsConsistent checks, over many variants, that a rendering
// states only figures of the report with their values, and that what it
// states satisfies every identity.
func TestStatedIsConsistent(t *testing.T) {
	for _, tmpl := range Templates() {
		for _, f := range []figures{busy(), quiet()} {
			for variant := range uint64(40) {
				r := sample(tmpl, f, variant)
				doc, err := Build(r)
				if err != nil {
					t.Fatalf("Build(%s, variant %d): %v", tmpl, variant, err)
				}
				if len(doc.Stated) == 0 {
					t.Fatalf("Build(%s, variant %d) states nothing", tmpl, variant)
				}
				for k, got := range doc.Stated {
					if want, ok := r.Values[k]; !ok || got != want {
						t.Errorf("%s variant %d: Stated[%v] = %v, report has %v (%v)", tmpl, variant, k, got, want, ok)
					}
				}
				for _, c := range metrics.Verify(Implied(doc.Stated)) {
					if !c.OK {
						t.Errorf("%s variant %d: check %+v fails", tmpl, variant, c)
					}
				}
			}
		}
	}
}

// TestTable2021StatesEveryCell counts the figures a 2021 table report
// states: 7 columns × 25 printed rows of table 三, 15 of table 四 and 10 of
// table 二, plus the optional proactive and fees sentences.
func TestTable2021StatesEveryCell(t *testing.T) {
	doc, err := Build(sample(TemplateTable2021, busy(), 1))
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for k := range doc.Stated {
		if k.Metric != metrics.ProactiveItems && k.Metric != metrics.FeesAmount {
			tables++
		}
	}
	if want := 7*25 + 15 + 10; tables != want {
		t.Errorf("table figures stated = %d, want %d", tables, want)
	}
	for _, g := range metrics.OutcomeGroups() {
		if _, ok := doc.Stated.Get(g.Code, metrics.Total); ok {
			t.Errorf("group total %s stated, but the 2021 table prints only its items", g.Code)
		}
	}
	checks := map[string]int{}
	for _, c := range metrics.Verify(Implied(doc.Stated)) {
		checks[c.Name]++
	}
	for _, name := range []string{metrics.CheckRequestsBalance, metrics.CheckOutcomeSum, metrics.CheckGroupSum, metrics.CheckApplicantSum, metrics.CheckReviewSum, metrics.CheckLawsuitsTotal} {
		if checks[name] == 0 {
			t.Errorf("Verify evaluated no %s check on a full table report", name)
		}
	}
}

func TestNarrativeStatesTotals(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    figures
		want map[string]float64
	}{
		{"quiet", quiet(), map[string]float64{metrics.ProactiveItems: 82, metrics.RequestsNew: 0, metrics.ReviewsTotal: 0, metrics.LawsuitsTotal: 0, metrics.FeesAmount: 0}},
		{"busy", busy(), map[string]float64{metrics.ProactiveItems: 147, metrics.RequestsNew: 18, metrics.ReviewsTotal: 2, metrics.LawsuitsTotal: 1, metrics.FeesAmount: 0}},
	} {
		for variant := range uint64(12) {
			doc, err := Build(sample(TemplateNarrative, tc.f, variant))
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Stated) != len(tc.want) {
				t.Errorf("%s variant %d: stated %v, want %v", tc.name, variant, doc.Stated, tc.want)
			}
			for m, want := range tc.want {
				if got, ok := doc.Stated.Get(m, metrics.Total); !ok || got != want {
					t.Errorf("%s variant %d: %s = %v, %v; want %v", tc.name, variant, m, got, ok, want)
				}
			}
		}
	}
}

// textOf strips tags from HTML, for phrase checks.
func textOf(html string) string {
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, "")
}

// TestNarrativePhrases checks the sentences that carry the figures use the
// phrases of spec/domain.md §4.
func TestNarrativePhrases(t *testing.T) {
	phrases := func(variants int, f figures) string {
		var all strings.Builder
		for v := range uint64(variants) {
			doc, err := Build(sample(TemplateNarrative, f, v))
			if err != nil {
				t.Fatal(err)
			}
			all.WriteString(textOf(doc.HTML(HTMLOptions{})))
		}
		return all.String()
	}
	quietText, busyText := phrases(30, quiet()), phrases(30, busy())
	for _, want := range []string{
		"共公开政府信息82条", "共主动公开政府信息82条", "主动公开政府信息共82条", "全年共公开信息82条", "新增主动公开政府信息82条",
		"没有公民、法人或其他组织提出政府信息公开申请", "没有收到政府信息公开申请", "未收到依申请公开请求",
		"没有发生因政府信息公开申请行政复议、提起行政诉讼的情况", "未发生一起因政府信息公开申请行政复议、提起行政诉讼的事项",
		"无政府信息公开收费及减免情况", "未收取任何费用",
	} {
		if !strings.Contains(quietText, want) {
			t.Errorf("no quiet narrative variant says %q", want)
		}
	}
	for _, want := range []string{"共收到政府信息公开申请18件", "共受理信息公开申请18件", "行政复议案件2件，行政诉讼案件1件"} {
		if !strings.Contains(busyText, want) {
			t.Errorf("no busy narrative variant says %q", want)
		}
	}
}

// TestTable2021Labels checks the exact labels of spec/domain.md §2.3–2.5 and
// the merged cells of table 三.
func TestTable2021Labels(t *testing.T) {
	doc, err := Build(sample(TemplateTable2021, busy(), 7))
	if err != nil {
		t.Fatal(err)
	}
	h := doc.HTML(HTMLOptions{})
	for _, want := range []string{
		"第二十条第（一）项", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
		"第二十条第（五）项", "本年处理决定数量", "行政许可", "第二十条第（六）项", "行政处罚", "行政强制",
		"第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费",
		">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）<", "申请人情况", "自然人",
		`<td colspan="5" valign="center">法人或其他组织</td>`, "科研机构", "社会公益组织", "法律服务机构",
		">一、本年新收政府信息公开申请数量<", ">二、上年结转政府信息公开申请数量<",
		`<td rowspan="22" valign="center">三、本年度办理结果</td>`, ">（一）予以公开<",
		">（二）部分公开（区分处理的，只计这一情形，不计其他情形）<", `<td rowspan="8" valign="center">（三）不予公开</td>`,
		">1.属于国家秘密<", ">2.其他法律行政法规禁止公开<", ">3.危及“三安全一稳定”<", ">4.保护第三方合法权益<",
		">5.属于三类内部事务信息<", ">6.属于四类过程性信息<", ">7.属于行政执法案卷<", ">8.属于行政查询事项<",
		`<td rowspan="3" valign="center">（四）无法提供</td>`, ">1.本机关不掌握相关政府信息<", ">2.没有现成信息需要另行制作<", ">3.补正后申请内容仍不明确<",
		`<td rowspan="5" valign="center">（五）不予处理</td>`, ">1.信访举报投诉类申请<", ">2.重复申请<", ">3.要求提供公开出版物<",
		">4.无正当理由大量反复申请<", ">5.要求行政机关确认或重新出具已获取信息<",
		`<td rowspan="3" valign="center">（六）其他处理</td>`,
		">1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请<",
		">2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请<", ">3.其他<",
		">（七）总计<", ">四、结转下年度继续办理<",
		`<td colspan="5" valign="center">行政复议</td>`, `<td colspan="10" valign="center">行政诉讼</td>`,
		">未经复议直接起诉<", ">复议后起诉<", ">结果维持<", ">结果纠正<", ">其他结果<", ">尚未审结<",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("table2021 HTML lacks %s", want)
		}
	}
}

// TestTableGrids checks every table is rectangular once spans are laid out:
// table 二 is 4 columns wide, table 三 10 and table 四 15.
func TestTableGrids(t *testing.T) {
	doc, err := Build(sample(TemplateTable2021, busy(), 3))
	if err != nil {
		t.Fatal(err)
	}
	var widths []int
	for _, b := range doc.Blocks {
		if b.Kind != TableBlock {
			continue
		}
		w, err := gridWidth(b.Table)
		if err != nil {
			t.Errorf("table %d: %v", len(widths)+1, err)
		}
		widths = append(widths, w)
	}
	if fmt.Sprint(widths) != "[4 10 15]" {
		t.Errorf("table widths = %v, want [4 10 15]", widths)
	}
}

// gridWidth lays out t's spans and returns its width, or an error when a row
// is not as wide as the first or cells overlap.
func gridWidth(t *Table) (int, error) {
	occupied := map[[2]int]bool{}
	width := -1
	for r, row := range t.Rows {
		c := 0
		for _, cell := range row {
			for occupied[[2]int{r, c}] {
				c++
			}
			rs, cs := max(cell.RowSpan, 1), max(cell.ColSpan, 1)
			for i := range rs {
				for j := range cs {
					if occupied[[2]int{r + i, c + j}] {
						return 0, fmt.Errorf("row %d: cells overlap at column %d", r, c+j)
					}
					occupied[[2]int{r + i, c + j}] = true
				}
			}
			c += cs
		}
		for occupied[[2]int{r, c}] {
			c++
		}
		if width < 0 {
			width = c
		} else if c != width {
			return 0, fmt.Errorf("row %d is %d wide, want %d", r, c, width)
		}
	}
	return width, nil
}

func TestBuildErrors(t *testing.T) {
	missing := sample(TemplateTable2021, busy(), 0)
	delete(missing.Values, metrics.Key{Metric: metrics.OutcomeRefusedInquiry, Applicant: metrics.Research})
	early := sample(TemplateTable2021, busy(), 0)
	early.Year = 2019
	unknown := sample("table1999", busy(), 0)
	anonymous := sample(TemplateNarrative, busy(), 0)
	anonymous.Agency = ""
	for name, r := range map[string]Report{"missing figure": missing, "template too new": early, "unknown template": unknown, "no agency": anonymous} {
		if _, err := Build(r); err == nil {
			t.Errorf("Build(%s) succeeded, want error", name)
		}
	}
}

func TestEscaping(t *testing.T) {
	r := sample(TemplateNarrative, quiet(), 0)
	r.Agency, r.Place = "<script>镇人民政府", "<script>镇"
	doc, err := Build(r)
	if err != nil {
		t.Fatal(err)
	}
	page := string(Page{Charset: "utf-8", SiteName: r.Agency, Doc: doc}.HTML())
	if strings.Contains(page, "<script>") {
		t.Errorf("page contains an unescaped agency name")
	}
}

// TestGolden pins whole pages of both templates and both header layouts.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name     string
		template string
		f        figures
		layout   int
		charset  string
		wrap     bool
	}{
		{"narrative-inline", TemplateNarrative, quiet(), HeaderInline, "gb2312", false},
		{"table2021-table", TemplateTable2021, busy(), HeaderTable, "utf-8", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Build(sample(tc.template, tc.f, 5))
			if err != nil {
				t.Fatal(err)
			}
			got := Page{
				Charset:      tc.charset,
				SiteName:     "三滩镇人民政府",
				Nav:          []Link{{"首页", "/index.html"}, {"政务公开", "/zwgk/index.html"}},
				Breadcrumb:   []Link{{"首页", "/index.html"}, {"政务公开", "/zwgk/index.html"}, {"政府信息公开年报", "/zwgk/zfxxgknb/index.html"}},
				HeaderLayout: tc.layout,
				Meta: Meta{IndexNo: "11620421013913016X/2023-00007", Publisher: "三滩镇人民政府", Host: "靖远县融媒体中心",
					Topic: "政务公开", Keywords: "年报", Generated: time.Date(2023, 1, 28, 10, 43, 0, 0, time.FixedZone("CST", 8*3600))},
				Doc:     doc,
				Options: HTMLOptions{WrapCells: tc.wrap},
			}.HTML()
			path := filepath.Join("testdata", tc.name+".golden.html")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("page %s differs from %s; run go test ./simulator/render -update and review the diff", tc.name, path)
			}
		})
	}
}
