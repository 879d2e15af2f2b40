package parser

// The DOM walker the parser used before it read HTML in one tokenizer pass:
// html.Parse (through goquery), then a walk of the tree. It is kept here as
// the reference the tokenizer walker is compared with.

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// domDocument reduces UTF-8 HTML to a document: block elements become
// lines, innermost tables become grids with rowspan and colspan expanded.
// Tables that contain tables are page layout and are read as blocks.
func domDocument(page []byte, maxCells int) (*document, error) {
	gq, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	d := &document{format: FormatHTML, meta: make(map[string]string)}
	w := &domWalker{d: d, maxCells: maxCells}
	for _, n := range gq.Nodes {
		w.walk(n)
	}
	w.flush()
	return d, nil
}

// domWalker accumulates the current line while walking the DOM.
type domWalker struct {
	d        *document
	cur      []byte
	nextID   int32
	maxCells int
	cells    int
}

// flush ends the current line.
func (w *domWalker) flush() {
	line := strings.TrimSpace(string(w.cur))
	w.cur = w.cur[:0]
	if line != "" {
		w.d.blocks = append(w.d.blocks, block{line: line})
	}
}

// text appends a text node, collapsing runs of HTML whitespace to one space.
// Non-breaking spaces are kept: pages use them to lay out columns.
func (w *domWalker) text(s string) {
	w.cur = appendCollapsed(w.cur, s)
}

func (w *domWalker) walk(n *html.Node) {
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
	case a == atom.Table && !domHasNested(n, atom.Table):
		w.flush()
		if w.table(n) {
			return
		}
		// A layout table: read its cells as blocks below.
	case a == atom.H1 || a == atom.H2 || a == atom.H3:
		if len(w.d.headings) < 20 {
			w.d.headings = append(w.d.headings, strings.TrimSpace(string(domAppendText(nil, n))))
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
func (w *domWalker) head(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Title:
			if w.d.htmlTitle == "" {
				w.d.htmlTitle = strings.TrimSpace(string(domAppendText(nil, c)))
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

// hasNested reports whether n has a descendant element a.
func domHasNested(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == a || domHasNested(c, a)) {
			return true
		}
	}
	return false
}

// appendText appends the text content of n, collapsed; block children and
// <br> are joined with a newline.
func domAppendText(b []byte, n *html.Node) []byte {
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
			b = domAppendText(b, c)
			if isBlock(c.DataAtom) {
				b = append(b, '\n')
			}
		}
	}
	return b
}

// rows returns the tr elements of a table, in order, not descending into
// nested tables.
func domRows(n *html.Node, out []*html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			out = append(out, c)
		case atom.Table:
		default:
			out = domRows(c, out)
		}
	}
	return out
}

// span reads a rowspan or colspan attribute, clamped to [1, limit].
func domSpan(n *html.Node, key string, limit int) int {
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
func (w *domWalker) table(t *html.Node) bool {
	trs := domRows(t, nil)
	if len(trs) == 0 {
		return true
	}
	grid := make([][]gcell, len(trs))
	width := 0
	for _, tr := range trs {
		n := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
				n += domSpan(td, "colspan", maxColspan)
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
			rs := min(domSpan(td, "rowspan", maxRowspan), len(trs)-ri)
			cs := domSpan(td, "colspan", maxColspan)
			if w.cells+rs*cs > w.maxCells {
				w.d.blocks = append(w.d.blocks, block{grid: grid[:ri]})
				return true
			}
			text := domCellText(td)
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
func domCellText(td *html.Node) string {
	return joinLines(string(domAppendText(nil, td)))
}
