package parser

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tokenLine renders one token for comparison: its type, its element (or
// text) and, for start tags, its attributes. Values with entities are left
// out: the scanner decodes them as text, the Tokenizer with the rules for
// attributes, which differ only for a name without ";" before a letter,
// digit or "=".
func tokenLine(tt html.TokenType, a atom.Atom, name string, text []byte, attrs [][2]string) string {
	switch tt {
	case html.TextToken:
		return fmt.Sprintf("text %q", text)
	case html.EndTagToken:
		return fmt.Sprintf("end %v %q", a, name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v %v %q", tt, a, name)
	for _, kv := range attrs {
		if strings.Contains(kv[1], "&") {
			kv[1] = "…"
		}
		fmt.Fprintf(&b, " %s=%q", kv[0], kv[1])
	}
	return b.String()
}

// tokenizerTokens returns the tokens golang.org/x/net/html's Tokenizer
// gives for page, comments and doctypes left out.
func tokenizerTokens(page []byte) []string {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.CommentToken, html.DoctypeToken:
			continue
		case html.TextToken:
			out = append(out, tokenLine(tt, 0, "", z.Text(), nil))
			continue
		}
		name, more := z.TagName()
		a := atom.Lookup(name)
		n := ""
		if a == 0 {
			n = string(name)
		}
		var attrs [][2]string
		for more && tt != html.EndTagToken {
			var k, v []byte
			k, v, more = z.TagAttr()
			attrs = append(attrs, [2]string{string(k), string(v)})
		}
		out = append(out, tokenLine(tt, a, n, nil, attrs))
	}
}

// scannerTokens returns the tokens htmlScanner gives for page.
func scannerTokens(page []byte) []string {
	s := newHTMLScanner(page)
	var out []string
	for {
		tt := s.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			out = append(out, tokenLine(tt, 0, "", s.Text(), nil))
			continue
		}
		a := s.Atom()
		n := ""
		if a == 0 {
			name := s.b[s.tagStart+1 : s.nameEnd]
			if tt == html.EndTagToken {
				name = s.b[s.tagStart+2 : s.nameEnd]
			}
			low := make([]byte, len(name))
			for i, c := range name {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				low[i] = c
			}
			n = strings.ReplaceAll(string(low), "\x00", "\ufffd")
		}
		var attrs [][2]string
		for more := s.HasAttr() && tt != html.EndTagToken; more; {
			var k, v []byte
			k, v, more = s.TagAttr()
			attrs = append(attrs, [2]string{string(k), string(v)})
		}
		out = append(out, tokenLine(tt, a, n, nil, attrs))
	}
}

// checkScanner compares the scanner with the Tokenizer on page.
func checkScanner(t *testing.T, name string, page []byte) {
	t.Helper()
	orig := append([]byte(nil), page...)
	want, got := tokenizerTokens(page), scannerTokens(page)
	if !bytes.Equal(page, orig) {
		t.Fatalf("%s: the scanner modified its input", name)
	}
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("%s: token %d = %s, Tokenizer %s", name, i, g, w)
			return
		}
	}
}

// TestScannerMatchesTokenizer compares the scanner's tokens with
// golang.org/x/net/html's on the testdata pages, generated pages and the
// tokenizer's corner cases.
func TestScannerMatchesTokenizer(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkScanner(t, f, page)
	}
	for seed := range uint64(300) {
		g := &pageGen{r: rand.New(rand.NewPCG(seed, 11))}
		g.blocks(3)
		checkScanner(t, fmt.Sprintf("page %d", seed), []byte(g.b.String()))
	}
	for _, page := range scannerCases() {
		checkScanner(t, page, []byte(page))
	}
}

// scannerCases are the tokenizer's corner cases.
func scannerCases() []string {
	return []string{
		"", "text", "a<b", "a < b", "a<", "a</", "a</>b", "a</ b>c", "a<!b>c", "a<?xml x?>b", "a<!", "a<!-", "<!DOCTYPE html>x",
		"<!---->x", "<!-->x", "<!--->x", "<!-- a -- b -->x", "<!-- a --!>x", "<!-- a --!-->x", "<!--x", "<![CDATA[a>b]]>c",
		`<td rowspan="2" colspan=3>x</td>`, `<TD ROWSPAN='2'>`, `<a href=x/>y`, `<br/>`, `<br />`, `<p/>x`, `<a b='>'>c`,
		`<a b="x`, `<a b=`, `<a b`, `<a`, `<a =b>`, `<a ==b>`, `<a b = "c" d>`, `<a/b/c>`, `<a b=c/ >`, `<a	b="1"
c='2'>`, `<meta name="PubDate" content="2021-01-29 10:00">`, `<a b="&amp;&lt;">`, "<a b=\"x\r\ny\">",
		"<script>a<b</script>x", "<script>a</scripty></script>x", "<SCRIPT>x</Script >y", "<script>x</script", "<script/>a</script>b",
		"<script><!-- a </script>b", "<script><!-- <script> </script> --></script>b", "<script><!-- <script></script>--></script>b",
		"<script><!--<script>x</script>y</script>z", "<script><!-- a <3 </script>b", "<script><!-->x</script>y",
		"<style>p{}</style>x", "<title>a &amp; b</title>", "<title>a<b>c</title>d", "<textarea>a&lt;</textarea>", "<xmp><b></xmp>x",
		"<iframe><p>x</iframe>y", "<noscript><p>x</p></noscript>y", "<plaintext><p>x</plaintext>", "<title>\x00</title>",
		"a\r\nb\rc", "&nbsp;&copy;&#20013;&#x4e2d;&notit;&amp", "a\x00b", "<p>\x00</p>", "<a\x00b>", "<tablE>",
		"<" + strings.Repeat("x", 40) + ">y", "</" + strings.Repeat("x", 40) + ">y",
	}
}

// FuzzScanner checks the scanner tokenizes every input as
// golang.org/x/net/html does.
func FuzzScanner(f *testing.F) {
	for _, page := range scannerCases() {
		f.Add([]byte(page))
	}
	seedCorpus(f, "*.html")
	f.Fuzz(func(t *testing.T, page []byte) {
		checkScanner(t, "fuzz", page)
	})
}
