package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tokenizeLinks is the reference the scanner is checked against: the same
// extraction with golang.org/x/net/html's tokenizer (what the crawler used
// before scanLinks, several times slower).
func tokenizeLinks(body []byte, base *url.URL, nested bool) []link {
	var out []link
	z := html.NewTokenizer(bytes.NewReader(body))
	cur := -1 // index in out of the open <a>, collecting text
	var text strings.Builder
	inScript := false
	add := func(raw []byte, txt string) int {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] == '#' {
			return -1
		}
		if hasPrefixFold(raw, "javascript:") || hasPrefixFold(raw, "mailto:") || hasPrefixFold(raw, "tel:") || hasPrefixFold(raw, "data:") {
			return -1
		}
		u, err := base.Parse(string(raw))
		if err != nil {
			return -1
		}
		out = append(out, link{url: normalize(u), text: txt})
		return len(out) - 1
	}
	closeA := func() {
		if cur >= 0 {
			out[cur].text = collapse(text.String())
			cur = -1
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			closeA()
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script:
				inScript = true
				continue
			case atom.A, atom.Area, atom.Base, atom.Frame, atom.Iframe, atom.Link:
			default:
				continue
			}
			var href, src, title, rel []byte
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					href = v
				case "src":
					src = v
				case "title":
					title = v
				case "rel":
					rel = v
				}
			}
			switch a {
			case atom.Base:
				if href != nil {
					if u, err := base.Parse(string(bytes.TrimSpace(href))); err == nil {
						base = u
					}
				}
			case atom.A, atom.Area:
				closeA()
				if i := add(href, ""); i >= 0 && a == atom.A {
					cur = i
					text.Reset()
					if len(title) > 0 {
						text.Write(title)
						text.WriteByte(' ')
					}
				}
			case atom.Frame, atom.Iframe:
				add(src, "")
			case atom.Link:
				if bytes.EqualFold(bytes.TrimSpace(rel), []byte("next")) {
					add(href, "下一页")
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.A:
				closeA()
			case atom.Script:
				inScript = false
			}
		case html.TextToken:
			if inScript {
				js := z.Text()
				for _, p := range scriptPages(js) {
					add([]byte(p), "下一页")
				}
				// Hanweb lists carry their entries as HTML inside a
				// <script type="text/xml"> data store.
				if !nested && hasAnchor(js) {
					js = bytes.ReplaceAll(js, []byte("<![CDATA["), nil)
					js = bytes.ReplaceAll(js, []byte("]]>"), nil)
					out = append(out, tokenizeLinks(js, base, true)...)
				}
			} else if cur >= 0 {
				text.Write(z.Text())
			}
		}
	}
}

// The scanner finds what the tokenizer finds, on real-shaped pages and on
// the awkward cases: comments, unquoted and entity-laden attributes, tags
// in upper case, anchors left open, links inside scripts and styles.
func TestScanMatchesTokenizer(t *testing.T) {
	page, err := os.ReadFile("testdata/list-20k.html")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"benchmark list page": string(page),
		"comment":             `<a href="/a.html">A</a><!-- <a href="/hidden.html">x</a> --><a href=/b.html>B</a>`,
		"entities":            `<a href="/list.jsp?a=1&amp;pageNum=2" title="&lt;2022&gt;年报">下一页 &raquo;</a>`,
		"upper":               `<A HREF="/UP.html" TITLE="t">Up <B>bold</B></A><IFRAME SRC="/f.html"></IFRAME>`,
		"open":                `<a href="/1.html">one <a href="/2.html">two</a>`,
		"nested":              `<script type="text/xml"><record><![CDATA[<li><a href="/art/2023/1/1/art_1_2.html" title="年度报告">x</a></li>]]></record></script>`,
		"pages":               `<script>createPageHTML(4, 0, "index", "html");</script><link rel="next" href="index_1.html">`,
		"style":               `<style>a[href="/no.html"] { color: red }</style><a href="/yes.html">yes</a>`,
		"base":                `<base href="http://127.0.0.9/sub/"><a href="x.html">x</a><area href="y.html">`,
		"unquoted":            `<a href=/u.html class=x>u</a><a href='/s.html'>s</a><a href = "/sp.html" >sp</a>`,
		"schemes":             `<a href="javascript:void(0)">j</a><a href="mailto:a@b">m</a><a href="#top">t</a><a href="">e</a>`,
		"newlines":            "<a\nhref=\"/n.html\"\ntitle=\"t\">\n  line\n  two\n</a>",
	}
	base, _ := url.Parse("http://127.0.1.7:8080/zwgk/zfxxgknb/index.html")
	for name, body := range cases {
		got := render(scanLinks([]byte(body), base, false))
		want := render(tokenizeLinks([]byte(body), base, false))
		if got != want {
			t.Errorf("%s:\nscanner   %s\ntokenizer %s", name, got, want)
		}
	}
}

func render(ls []link) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "[%s | %s] ", l.url, l.text)
	}
	return b.String()
}

// FuzzScanLinks: the scanner never panics on any input, and every link it
// returns is an absolute http(s) or other URL with a host or path.
func FuzzScanLinks(f *testing.F) {
	page, _ := os.ReadFile("testdata/list-20k.html")
	f.Add(page)
	f.Add([]byte(`<a href="/a.html" title="t">x<a href=b>`))
	f.Add([]byte(`<script><a href="/x"></script><!--`))
	f.Add([]byte(`<a href="&#x`))
	base, _ := url.Parse("http://127.0.0.9/a/b.html")
	f.Add([]byte("<a href=\"/\xe4\xb8.html\" title=\"\xff\">\xe4<b>\xb8\xad</b></a>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		got := scanLinks(body, base, false)
		for _, l := range got {
			if l.url == nil {
				t.Fatal("nil URL")
			}
		}
		// Invalid UTF-8 is replaced in what the scanner takes exactly as
		// validating the whole page first would.
		if g, w := render(got), render(scanLinks(bytes.ToValidUTF8(body, []byte("\uFFFD")), base, false)); g != w {
			t.Errorf("raw body:\n%s\nvalidated body:\n%s", g, w)
		}
	})
}

// TestScanLinksInvalidUTF8: links and their text from a page with invalid
// UTF-8 are those of the page with its invalid sequences replaced first
// (what decoding used to do), including sequences that tags split.
func TestScanLinksInvalidUTF8(t *testing.T) {
	cases := map[string]string{
		"href":       "<a href=\"/\xe4\xb8.html\">x</a>",
		"title":      "<a href=\"/t.html\" title=\"\xff\xfe年报\">x</a>",
		"split text": "<a href=\"/s.html\">\xe4<b>\xb8\xad</b>文</a>",
		"entity":     "<a href=\"/e.html\">\xe4&#x4e2d;\xb8</a>",
		"base":       "<base href=\"http://127.0.0.9/\xc3/\"><a href=\"x.html\">x</a>",
		"script":     "<script>var s='<a href=\"/j\xed\xa0\x80.html\">\xf0\x9f</a>';</script>",
		"valid":      "<a href=\"/v.html\">中文</a>",
	}
	base, _ := url.Parse("http://127.0.1.7:8080/zwgk/zfxxgknb/index.html")
	for name, body := range cases {
		got := render(scanLinks([]byte(body), base, false))
		want := render(scanLinks(bytes.ToValidUTF8([]byte(body), []byte("\uFFFD")), base, false))
		if got != want {
			t.Errorf("%s:\nraw       %s\nvalidated %s", name, got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: invalid UTF-8 in %q", name, got)
		}
	}
}

// BenchmarkTokenizeLinks is the tokenizer's time on the page
// BenchmarkExtractLinks reads, for comparison.
func BenchmarkTokenizeLinks(b *testing.B) {
	body, err := os.ReadFile("testdata/list-20k.html")
	if err != nil {
		b.Fatal(err)
	}
	base, _ := url.Parse("http://127.0.1.7:8080/zwgk/zfxxgknb/index_2.html")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		tokenizeLinks(body, base, false)
	}
}
