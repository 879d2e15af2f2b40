package parser

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Span limits for HTML table cells; the HTML standard caps colspan at 1000
// and rowspan at 65534, far beyond any report table.
const (
	maxColspan = 100
	maxRowspan = 1000
)

// htmlDocument reduces UTF-8 HTML to a document: block elements become
// lines, innermost tables become grids with rowspan and colspan expanded.
// Tables that contain tables are page layout and are read as blocks.
func htmlDocument(page []byte, maxCells int) (*document, error) {
	gq, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	d := &document{format: FormatHTML, meta: make(map[string]string)}
	w := &htmlWalker{d: d, maxCells: maxCells}
	for _, n := range gq.Nodes {
		w.walk(n)
	}
	w.flush()
	return d, nil
}

// htmlWalker accumulates the current line while walking the DOM.
type htmlWalker struct {
	d        *document
	cur      []byte
	nextID   int32
	maxCells int
	cells    int
}

// flush ends the current line.
func (w *htmlWalker) flush() {
	line := strings.TrimSpace(string(w.cur))
	w.cur = w.cur[:0]
	if line != "" {
		w.d.blocks = append(w.d.blocks, block{line: line})
	}
}

// text appends a text node, collapsing runs of HTML whitespace to one space.
// Non-breaking spaces are kept: pages use them to lay out columns.
func (w *htmlWalker) text(s string) {
	w.cur = appendCollapsed(w.cur, s)
}

// appendCollapsed appends s to b with runs of ASCII whitespace collapsed.
func appendCollapsed(b []byte, s string) []byte {
	space := len(b) > 0 && b[len(b)-1] == ' '
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
			if !space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = true
			continue
		}
		b = append(b, c)
		space = false
	}
	return b
}

// skipped are elements whose content is not page text.
func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object,
		atom.Svg, atom.Select, atom.Textarea, atom.Button, atom.Head, atom.Math, atom.Canvas:
		return true
	}
	return false
}

// isBlock reports whether an element breaks lines.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Tr, atom.Td, atom.Th, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot,
		atom.Caption, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Nav, atom.Aside, atom.Main,
		atom.Blockquote, atom.Pre, atom.Form, atom.Center, atom.Hr, atom.Address, atom.Figure, atom.Figcaption,
		atom.Body, atom.Html, atom.Fieldset, atom.Legend, atom.Details, atom.Summary:
		return true
	}
	return false
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		return
	default:
		return
	}
	a := n.DataAtom
	switch {
	case a == atom.Head:
		w.head(n)
		return
	case skipped(a):
		return
	case a == atom.Br:
		w.flush()
		return
	case a == atom.Img:
		w.d.images++
		return
	case a == atom.Table && !hasNested(n, atom.Table):
		w.flush()
		if w.table(n) {
			return
		}
		// A layout table: read its cells as blocks below.
	case a == atom.H1 || a == atom.H2 || a == atom.H3:
		if len(w.d.headings) < 20 {
			w.d.headings = append(w.d.headings, strings.TrimSpace(string(appendText(nil, n))))
		}
	}
	block := isBlock(a)
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.flush()
	}
}

// head reads <title> and <meta name=… content=…> from the document head.
func (w *htmlWalker) head(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Title:
			if w.d.htmlTitle == "" {
				w.d.htmlTitle = strings.TrimSpace(string(appendText(nil, c)))
			}
		case atom.Meta:
			var name, content string
			for _, a := range c.Attr {
				switch a.Key {
				case "name":
					name = strings.ToLower(strings.TrimSpace(a.Val))
				case "content":
					content = a.Val
				}
			}
			if name != "" && content != "" && w.d.meta[name] == "" {
				w.d.meta[name] = content
			}
		}
	}
}

// maxDataCellRunes is the longest cell text a data table has: the
// template's longest label is under 50 characters. A table with a longer
// cell lays out the page (the report body in one cell) and is read as
// blocks, keeping its paragraphs apart.
const maxDataCellRunes = 120

// hasNested reports whether n has a descendant element a.
func hasNested(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == a || hasNested(c, a)) {
			return true
		}
	}
	return false
}

// appendText appends the text content of n, collapsed; block children and
// <br> are joined with a newline.
func appendText(b []byte, n *html.Node) []byte {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			b = appendCollapsed(b, c.Data)
		case html.ElementNode:
			if skipped(c.DataAtom) {
				continue
			}
			if c.DataAtom == atom.Br || isBlock(c.DataAtom) {
				b = append(b, '\n')
			}
			b = appendText(b, c)
			if isBlock(c.DataAtom) {
				b = append(b, '\n')
			}
		}
	}
	return b
}

// rows returns the tr elements of a table, in order, not descending into
// nested tables.
func rows(n *html.Node, out []*html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			out = append(out, c)
		case atom.Table:
		default:
			out = rows(c, out)
		}
	}
	return out
}

// span reads a rowspan or colspan attribute, clamped to [1, limit].
func span(n *html.Node, key string, limit int) int {
	for _, a := range n.Attr {
		if a.Key == key {
			v, err := strconv.Atoi(strings.TrimSpace(a.Val))
			if err != nil || v < 1 {
				return 1
			}
			return min(v, limit)
		}
	}
	return 1
}

// table expands a table into a grid block. It reports false, adding
// nothing, for a layout table: one with a cell longer than any data cell.
func (w *htmlWalker) table(t *html.Node) bool {
	trs := rows(t, nil)
	if len(trs) == 0 {
		return true
	}
	grid := make([][]gcell, len(trs))
	width := 0
	for _, tr := range trs {
		n := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
				n += span(td, "colspan", maxColspan)
			}
		}
		width = max(width, n)
	}
	width = min(width, maxColspan)
	for ri := range grid {
		grid[ri] = make([]gcell, 0, width)
	}
	for ri, tr := range trs {
		col := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type != html.ElementNode || td.DataAtom != atom.Td && td.DataAtom != atom.Th {
				continue
			}
			for col < len(grid[ri]) && grid[ri][col].id != 0 {
				col++
			}
			rs := min(span(td, "rowspan", maxRowspan), len(trs)-ri)
			cs := span(td, "colspan", maxColspan)
			if w.cells+rs*cs > w.maxCells {
				w.d.blocks = append(w.d.blocks, block{grid: grid[:ri]})
				return true
			}
			text := cellText(td)
			if len(text) > maxDataCellRunes && runeLen(text) > maxDataCellRunes {
				return false
			}
			w.cells += rs * cs
			w.nextID++
			c := gcell{text: text, id: w.nextID}
			for r := ri; r < ri+rs; r++ {
				for len(grid[r]) < col+cs {
					grid[r] = append(grid[r], gcell{})
				}
				for k := col; k < col+cs; k++ {
					grid[r][k] = c
				}
			}
			col += cs
		}
	}
	// Unfilled slots are distinct blank cells.
	for _, row := range grid {
		for k := range row {
			if row[k].id == 0 {
				w.nextID++
				row[k].id = w.nextID
			}
		}
	}
	w.d.blocks = append(w.d.blocks, block{grid: grid})
	return true
}

// cellText returns a cell's text with its lines joined: directly between
// two hanzi ("商业\n企业" → "商业企业"), else with a space.
func cellText(td *html.Node) string {
	return joinLines(string(appendText(nil, td)))
}

// joinLines joins the lines of a cell.
func joinLines(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			prev := b.String()
			if !(lastIsHan(prev) && firstIsHan(l)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func lastIsHan(s string) bool {
	r := []rune(s[max(0, len(s)-4):])
	return len(r) > 0 && r[len(r)-1] >= 0x2E80
}

func firstIsHan(s string) bool {
	for _, r := range s {
		return r >= 0x2E80
	}
	return false
}
