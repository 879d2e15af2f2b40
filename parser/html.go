package parser

import (
	"bytes"
	"strconv"
	"strings"

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

// htmlDocument reduces UTF-8 HTML to a document: block elements become
// lines, innermost tables become grids with rowspan and colspan expanded.
// Tables that contain tables are page layout and are read as blocks.
//
// It reads the page in one pass over its tokens (htmlScanner, which
// tokenizes as golang.org/x/net/html does), without building a DOM: an
// element stack gives the effects of the HTML
// tree builder that matter for text (skipped elements, cells and rows
// closed implicitly, end tags that cannot reach outside a table cell, text
// misplaced inside a table moved before it as the tree builder's foster
// parenting does).
func htmlDocument(page []byte, maxCells int) (*document, error) {
	d := &document{format: FormatHTML, meta: make(map[string]string)}
	w := &htmlWalker{d: d, z: newHTMLScanner(page), maxCells: maxCells}
	if err := w.run(); err != nil {
		return nil, err
	}
	return d, nil
}

// openElem is an element on the walker's stack of open elements.
type openElem struct {
	a     atom.Atom
	frame int32 // the table frame it opens (tables) or belongs to (rows, cells), else -1
}

// tableFrame is a table being read. Until it contains a table, its content
// is kept as cells, from which a layout table (one with a cell longer than
// a data cell) gets its lines back; once it contains a table it is layout
// and its content goes to the document's blocks as it is read, like text
// outside tables.
type tableFrame struct {
	cells     []htmlCell // in document order
	rowStart  []int      // index in cells of each row's first cell
	rowOpen   bool
	inCell    bool     // a cell is open
	cell      htmlCell // the open cell's spans
	cellText  []byte   // the open cell's text, "\n" at line breaks
	outStart  int      // the number of document blocks when the table opened
	foster    []string // text outside any cell, which belongs before the table
	fosterCur []byte
	headings  []string
	images    int
	nested    bool // the table contains a table
}

// htmlCell is one td or th of a table frame.
type htmlCell struct {
	raw              string // the text, "\n" at line breaks
	rowspan, colspan int
}

// appendLines appends the non-blank lines of a cell's text as blocks.
func appendLines(blocks []block, raw string) []block {
	for raw != "" {
		line := raw
		if i := strings.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = ""
		}
		if line = strings.TrimSpace(line); line != "" {
			blocks = append(blocks, block{line: line})
		}
	}
	return blocks
}

// toBlocks turns f into a layout table: the cells read so far, and the open
// cell's text so far, become lines of the document.
func (w *htmlWalker) toBlocks(f *tableFrame) {
	if f.nested {
		return
	}
	f.nested = true
	for _, c := range f.cells {
		w.d.blocks = appendLines(w.d.blocks, c.raw)
	}
	if f.inCell {
		w.d.blocks = appendLines(w.d.blocks, string(f.cellText))
		f.cellText = f.cellText[:0]
	}
}

// openHeading is an h1–h3 being read: where it is on the stack, where its
// text starts in the walker's heading buffer, and the slot reserved for it
// in the headings of its table frame (nil: the document's).
type openHeading struct {
	depth int
	start int
	frame *tableFrame
	slot  int
}

// htmlWalker builds a document from the token stream.
type htmlWalker struct {
	d        *document
	z        *htmlScanner
	stack    []openElem
	frames   []*tableFrame
	skip     int  // skipped elements open: their content is not page text
	foreign  int  // of which svg or math, left by "breakout" tags
	body     bool // body content has started
	inTitle  bool // reading the head's <title>
	title    []byte
	cur      []byte        // the current line
	heads    []openHeading // the h1–h3 being read, outermost first
	headBuf  []byte        // their text
	nextID   int32
	maxCells int
	cells    int
}

func (w *htmlWalker) run() error {
	for {
		switch tt := w.z.Next(); tt {
		case html.ErrorToken:
			w.popTo(0)
			w.flush()
			return nil
		case html.TextToken:
			w.text(w.z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			w.start(w.z.Atom(), w.z.HasAttr(), tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			w.end(w.z.Atom())
		}
	}
}

// frame returns the innermost open table, or nil.
func (w *htmlWalker) frame() *tableFrame {
	if len(w.frames) == 0 {
		return nil
	}
	return w.frames[len(w.frames)-1]
}

// text handles a text token.
func (w *htmlWalker) text(s []byte) {
	if w.inTitle {
		w.title = appendCollapsedBytes(w.title, s)
		return
	}
	if w.skip > 0 {
		return
	}
	if !w.body {
		if len(bytes.TrimSpace(s)) == 0 {
			return
		}
		w.body = true
	}
	if len(w.heads) > 0 && len(w.headBuf) < maxHeadingBytes {
		w.headBuf = appendCollapsedBytes(w.headBuf, s)
	}
	if f := w.frame(); f != nil {
		if !f.inCell {
			f.fosterCur = appendCollapsedBytes(f.fosterCur, s)
			return
		}
		if !f.nested {
			f.cellText = appendCollapsedBytes(f.cellText, s)
			return
		}
	}
	w.cur = appendCollapsedBytes(w.cur, s)
}

// brk is a line break: a block boundary or <br>.
func (w *htmlWalker) brk() {
	if w.skip > 0 {
		return
	}
	if len(w.heads) > 0 && len(w.headBuf) < maxHeadingBytes {
		w.headBuf = append(w.headBuf, '\n')
	}
	if f := w.frame(); f != nil {
		if !f.inCell {
			w.flushFoster(f)
			return
		}
		if !f.nested {
			f.cellText = append(f.cellText, '\n')
			return
		}
	}
	w.flush()
}

// flush ends the current line.
func (w *htmlWalker) flush() {
	if len(w.cur) == 0 {
		return
	}
	b := bytes.TrimSpace(w.cur)
	w.cur = w.cur[:0]
	if len(b) == 0 {
		return
	}
	w.d.blocks = append(w.d.blocks, block{line: string(b)})
}

// brkTable is the line break of a table's structure (cells, rows,
// sections): none between runs of text misplaced outside the cells, which
// the tree builder joins before the table.
func (w *htmlWalker) brkTable() {
	if f := w.frame(); f != nil && !f.inCell {
		return
	}
	w.brk()
}

func (w *htmlWalker) flushFoster(f *tableFrame) {
	if b := bytes.TrimSpace(f.fosterCur); len(b) > 0 {
		f.foster = append(f.foster, string(b))
	}
	f.fosterCur = f.fosterCur[:0]
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

// appendCollapsedBytes is appendCollapsed for a byte slice.
func appendCollapsedBytes(b, s []byte) []byte {
	space := len(b) > 0 && b[len(b)-1] == ' '
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
			if !space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = true
			i++
			continue
		}
		// Copy the run up to the next whitespace at once.
		j := i + 1
		for j < len(s) && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' && s[j] != '\r' && s[j] != '\f' {
			j++
		}
		b = append(b, s[i:j]...)
		space = false
		i = j
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

// isVoid reports whether an element has no content and no end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Keygen,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.Basefont, atom.Bgsound:
		return true
	}
	return false
}

// breaksOutOfForeign reports whether a start tag ends svg or math content
// (the tree builder's list for foreign content).
func breaksOutOfForeign(a atom.Atom) bool {
	switch a {
	case atom.B, atom.Big, atom.Blockquote, atom.Body, atom.Br, atom.Center, atom.Code, atom.Dd, atom.Div,
		atom.Dl, atom.Dt, atom.Em, atom.Embed, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Head, atom.Hr, atom.I, atom.Img, atom.Li, atom.Listing, atom.Menu, atom.Meta, atom.Nobr,
		atom.Ol, atom.P, atom.Pre, atom.Ruby, atom.S, atom.Small, atom.Span, atom.Strong, atom.Strike,
		atom.Sub, atom.Sup, atom.Table, atom.Tt, atom.U, atom.Ul, atom.Var:
		return true
	}
	return false
}

// headElement reports whether an element may appear in the head without
// starting the body.
func headElement(a atom.Atom) bool {
	switch a {
	case atom.Html, atom.Head, atom.Title, atom.Meta, atom.Link, atom.Base, atom.Basefont, atom.Bgsound,
		atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Noframes:
		return true
	}
	return false
}

// tableSection reports whether an element structures a table.
func tableSection(a atom.Atom) bool {
	switch a {
	case atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption, atom.Colgroup, atom.Col:
		return true
	}
	return false
}

// maxStack bounds the open elements kept: deeper inline elements are not
// tracked (their end tags then find nothing to close), which keeps every
// stack search short on hostile input. Tables, rows and cells are always
// tracked.
const maxStack = 512

// start handles a start tag.
func (w *htmlWalker) start(a atom.Atom, hasAttr, selfClosing bool) {
	if w.skip > 0 {
		w.startSkipped(a, hasAttr, selfClosing)
		return
	}
	if !w.body && !headElement(a) {
		w.body = true
	}
	switch a {
	case atom.Html, atom.Body:
		w.brk()
		return
	case atom.Head, atom.Colgroup, atom.Col:
		return
	case atom.Title:
		// Its text follows as RCDATA, even after "<title/>".
		if !w.body && len(w.d.htmlTitle) == 0 && !w.inTitle {
			w.inTitle = true
			w.title = w.title[:0]
			return
		}
	case atom.Meta:
		if hasAttr {
			w.meta()
		}
		return
	case atom.Br, atom.Hr:
		w.brk()
		return
	case atom.Img, atom.Image:
		if f := w.frame(); f != nil && f.inCell {
			f.images++
		} else {
			w.d.images++
		}
		return
	case atom.Table:
		w.openTable()
		return
	case atom.Tr, atom.Td, atom.Th, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption:
		// Outside a table the tree builder ignores them.
		w.tableStart(a, hasAttr)
		return
	}
	if isVoid(a) {
		return
	}
	if skipped(a) {
		if selfClosing && (a == atom.Svg || a == atom.Math) {
			return
		}
		w.stack = append(w.stack, openElem{a: a, frame: -1})
		w.skip++
		if a == atom.Svg || a == atom.Math {
			w.foreign++
		}
		return
	}
	if closesP(a) {
		w.closeImplied(a)
	}
	if isBlock(a) {
		w.brk()
	}
	if len(w.stack) >= maxStack {
		return
	}
	w.push(a)
	if a == atom.H1 || a == atom.H2 || a == atom.H3 {
		w.openHeading()
	}
}

// startSkipped handles a start tag inside skipped content: only what ends
// that content matters.
func (w *htmlWalker) startSkipped(a atom.Atom, hasAttr, selfClosing bool) {
	if w.foreign > 0 {
		if breaksOutOfForeign(a) {
			// Leave the svg or math element and handle the tag.
			w.popTo(w.lastForeign())
			w.start(a, hasAttr, selfClosing)
			return
		}
	} else {
		switch a {
		case atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption:
			// A cell or row tag closes skipped content left open in the
			// current cell (an unclosed <select> or <button>).
			if i := w.lastIndex(atom.Td, atom.Th, atom.Table); i >= 0 && w.stack[i].frame >= 0 && w.skipAbove(i) {
				w.popTo(i + 1)
				if w.skip == 0 {
					w.start(a, hasAttr, selfClosing)
					return
				}
			}
		}
	}
	if selfClosing || isVoid(a) || len(w.stack) >= maxStack {
		return
	}
	w.push(a)
	if skipped(a) {
		w.skip++
		if a == atom.Svg || a == atom.Math {
			w.foreign++
		}
	}
}

// skipAbove reports whether a skipped element is open above stack index i.
func (w *htmlWalker) skipAbove(i int) bool {
	for _, e := range w.stack[i+1:] {
		if skipped(e.a) {
			return true
		}
	}
	return false
}

// lastForeign returns the stack index of the outermost open svg or math
// element.
func (w *htmlWalker) lastForeign() int {
	for i, e := range w.stack {
		if e.a == atom.Svg || e.a == atom.Math {
			return i
		}
	}
	return len(w.stack)
}

// meta reads <meta name=… content=…>.
func (w *htmlWalker) meta() {
	var name, content string
	for {
		k, v, more := w.z.TagAttr()
		switch string(k) {
		case "name":
			name = strings.ToLower(strings.TrimSpace(string(v)))
		case "content":
			content = string(v)
		}
		if !more {
			break
		}
	}
	if name != "" && content != "" && w.d.meta[name] == "" {
		w.d.meta[name] = content
	}
}

// push opens an element.
func (w *htmlWalker) push(a atom.Atom) {
	w.stack = append(w.stack, openElem{a: a, frame: -1})
}

// lastIndex returns the stack index of the innermost open element among
// as, or -1.
func (w *htmlWalker) lastIndex(as ...atom.Atom) int {
	for i := len(w.stack) - 1; i >= 0; i-- {
		for _, a := range as {
			if w.stack[i].a == a {
				return i
			}
		}
	}
	return -1
}

// scopeIndex returns the stack index of the innermost open a that an end
// tag can reach, or -1: the search stops at the boundaries of the tree
// builder's scopes (the enclosing cell or table, object, template; for p
// also button; for li the list, for dd and dt the dl).
func (w *htmlWalker) scopeIndex(a atom.Atom) int {
	for i := len(w.stack) - 1; i >= 0; i-- {
		e := w.stack[i].a
		if e == a {
			return i
		}
		switch e {
		case atom.Td, atom.Th, atom.Table, atom.Caption, atom.Object, atom.Template, atom.Applet,
			atom.Marquee:
			return -1
		case atom.Button:
			if a == atom.P {
				return -1
			}
		case atom.Ul, atom.Ol:
			if a == atom.Li {
				return -1
			}
		case atom.Dl:
			if a == atom.Dd || a == atom.Dt {
				return -1
			}
		}
	}
	return -1
}

// isHeading reports whether a is h1–h6.
func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// maxHeadings is how many h1–h3 texts a document keeps.
const maxHeadings = 20

// openHeading starts reading the heading just pushed, reserving its place
// among the headings of the table cell it is in, or of the document (text
// outside a table's cells belongs before the table).
func (w *htmlWalker) openHeading() {
	var f *tableFrame
	for i := len(w.frames) - 1; i >= 0; i-- {
		if w.frames[i].inCell {
			f = w.frames[i]
			break
		}
	}
	h := openHeading{depth: len(w.stack) - 1, start: len(w.headBuf), frame: f, slot: -1}
	switch {
	case f != nil:
		if len(f.headings) < maxHeadings {
			h.slot = len(f.headings)
			f.headings = append(f.headings, "")
		}
	case len(w.d.headings) < maxHeadings:
		h.slot = len(w.d.headings)
		w.d.headings = append(w.d.headings, "")
	}
	w.heads = append(w.heads, h)
}

// closeHeading ends the innermost heading being read.
func (w *htmlWalker) closeHeading() {
	h := w.heads[len(w.heads)-1]
	w.heads = w.heads[:len(w.heads)-1]
	text := strings.TrimSpace(string(w.headBuf[min(h.start, len(w.headBuf)):]))
	switch {
	case h.slot < 0:
	case h.frame != nil:
		h.frame.headings[h.slot] = text
	default:
		w.d.headings[h.slot] = text
	}
	if len(w.heads) == 0 {
		w.headBuf = w.headBuf[:0]
	}
}

// closesP reports whether a start tag closes an open p: the block
// elements of the tree builder's list.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details, atom.Dialog,
		atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Header,
		atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Search, atom.Section, atom.Summary,
		atom.Ul, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Pre, atom.Listing, atom.Form,
		atom.Xmp, atom.Li, atom.Dd, atom.Dt:
		return true
	}
	return false
}

// closeImplied closes an open p before a block, an open li before an li,
// and the like, as the tree builder does.
func (w *htmlWalker) closeImplied(a atom.Atom) {
	switch a {
	case atom.Li:
		if i := w.scopeIndex(atom.Li); i >= 0 {
			w.popTo(i)
		}
	case atom.Dd, atom.Dt:
		if i := w.scopeIndex(atom.Dd); i >= 0 {
			w.popTo(i)
		} else if i := w.scopeIndex(atom.Dt); i >= 0 {
			w.popTo(i)
		}
	}
	if i := w.scopeIndex(atom.P); i >= 0 {
		w.popTo(i)
	}
	if n := len(w.stack); isHeading(a) && n > 0 && isHeading(w.stack[n-1].a) {
		// A heading directly in a heading closes it.
		w.popTo(n - 1)
	}
}

// end handles an end tag.
func (w *htmlWalker) end(a atom.Atom) {
	if w.inTitle {
		if a == atom.Title {
			w.inTitle = false
			w.d.htmlTitle = strings.TrimSpace(string(w.title))
		}
		return
	}
	switch a {
	case atom.Html, atom.Body, atom.Head:
		return
	case atom.Br:
		w.brk()
		return
	case atom.Table:
		if i := w.lastIndex(atom.Table); i >= 0 {
			w.popTo(i)
		}
		return
	case atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot:
		ti := w.lastIndex(atom.Table)
		switch {
		case ti < 0:
		case w.stack[ti].frame < 0:
			// A table inside skipped content.
			w.popTo(ti + 1)
		case w.foreign == 0:
			w.closeRow(w.frames[w.stack[ti].frame])
		}
		return
	}
	i := w.scopeIndex(a)
	if i < 0 && isHeading(a) {
		// Any heading end tag closes the open heading.
		for _, h := range []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6} {
			i = max(i, w.scopeIndex(h))
		}
	}
	if i < 0 {
		if a == atom.P {
			// "</p>" with no open p is an empty paragraph.
			w.brk()
		}
		return
	}
	w.popTo(i)
}

// popTo closes the elements at stack index i and above, innermost first.
func (w *htmlWalker) popTo(i int) {
	for len(w.stack) > i {
		e := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		w.closed(e)
	}
}

// closed applies the effects of closing e.
func (w *htmlWalker) closed(e openElem) {
	if skipped(e.a) && w.skip > 0 {
		w.skip--
		if (e.a == atom.Svg || e.a == atom.Math) && w.foreign > 0 {
			w.foreign--
		}
		return
	}
	if w.skip > 0 {
		return
	}
	switch e.a {
	case atom.Table:
		if e.frame >= 0 {
			w.closeTable()
		}
		return
	case atom.Td, atom.Th:
		if e.frame >= 0 {
			w.closeCell(w.frames[e.frame])
		}
		return
	case atom.Tr:
		if e.frame >= 0 {
			f := w.frames[e.frame]
			w.closeCell(f)
			f.rowOpen = false
			w.brkTable()
		}
		return
	}
	if n := len(w.heads); n > 0 && w.heads[n-1].depth == len(w.stack) {
		w.closeHeading()
	}
	if isBlock(e.a) {
		w.brk()
	}
}

// openTable starts a table frame. A table start tag directly inside a
// table (not in a cell) closes that table first.
func (w *htmlWalker) openTable() {
	if f := w.frame(); f != nil && !f.inCell {
		if i := w.lastIndex(atom.Table); i >= 0 {
			w.popTo(i)
		}
	}
	w.brk()
	if f := w.frame(); f != nil {
		w.toBlocks(f)
	}
	w.frames = append(w.frames, &tableFrame{outStart: len(w.d.blocks)})
	w.stack = append(w.stack, openElem{a: atom.Table, frame: int32(len(w.frames) - 1)})
}

// tableStart handles tr, td, th and the section tags; outside a table
// they are ignored.
func (w *htmlWalker) tableStart(a atom.Atom, hasAttr bool) {
	f := w.frame()
	if f == nil {
		return
	}
	fi := int32(len(w.frames) - 1)
	switch a {
	case atom.Td, atom.Th:
		rs, cs := 1, 1
		if hasAttr {
			rs, cs = w.spans()
		}
		// The open cell closes, with elements left open in it.
		w.popTo(w.lastIndex(atom.Table, atom.Tr) + 1)
		w.closeCell(f)
		if !f.rowOpen {
			w.startRow(f, fi)
		}
		f.inCell = true
		f.cell = htmlCell{rowspan: rs, colspan: cs}
		f.cellText = f.cellText[:0]
		w.stack = append(w.stack, openElem{a: a, frame: fi})
	case atom.Tr:
		w.closeRow(f)
		w.startRow(f, fi)
	default: // caption, tbody, thead, tfoot
		w.closeRow(f)
	}
}

// startRow opens a row of f.
func (w *htmlWalker) startRow(f *tableFrame, fi int32) {
	w.brkTable()
	f.rowStart = append(f.rowStart, len(f.cells))
	f.rowOpen = true
	w.stack = append(w.stack, openElem{a: atom.Tr, frame: fi})
}

// closeRow closes the open cell and row of f, and any element left open in
// them.
func (w *htmlWalker) closeRow(f *tableFrame) {
	ti := w.lastIndex(atom.Table)
	if ti < 0 {
		return
	}
	w.popTo(ti + 1)
	w.closeCell(f)
	if f.rowOpen {
		f.rowOpen = false
		w.brkTable()
	}
}

// closeCell ends the open cell of f.
func (w *htmlWalker) closeCell(f *tableFrame) {
	if !f.inCell {
		return
	}
	w.brk()
	f.inCell = false
	c := f.cell
	if !f.nested {
		c.raw = string(f.cellText)
	}
	if len(f.rowStart) == 0 {
		f.rowStart = append(f.rowStart, 0)
	}
	f.cells = append(f.cells, c)
}

// spans reads the rowspan and colspan of the current cell tag, each
// clamped to [1, limit].
func (w *htmlWalker) spans() (rs, cs int) {
	rs, cs = 1, 1
	z := w.z
	for _, a := range z.attrs {
		key := z.b[a[0]:a[1]]
		if len(key) != len("rowspan") {
			continue
		}
		row := equalFoldASCII(key, []byte("rowspan"))
		if !row && !equalFoldASCII(key, []byte("colspan")) {
			continue
		}
		v := z.b[a[2]:a[3]]
		if bytes.IndexByte(v, '&') >= 0 {
			v = []byte(html.UnescapeString(string(v)))
		}
		if row {
			rs = spanValue(v, maxRowspan)
		} else {
			cs = spanValue(v, maxColspan)
		}
	}
	return rs, cs
}

// spanValue reads a span attribute, clamped to [1, limit].
func spanValue(v []byte, limit int) int {
	v = bytes.TrimSpace(v)
	n := 0
	if len(v) > 0 && len(v) <= 9 {
		// The common case, parsed without a string.
		for i, c := range v {
			if c == '+' && i == 0 && len(v) > 1 {
				continue
			}
			if c < '0' || c > '9' {
				return 1
			}
			n = n*10 + int(c-'0')
		}
	} else {
		var err error
		if n, err = strconv.Atoi(string(v)); err != nil {
			return 1
		}
	}
	if n < 1 {
		return 1
	}
	return min(n, limit)
}

// closeTable ends the innermost table frame: a grid block when it is a
// data table, else its content as blocks. Text misplaced outside its cells
// comes first.
func (w *htmlWalker) closeTable() {
	f := w.frames[len(w.frames)-1]
	w.flush()
	w.flushFoster(f)
	w.frames = w.frames[:len(w.frames)-1]
	defer w.brk()
	if len(f.foster) > 0 {
		// Text misplaced outside the cells goes before the table.
		lines := make([]block, len(f.foster))
		for i, l := range f.foster {
			lines[i] = block{line: l}
		}
		w.d.blocks = append(w.d.blocks[:f.outStart], append(lines, w.d.blocks[f.outStart:]...)...)
	}
	if !f.nested {
		g, ok := w.grid(f)
		if ok {
			if g != nil {
				w.d.blocks = append(w.d.blocks, block{grid: g})
			}
			return
		}
		// A layout table: its cells' lines.
		for _, c := range f.cells {
			w.d.blocks = appendLines(w.d.blocks, c.raw)
		}
	}
	p := w.frame()
	for _, h := range f.headings {
		switch {
		case p != nil && len(p.headings) < maxHeadings:
			p.headings = append(p.headings, h)
		case p == nil && len(w.d.headings) < maxHeadings:
			w.d.headings = append(w.d.headings, h)
		}
	}
	if p != nil {
		p.images += f.images
	} else {
		w.d.images += f.images
	}
}

// maxDataCellRunes is the longest cell text a data table has: the
// template's longest label is under 50 characters. A table with a longer
// cell lays out the page (the report body in one cell) and is read as
// blocks, keeping its paragraphs apart.
const maxDataCellRunes = 120

// grid expands a table's cells into a grid. It reports false for a layout
// table: one with a cell longer than any data cell. A table without rows
// gives a nil grid.
func (w *htmlWalker) grid(f *tableFrame) ([][]gcell, bool) {
	nrows := len(f.rowStart)
	if nrows == 0 {
		return nil, true
	}
	row := func(ri int) []htmlCell {
		end := len(f.cells)
		if ri+1 < nrows {
			end = f.rowStart[ri+1]
		}
		return f.cells[f.rowStart[ri]:end]
	}
	grid := make([][]gcell, nrows)
	width := 0
	for ri := range nrows {
		n := 0
		for _, c := range row(ri) {
			n += c.colspan
		}
		width = max(width, n)
	}
	width = min(width, maxColspan)
	slots := make([]gcell, 0, nrows*width)
	for ri := range grid {
		grid[ri] = slots[len(slots) : len(slots) : len(slots)+width]
		slots = slots[:len(slots)+width]
	}
	for ri := range nrows {
		col := 0
		for _, td := range row(ri) {
			for col < len(grid[ri]) && grid[ri][col].id != 0 {
				col++
			}
			rs := min(td.rowspan, nrows-ri)
			cs := td.colspan
			if w.cells+rs*cs > w.maxCells {
				return grid[:ri], true
			}
			text := joinLines(td.raw)
			if len(text) > maxDataCellRunes && runeLen(text) > maxDataCellRunes {
				return nil, false
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
	return grid, true
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
