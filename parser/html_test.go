package parser

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// docShape renders what a document holds before normalisation, with cell
// ids renumbered by first appearance, so that two walkers can be compared.
func docShape(d *document) string {
	var b strings.Builder
	ids := map[int32]int{}
	for _, bl := range d.blocks {
		if bl.grid == nil {
			fmt.Fprintf(&b, "L %q\n", bl.line)
			continue
		}
		fmt.Fprintf(&b, "T %d\n", len(bl.grid))
		for _, row := range bl.grid {
			b.WriteString(" R")
			for _, c := range row {
				id, ok := ids[c.id]
				if !ok {
					id = len(ids) + 1
					ids[c.id] = id
				}
				fmt.Fprintf(&b, " %d:%q", id, c.text)
			}
			b.WriteByte('\n')
		}
	}
	// Headings are compared as title candidates: with line breaks and
	// spaces folded (the walkers may break a heading's lines differently),
	// empty ones dropped and long ones cut (the walker keeps the first
	// maxHeadingBytes of a heading; a title is at most 70 characters).
	var heads []string
	for _, h := range d.headings {
		if h = strings.Join(strings.Fields(h), " "); h != "" {
			if r := []rune(h); len(r) > 100 {
				h = string(r[:100])
			}
			heads = append(heads, h)
		}
	}
	fmt.Fprintf(&b, "title %q\nheadings %q\nimages %d\n", d.htmlTitle, heads, d.images)
	return b.String()
}

// walkerCase is a page of TestHTMLWalkerMalformed.
type walkerCase struct{ name, page string }

// walkerCases are pages whose tree html.Parse recovers: unclosed and
// misplaced elements, and content that is not page text.
func walkerCases() []walkerCase {
	return []walkerCase{
		{"unclosed cells", `<table><tr><td>规章<td>1<td>2<tr><td>行政规范性文件<td>3<td>4</table>after`},
		{"no tr", `<table><td>a</td><td>1</td></table>`},
		{"tbody sections", `<table><thead><tr><th>x<th>y</thead><tbody><tr><td>a<td>1<tbody><tr><td>b<td>2</table>`},
		{"spans", `<table><tr><td rowspan=" 3 ">a</td><td colspan="2">b</td></tr><tr><td>1</td><td>2</td></tr><tr><td colspan=x>3</td></tr></table>`},
		{"text outside cells", `<p>before</p><table>stray<tr>row text<td>a</td></tr><div>misplaced</div><tr><td>b</td></tr></table><p>after</p>`},
		{"nested layout", `<table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>1</td></tr></table><p>正文</p></td></tr></table>`},
		{"long cell layout", `<table><tr><td>` + strings.Repeat("长", 130) + `</td></tr><tr><td><p>a</p><p>b<br>c</p></td></tr></table>`},
		{"select in cell", `<table><tr><td>a<select><option>x</option><td>1</td></tr></table>`},
		{"button in cell", `<table><tr><td>a<button>x<td>1</td></tr></table>`},
		{"svg breakout", `<p>a<svg><g><text>icon</text></g><div>body text</div></p>`},
		{"unclosed svg in cell", `<table><tr><td>a<svg><rect/></td><td>1</td></tr></table>`},
		{"end tag cannot leave cell", `<div><table><tr><td>a</div>b</td><td>1</td></tr></table>c</div>`},
		{"stray end tags", `</p><p>x</span></div>y</p></td></tr></table>z`},
		{"table in table", `<table><tr><td>a</td></tr><table><tr><td>b</td></tr></table>`},
		{"headings", `<h1>某镇2020年<br>政府信息公开工作年度报告</h1><h2>a<h3>b</h3></h2><table><tr><td><h1>x</h1></td></tr></table>`},
		{"images", `<p><img src=a></p><table><tr><td><img src=b>1</td></tr></table><table><tr><td><table><tr><td><img src=c></td></tr></table></td></tr></table>`},
		{"title and meta", `<html><head><title> 某镇 2020年 报告 </title><meta name="PubDate" content="2021-01-29"><meta name="ArticleTitle" content="t"></head><body><title>not a title</title>x</body></html>`},
		{"scripts", `<script>var s="<table><tr><td>1</td></tr></table>";</script><style>p{}</style><noscript><p>js</p></noscript><template><p>t</p></template><p>text<textarea>ta</textarea></p>`},
		{"lists", `<ul><li>a<li>b<ul><li>c</ul><li>d</ul><dl><dt>e<dd>f</dl>`},
		{"paragraph run", `<p>a<p>b<div>c</div>d`},
		{"entities", `<p>&lt;规章&gt;&nbsp;&amp;&#20013;</p><table><tr><td>a&nbsp;b</td><td>&#49;&#50;</td></tr></table>`},
		{"br in cell", `<table><tr><td>商业<br/>企业</td><td>科研<p>机构</p></td><td>a<br>1</td></tr></table>`},
		{"form around rows", `<table><form><tr><td>a</td></tr></form><tr><td>b</td></tr></table>`},
		{"object", `<div>a<object><div>b</div></object>c</div>`},
		{"unclosed table", `<p>x<table><tr><td>a<td>1`},
		{"empty table", `<table></table><table><tr></tr></table>text`},
	}
}

// TestHTMLWalkerMalformed checks the tree builder's recoveries that decide
// which text belongs to which cell and line, against
// testdata/html_walker.golden (go test ./parser -run TestHTMLWalkerMalformed
// -update rewrites it; review the diff).
func TestHTMLWalkerMalformed(t *testing.T) {
	var got strings.Builder
	for _, tc := range walkerCases() {
		d, err := htmlDocument([]byte(tc.page), 200_000, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		fmt.Fprintf(&got, "== %s\n%s", tc.name, docShape(d))
		var keys []string
		for k := range d.meta {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&got, "meta %s=%q\n", k, d.meta[k])
		}
	}
	checkGoldenText(t, filepath.Join("testdata", "html_walker.golden"), "the walker", got.String())
}

// pageGen writes random report-like HTML: paragraphs, headings, lists and
// tables nested in cells, inline markup, scripts, entities, and end tags of
// p, li, span, div, td and tr left out as portals' editors do.
type pageGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *pageGen) end(tag string, optional bool) {
	if optional && g.r.IntN(4) == 0 {
		return
	}
	g.b.WriteString("</" + tag + ">")
}

func (g *pageGen) inline() {
	words := []string{"文字", "规章", "12", " ", "\n", "一、总体情况", "&nbsp;", "&lt;x&gt;", "3.5", "商业\n企业"}
	for range 1 + g.r.IntN(3) {
		switch g.r.IntN(8) {
		case 0:
			g.b.WriteString("<span>")
			g.inline()
			g.end("span", true)
		case 1:
			g.b.WriteString("<br>")
		case 2:
			g.b.WriteString("<img src=x>")
		case 3:
			g.b.WriteString("<script>var x='<td>';</script>")
		case 4:
			g.b.WriteString("<b><font>")
			g.inline()
			g.b.WriteString("</font></b>")
		default:
			g.b.WriteString(words[g.r.IntN(len(words))])
		}
	}
}

func (g *pageGen) blocks(depth int) {
	for range 1 + g.r.IntN(4) {
		switch k := g.r.IntN(10); {
		case k < 3:
			g.b.WriteString("<p>")
			g.inline()
			g.end("p", true)
		case k < 5:
			tag := []string{"div", "center", "h1", "h2", "h3"}[g.r.IntN(5)]
			g.b.WriteString("<" + tag + ">")
			if depth > 0 && g.r.IntN(2) == 0 {
				g.blocks(depth - 1)
			} else {
				g.inline()
			}
			g.end(tag, tag == "div")
		case k < 6:
			g.b.WriteString("<ul>")
			for range 1 + g.r.IntN(3) {
				g.b.WriteString("<li>")
				g.inline()
				g.end("li", true)
			}
			g.b.WriteString("</ul>")
		case k < 9 && depth > 0:
			g.table(depth)
		default:
			g.inline()
		}
	}
}

func (g *pageGen) table(depth int) {
	g.b.WriteString("<table>")
	if g.r.IntN(2) == 0 {
		g.b.WriteString("<tbody>")
	}
	for range 1 + g.r.IntN(4) {
		g.b.WriteString("<tr>")
		for range 1 + g.r.IntN(4) {
			switch g.r.IntN(5) {
			case 0:
				g.b.WriteString(`<td rowspan="2">`)
			case 1:
				g.b.WriteString(`<TH COLSPAN=2 style="width:10%">`)
			default:
				g.b.WriteString("<td>")
			}
			if g.r.IntN(3) == 0 {
				g.blocks(depth - 1)
			} else {
				g.inline()
			}
			g.end("td", true)
		}
		g.end("tr", true)
	}
	g.b.WriteString("</table>")
}

// TestHTMLWalkerGenerated checks on generated pages that the walker loses
// and duplicates no page text: the characters of its lines and (distinct)
// cells are those of the body goquery gives, once the elements whose
// content is not page text are removed.
func TestHTMLWalkerGenerated(t *testing.T) {
	for seed := range uint64(1500) {
		g := &pageGen{r: rand.New(rand.NewPCG(seed, 7))}
		g.b.WriteString("<html><head><title>t</title></head><body>")
		g.blocks(3)
		page := []byte(g.b.String())
		d, err := htmlDocument(page, 200_000, nil, nil)
		if err != nil {
			t.Fatalf("page %d: %v", seed, err)
		}
		gq, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		gq.Find("script,style,noscript,template,iframe,object,svg,select,textarea,button,math,canvas").Remove()
		if got, want := runeCounts(docText(d)), runeCounts(gq.Find("body").Text()); got != want {
			t.Errorf("page %d: walker text %s, goquery text %s\n%s", seed, got, want, page)
		}
	}
}

// docText returns the text of a document's lines and distinct cells.
func docText(d *document) string {
	var b strings.Builder
	seen := map[int32]bool{}
	for _, bl := range d.blocks {
		b.WriteString(bl.line)
		for _, row := range bl.grid {
			for _, c := range row {
				if !seen[c.id] {
					seen[c.id] = true
					b.WriteString(c.text)
				}
			}
		}
	}
	return b.String()
}

// runeCounts renders the multiset of s's non-space characters.
func runeCounts(s string) string {
	var rs []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			rs = append(rs, r)
		}
	}
	slices.Sort(rs)
	return strconv.Quote(string(rs))
}

// TestHTMLTooDeep checks a page nested past the tree builder's limit (512
// open elements) is still read, from its text: the same figures as the
// page without the nesting.
func TestHTMLTooDeep(t *testing.T) {
	page, err := os.ReadFile(benchPage)
	if err != nil {
		t.Fatal(err)
	}
	p := testParser(t)
	ctx := context.Background()
	want, err := p.Parse(ctx, Input{Source: "plain.html", Body: page, ContentType: "text/html; charset=utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	deep := bytes.Replace(page, []byte("<body"), []byte(strings.Repeat("<font>", 600)+"<body"), 1)
	if _, err := htmlDocument(deep, 200_000, nil, nil); err == nil {
		t.Fatal("the page with 600 nested fonts parsed as a tree; the test needs one the tree builder refuses")
	}
	got, err := p.Parse(ctx, Input{Source: "deep.html", Body: deep, ContentType: "text/html; charset=utf-8"})
	if err != nil {
		t.Fatalf("Parse of a page nested 600 deep: %v", err)
	}
	if got.Template != want.Template || got.Year != want.Year || len(got.Facts) < len(want.Facts)*9/10 {
		t.Errorf("deep page: template %s year %d, %d facts; want %s %d, about %d facts",
			got.Template, got.Year, len(got.Facts), want.Template, want.Year, len(want.Facts))
	}
	for _, code := range []string{"requests.new", "outcome.granted", "outcome.total", "reviews.total"} {
		if g, w := statOf(got, code), statOf(want, code); g != w {
			t.Errorf("deep page: %s = %v, want %v", code, g, w)
		}
	}
}

// statOf returns the applicant-total value of a metric, or "absent".
func statOf(r *Report, code string) string {
	for _, f := range r.Facts {
		if f.Metric == code && f.Applicant == "total" {
			return strconv.FormatFloat(f.Value, 'g', -1, 64)
		}
	}
	return "absent"
}
