package parser

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/nianbao/nianbao/simulator/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// walkedShape renders everything the walker reads from a page: the
// document's blocks, title, headings, images and metas.
func walkedShape(d *document) string {
	var b strings.Builder
	b.WriteString(docShape(d))
	keys := make([]string, 0, len(d.meta))
	for k := range d.meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "meta %s=%q\n", k, d.meta[k])
	}
	return b.String()
}

// compareTrees walks page as built by fastTree (from chunks, which may
// hold nodes of earlier pages) and by html.Parse. It reports whether the
// fast path took the page, and an error when the two walks differ.
func compareTrees(page []byte, chunks *nodeChunks) (fast bool, err error) {
	root, release, ok := fastTree(page, chunks)
	if !ok {
		return false, nil
	}
	defer release()
	slow, perr := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if perr != nil {
		return true, fmt.Errorf("fastTree built a tree of a page html.Parse refuses (%v)", perr)
	}
	got := walkedShape(walkDocument(goquery.NewDocumentFromNode(root), 200_000, nil))
	want := walkedShape(walkDocument(slow, 200_000, nil))
	if got != want {
		return true, fmt.Errorf("walks differ:\nfast tree:\n%s\nhtml.Parse:\n%s", got, want)
	}
	return true, nil
}

// generatedPages returns pageGen pages, half wrapped in a full outline, and
// the simulator's report pages of every template.
func generatedPages(t testing.TB, n int) [][]byte {
	var pages [][]byte
	for seed := range uint64(n) {
		g := &pageGen{r: rand.New(rand.NewPCG(seed, 11))}
		wrapped := seed%2 == 0
		if wrapped {
			g.b.WriteString("<!DOCTYPE html>\n<html>\n<head><meta charset=utf-8><title>t</title></head>\n<body>")
		}
		g.blocks(3)
		if wrapped {
			g.b.WriteString("</body>\n</html>\n")
		}
		pages = append(pages, []byte(g.b.String()))
	}
	templates := []string{render.TemplateNarrative, render.TemplateTable2019, render.TemplateTable2021}
	for i := range n / 10 {
		c := genCase(i)
		c.template = templates[i%3]
		doc, err := render.Build(c.report)
		if err != nil {
			t.Fatal(err)
		}
		page := render.Page{Charset: "utf-8", SiteName: c.report.Agency, HeaderLayout: i % 2,
			Meta:    render.Meta{IndexNo: fmt.Sprintf("x/%d", i), Publisher: c.report.Agency},
			Doc:     doc,
			Options: render.HTMLOptions{WrapCells: i%3 == 0}}.HTML()
		pages = append(pages, page)
	}
	return pages
}

// TestFastTreeMatchesParser checks that on every page the fast tree takes
// the walker reads exactly what it reads from html.Parse's tree: the
// walker's malformed cases, generated pages, the simulator's report pages
// and the HTML test pages. The report pages the benchmarks parse must take
// the fast path, and so must the simulator's.
func TestFastTreeMatchesParser(t *testing.T) {
	var taken, total int
	chunks := &nodeChunks{}
	check := func(name string, page []byte) bool {
		t.Helper()
		total++
		fast, err := compareTrees(page, chunks)
		if err != nil {
			t.Errorf("%s: %v\npage: %s", name, err, page)
		}
		if fast {
			taken++
		}
		return fast
	}
	files, _ := filepath.Glob("testdata/*.html")
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !check(f, page) && (strings.Contains(f, "dawuli") || strings.Contains(f, "hebao")) {
			t.Errorf("%s: the report page does not take the fast tree", f)
		}
	}
	for _, tc := range walkerCases() {
		check(tc.name, []byte(tc.page))
	}
	pages := generatedPages(t, 3000)
	sim := 0
	for i, page := range pages {
		if check(fmt.Sprintf("generated page %d", i), page) && i >= 3000 {
			sim++
		}
	}
	if sim != len(pages)-3000 {
		t.Errorf("%d of %d simulator report pages took the fast tree, want all", sim, len(pages)-3000)
	}
	t.Logf("%d of %d pages took the fast tree", taken, total)
	if taken < total/4 {
		t.Errorf("only %d of %d pages took the fast tree: the differential check tests little", taken, total)
	}
}

// TestFastTreeRecoveries checks the fast tree takes the recoveries of
// html.Parse that only close elements, and reads them as html.Parse does.
func TestFastTreeRecoveries(t *testing.T) {
	outline := func(body string) string {
		return "<html><head><title>t</title></head><body>" + body + "</body></html>"
	}
	for _, tc := range []struct{ name, page string }{
		{"no outline", "<p>x</p>"},
		{"no head", "<html><p>x</p></html>"},
		{"no body", "<html><head><title>t</title></head><p>x</p>"},
		{"element in head", "<html><head><title>t</title><div>a</div></head><body>b</body></html>"},
		{"meta after head", "<html><head></head><meta name=a content=b><title>t</title><body>x</body></html>"},
		{"unclosed cells", outline("<table><tr><td>a<td>b<tr><td><p>c<span>d<td>e</table>f")},
		{"implied tbody and tr", outline("<table><td>a</td></table><table><tbody><th>b</table>")},
		{"colgroup", outline("<table><col width=1><colgroup><col><tr><td>a</td></tr></table>")},
		{"caption", outline("<table><caption>c<b>d</b></caption><tr><td>a</td></tr></table>")},
		{"stray end tags", outline("<p>x</span></p></td></tr></table></p>y</div>")},
		{"block closes p", outline("<p>a<div>b</div>c</p><p>d<h2>e</h2><p>f<ul><li>g</ul>")},
		{"unclosed li", outline("<ul><li>a<span>b<li>c<div><li>d</ul><dl><dt>e<dd>f<dt>g</dl>")},
		{"heading in heading", outline("<h2>a<h3>b</h3></h2><h1>c</h2>")},
		{"unclosed in div", outline("<div><p>a<span>b</div>c")},
		{"cell outside table", outline("<td>a</td><tr>b")},
		{"select", outline("<select><option>a<option>b<optgroup><option>c</optgroup></select>")},
		{"text after body", "<html><head></head><body>a</body>b</html>"},
		{"content after html", "<html><head></head><body>a</body></html><p>b</p>"},
		{"closed formatting", outline("<p><b>a</b><font>b<span>c</span></font></p><table><tr><td><b>x<td>y</table>")},
		{"object", outline("<object><b>a</object>b")},
		{"end br", outline("a</br>b")},
	} {
		fast, err := compareTrees([]byte(tc.page), nil)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !fast {
			b := newTreeBuilder([]byte(tc.page), nil)
			b.run()
			t.Errorf("%s: fastTree refused %q at %q", tc.name, tc.page, b.stop)
		}
	}
}

// TestFastTreeRefuses checks pages on which html.Parse moves or reopens
// nodes are left to it.
func TestFastTreeRefuses(t *testing.T) {
	outline := func(body string) string {
		return "<html><head><title>t</title></head><body>" + body + "</body></html>"
	}
	for _, tc := range []struct{ name, page string }{
		{"text in table", outline("<table>stray<tr><td>a</td></tr></table>")},
		{"div in row", outline("<table><tr><div>x</div></tr></table>")},
		{"table in p", outline("<p>a<table><tr><td>1</td></tr></table></p>")},
		{"nested a", outline("<a href=x>a<a href=y>b</a></a>")},
		{"nested form", outline("<form><form></form></form>")},
		{"misnested formatting", outline("<p><b>a</p><p>b</b></p>")},
		{"formatting left open in p", outline("<p><i>a<div>b</div>")},
		{"formatting over a block", outline("<b><div>a</b>b</div>")},
		{"svg", outline("<svg><text>a</text></svg>")},
		{"template", outline("<template><p>a</p></template>")},
		{"NUL", outline("a\x00b")},
		{"too deep", outline(strings.Repeat("<span>", 600))},
	} {
		if _, _, ok := fastTree([]byte(tc.page), nil); ok {
			t.Errorf("%s: fastTree took %q", tc.name, tc.page)
		}
	}
	if _, _, ok := fastTree([]byte(outline(strings.Repeat("<span>", 500))), nil); !ok {
		t.Error("fastTree refused a page 503 elements deep, which html.Parse takes")
	}
}

// FuzzFastTree checks that the walker reads the same from the fast tree as
// from html.Parse's whenever the fast tree takes a page.
func FuzzFastTree(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.html")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	for _, tc := range walkerCases() {
		f.Add([]byte("<html><head></head><body>" + tc.page + "</body></html>"))
	}
	for _, page := range generatedPages(f, 40) {
		f.Add(page)
	}
	chunks := &nodeChunks{}
	f.Fuzz(func(t *testing.T, page []byte) {
		if _, err := compareTrees(page, chunks); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkFastTree builds the benchmark page's tree on the fast path.
func BenchmarkFastTree(b *testing.B) {
	body := readBench(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	chunks := &nodeChunks{}
	start, ok := processCPU()
	for b.Loop() {
		_, release, ok := fastTree(body, chunks)
		if !ok {
			b.Fatal("the benchmark page does not take the fast tree")
		}
		release()
	}
	reportCPU(b, start, ok)
}

// scannedTokens renders the tokens of page as the scanner reads them, or
// reports false where it leaves the page to the tokenizer.
func scannedTokens(page []byte) ([]string, bool) {
	z := scanner{s: string(page)}
	var out []string
	for {
		if !z.next() {
			return nil, false
		}
		switch z.kind {
		case scanEOF:
			return joinTexts(out), true
		case scanText:
			out = append(out, "T"+z.text)
		case scanStart:
			tok := "S" + z.name
			for i, a := range z.attrs {
				v, ok := attrValue(z.s[a.v0:a.v1])
				if !ok {
					return nil, false
				}
				tok += " " + z.keys[i] + "=" + strconv.Quote(v)
			}
			out = append(out, tok)
		case scanEnd:
			out = append(out, "E"+z.name)
		case scanComment:
			out = append(out, "C")
		}
	}
}

// tokenizerTokens renders the tokens golang.org/x/net/html's tokenizer
// reads from page, as scannedTokens does.
func tokenizerTokens(page []byte) []string {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			return joinTexts(out)
		case html.TextToken:
			out = append(out, "T"+string(z.Text()))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tok := "S" + string(name)
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				tok += " " + string(k) + "=" + strconv.Quote(string(v))
			}
			out = append(out, tok)
		case html.EndTagToken:
			name, _ := z.TagName()
			out = append(out, "E"+string(name))
		case html.CommentToken, html.DoctypeToken:
			out = append(out, "C")
		}
	}
}

// joinTexts joins adjacent text tokens.
func joinTexts(toks []string) []string {
	var out []string
	for _, t := range toks {
		if n := len(out); n > 0 && t[0] == 'T' && out[n-1][0] == 'T' {
			out[n-1] += t[1:]
			continue
		}
		out = append(out, t)
	}
	return out
}

// checkScanner compares the scanner's tokens of page with the
// tokenizer's, when the scanner takes the page.
func checkScanner(t *testing.T, name string, page []byte) bool {
	t.Helper()
	got, ok := scannedTokens(page)
	if !ok {
		return false
	}
	if want := tokenizerTokens(page); !slices.Equal(got, want) {
		t.Errorf("%s: scanner tokens differ from the tokenizer's\npage: %q\nscanner:   %q\ntokenizer: %q", name, page, got, want)
	}
	return true
}

// TestScannerMatchesTokenizer checks the scanner reads the tokens the
// tokenizer reads, on the test pages and on markup the tokenizer has
// special rules for.
func TestScannerMatchesTokenizer(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.html")
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !checkScanner(t, f, page) {
			t.Errorf("%s: the scanner does not take the page", f)
		}
	}
	for _, tc := range walkerCases() {
		checkScanner(t, tc.name, []byte(tc.page))
	}
	for i, page := range generatedPages(t, 300) {
		checkScanner(t, fmt.Sprintf("generated page %d", i), page)
	}
	for _, page := range []string{
		`a < b <1 <> <= &amp; &ampx &copy &#20013 &#x4e2d; &unknown; &`,
		`<P CLASS=x>A</P ><Td RowSpan="2" rowspan=3 COLSPAN = '4'>b</TD>`,
		`<td =x a= b=>c d e/f g='h>i' j="k>l">m</td>`,
		`<br/><br /><a/b><img src=x/><p / class=y>`,
		`<!-- a --> <!-- b ---> <!--> <!---> <!-- c --!> <!-- d --!- e --> <!doctype html> <!DOCTYPE x> <![endif]--> <?xml x?> </> </3> </ x>`,
		`<title>a &amp; <b> </TITLE> <textarea>x</textarea\n> <style>p{}</style > <script>if (a<b) x="</scrip";</script>`,
		`<noscript><p>x</p></noscript><iframe src=a>b</iframe><xmp>c</xmp>`,
		`<script language="javascript"><!-- if (a<b) document.write("x"); //--></script><p>y</p>`,
		`<script><!-- a --> <!-- b </script><p>z</p>`,
		`<script><!-- <script>x</script> y --></script><p>w</p>`,
		"a\r\nb\rc <p title=\"x\r\ny\">d</p>",
		`<meta name=Author content="a &amp; b"><meta name=x content="a &copy b">`,
		`<meta name=a content="x &mdash; y &#20013; &nbsp;&lt;&gt;"><td colspan="&#50;" rowspan="&#x33;">`,
		`<td rowspan=&foo;>`,
		`<meta name=b content="&ampfoo; &amp= &copy=x">`,
	} {
		checkScanner(t, page, []byte(page))
	}
}

// FuzzScanner checks the scanner reads the tokenizer's tokens whenever it
// takes a page.
func FuzzScanner(f *testing.F) {
	for _, tc := range walkerCases() {
		f.Add([]byte(tc.page))
	}
	f.Add([]byte(`<td =x a= b=>c<!-- d --!> <title>&amp;</title> <script>x</script> </3>`))
	f.Add([]byte(`<meta name=a content="x &mdash; &ampfoo; &amp= &#20013; &notin; &not;x"><td rowspan=&foo; colspan="&#x32;">`))
	f.Add([]byte(`<script><!-- if (a<b) x(); //--></script><SCRIPT><!-- <Script>y</script> --></script ><p>z`))
	f.Fuzz(func(t *testing.T, page []byte) {
		checkScanner(t, "fuzz", page)
	})
}

// TestCommonAtom checks the scanner's shortcut gives the atoms
// atom.Lookup gives, and nothing for other names.
func TestCommonAtom(t *testing.T) {
	for _, name := range []string{"td", "tr", "p", "span", "br", "div", "font", "a", "li", "b", "strong",
		"table", "tbody", "th", "img", "meta", "script"} {
		if got, want := commonAtom(name), atom.Lookup([]byte(name)); got != want || got == 0 {
			t.Errorf("commonAtom(%q) = %v, atom.Lookup gives %v", name, got, want)
		}
	}
	for _, name := range []string{"o:p", "x", "tdx", "TD", ""} {
		if got := commonAtom(name); got != 0 {
			t.Errorf("commonAtom(%q) = %v, want 0", name, got)
		}
	}
}
