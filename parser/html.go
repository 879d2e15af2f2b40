package parser

import (
	"bytes"
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

// maxHeadingBytes bounds the text kept of one h1–h3 heading: headings are
// title candidates, and a title is at most 70 characters.
const maxHeadingBytes = 1024

// maxHeadings is how many h1–h3 texts a document keeps.
const maxHeadings = 20

// htmlDocument reduces UTF-8 HTML to a document: block elements become
// lines, innermost tables become grids with rowspan and colspan expanded.
// Tables that contain tables are page layout and are read as blocks.
//
// The page is parsed by goquery (golang.org/x/net/html's tree builder, so
// unclosed cells, stray end tags and text misplaced inside a table are
// resolved as a browser resolves them), then its tree is walked once. A
// well-formed page, on which that builder's recoveries have nothing to do,
// is built by fastTree instead, to the same tree.
//
// The document works in s (nil to allocate); it must not outlive s's
// return to its pool.
func htmlDocument(page []byte, maxCells int, chunks *nodeChunks, s *scratch) (*document, error) {
	if root, release, ok := fastTree(page, chunks); ok {
		d := walkDocument(goquery.NewDocumentFromNode(root), maxCells, s)
		release()
		return d, nil
	}
	gq, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	return walkDocument(gq, maxCells, s), nil
}

// walkDocument reads a parsed page into a document working in s (nil to
// allocate).
func walkDocument(gq *goquery.Document, maxCells int, s *scratch) *document {
	d := &document{format: FormatHTML, meta: make(map[string]string), scratch: s}
	w := &htmlWalker{d: d, maxCells: maxCells}
	if s != nil {
		w.cur, w.textBuf, w.cellBuf = s.line, s.text, s.cells
	}
	for _, n := range gq.Nodes {
		w.walk(n)
	}
	w.flush()
	if s != nil {
		s.line, s.text, s.cells = w.cur, w.textBuf, w.cellBuf
	}
	return d
}

// htmlWalker accumulates the current line while walking the tree.
type htmlWalker struct {
	d        *document
	cur      []byte
	textBuf  []byte        // a cell's text being read
	cellBuf  []pendingCell // a table's cells being read
	nextID   int32
	maxCells int
	cells    int
	titled   bool // the head's title was read
}

// flush ends the current line.
func (w *htmlWalker) flush() {
	if len(w.cur) == 0 {
		return
	}
	b := bytes.TrimSpace(w.cur)
	w.cur = w.cur[:0]
	if len(b) > 0 {
		w.d.blocks = append(w.d.blocks, block{line: string(b)})
	}
}

// walk reads n and its subtree into the document.
func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.cur = appendCollapsed(w.cur, n.Data)
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	a := n.DataAtom
	switch {
	case a == atom.Meta:
		w.meta(n)
		return
	case a == atom.Head:
		// The head's first <title> is the page title; metas may stand in
		// the head.
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case c.DataAtom == atom.Meta:
				w.meta(c)
			case c.DataAtom == atom.Title && !w.titled:
				w.titled = true
				w.d.htmlTitle = strings.TrimSpace(string(appendText(nil, c, maxHeadingBytes)))
			}
		}
		return
	case skipped(a):
		return
	case a == atom.Br:
		w.flush()
		return
	case a == atom.Img || a == atom.Image:
		w.d.images++
		return
	case a == atom.Table && !hasDescendant(n, atom.Table):
		w.flush()
		if w.table(n) {
			return
		}
		// A layout table: its cells are read as blocks below.
	case a == atom.H1 || a == atom.H2 || a == atom.H3:
		if len(w.d.headings) < maxHeadings {
			w.d.headings = append(w.d.headings, strings.TrimSpace(string(appendText(nil, n, maxHeadingBytes))))
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

// meta reads <meta name=… content=…>, wherever it stands: some portals put
// their article metas in the body. The first of a name wins.
func (w *htmlWalker) meta(n *html.Node) {
	var name, content string
	for _, a := range n.Attr {
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

// hasDescendant reports whether n has a descendant element a.
func hasDescendant(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == a || hasDescendant(c, a)) {
			return true
		}
	}
	return false
}

// appendText appends the text content of n, collapsed, stopping once b
// holds limit bytes; block children and <br> are joined with a newline.
func appendText(b []byte, n *html.Node, limit int) []byte {
	for c := n.FirstChild; c != nil && len(b) < limit; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			b = appendCollapsed(b, c.Data)
		case html.ElementNode:
			if skipped(c.DataAtom) {
				continue
			}
			block := isBlock(c.DataAtom)
			if c.DataAtom == atom.Br || block {
				b = append(b, '\n')
			}
			b = appendText(b, c, limit)
			if block {
				b = append(b, '\n')
			}
		}
	}
	return b
}

// tableRows appends the tr elements of a table to out, in order, not
// descending into nested tables.
func tableRows(n *html.Node, out []*html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			out = append(out, c)
		case atom.Table:
		default:
			out = tableRows(c, out)
		}
	}
	return out
}

// pendingCell is a table cell read but not yet placed in the grid.
type pendingCell struct {
	text   string
	rs, cs int
}

// isCell reports whether n is a td or th element.
func isCell(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th)
}

// cellSpans reads a cell's rowspan and colspan, each clamped to [1, limit].
func cellSpans(n *html.Node) (rs, cs int) {
	rs, cs = 1, 1
	for _, a := range n.Attr {
		switch a.Key {
		case "rowspan":
			rs = spanValue(a.Val, maxRowspan)
		case "colspan":
			cs = spanValue(a.Val, maxColspan)
		}
	}
	return rs, cs
}

// spanValue reads a span attribute, clamped to [1, limit].
func spanValue(v string, limit int) int {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 9 {
		return 1
	}
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '+' && i == 0 && len(v) > 1 {
			continue
		}
		if c < '0' || c > '9' {
			return 1
		}
		n = n*10 + int(c-'0')
	}
	return max(1, min(n, limit))
}

// maxDataCellRunes is the longest cell text a data table has: the
// template's longest label is under 50 characters. A table with a longer
// cell lays out the page (the report body in one cell) and is read as
// blocks, keeping its paragraphs apart.
const maxDataCellRunes = 120

// table expands a table into a grid block. It reports false, adding
// nothing, for a layout table: one with a cell longer than any data cell.
// Past the document's cell budget the rows read so far are kept.
func (w *htmlWalker) table(t *html.Node) bool {
	trs := tableRows(t, nil)
	if len(trs) == 0 {
		return true
	}
	// Cell texts first: a layout table is known before anything is kept.
	// The width counts the columns rowspans carry down into a row.
	cells := w.cellBuf[:0]
	rowEnd := make([]int, len(trs))
	carry := make([]int, len(trs))
	width := 0
	for ri, tr := range trs {
		n := carry[ri]
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if !isCell(td) {
				continue
			}
			rs, cs := cellSpans(td)
			rs = min(rs, len(trs)-ri)
			w.textBuf = appendText(w.textBuf[:0], td, 1<<30)
			text := joinLinesBytes(w.textBuf)
			if len(text) > maxDataCellRunes && runeLen(text) > maxDataCellRunes {
				w.cellBuf = cells
				return false
			}
			cells = append(cells, pendingCell{text, rs, cs})
			n += cs
			for r := ri + 1; r < ri+rs; r++ {
				carry[r] += cs
			}
		}
		rowEnd[ri] = len(cells)
		width = max(width, n)
	}
	w.cellBuf = cells
	width = min(width, maxColspan)
	grid := make([][]gcell, len(trs))
	slots := w.d.scratch.gridSlots(len(trs) * width)
	for ri := range grid {
		grid[ri] = slots[ri*width : ri*width : (ri+1)*width]
	}
	next := 0
	for ri := range trs {
		col := 0
		for ; next < rowEnd[ri]; next++ {
			c := cells[next]
			for col < len(grid[ri]) && grid[ri][col].id != 0 {
				col++
			}
			if w.cells+c.rs*c.cs > w.maxCells {
				w.d.blocks = append(w.d.blocks, block{grid: grid[:ri]})
				return true
			}
			w.cells += c.rs * c.cs
			w.nextID++
			g := gcell{text: c.text, id: w.nextID}
			for r := ri; r < ri+c.rs; r++ {
				for len(grid[r]) < col+c.cs {
					grid[r] = append(grid[r], gcell{})
				}
				for k := col; k < col+c.cs; k++ {
					grid[r][k] = g
				}
			}
			col += c.cs
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

// joinLinesBytes is joinLines of a byte slice, copied once.
func joinLinesBytes(b []byte) string {
	b = bytes.TrimSpace(b)
	if bytes.IndexByte(b, '\n') < 0 {
		return string(b)
	}
	return joinLines(string(b))
}

// joinLines joins the lines of a cell: directly between two hanzi
// ("商业\n企业" → "商业企业"), else with a space.
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

// htmlTextDocument reads a page whose tree the HTML parser gave up on
// (more than 512 elements open at once, which only broken or hostile pages
// reach) from its tokens: its text, a line per block and per table cell,
// read as a plain-text rendering with one cell per line.
func htmlTextDocument(page []byte) *document {
	z := html.NewTokenizer(bytes.NewReader(page))
	var b []byte
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return textDocument(string(b), FormatText)
		case html.TextToken:
			if skip == 0 {
				b = appendCollapsed(b, string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skipped(a) && a != atom.Head:
				if tt == html.EndTagToken {
					skip = max(skip-1, 0)
				} else if tt == html.StartTagToken && !isVoid(a) {
					skip++
				}
			case a == atom.Br || a == atom.Title || isBlock(a):
				b = append(b, '\n')
			}
		}
	}
}

// isVoid reports whether an element has no content and no end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}
