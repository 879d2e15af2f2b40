package parser

import (
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTreeDepth is golang.org/x/net/html's limit on open elements; a page
// nested deeper is refused by its parser, and so by the fast path.
const maxTreeDepth = 512

// nodeChunk is how many nodes the fast tree allocates at a time.
const nodeChunk = 512

// nodeChunks recycles the fast tree's node chunks between pages: a report
// page is about 1,600 nodes of 104 bytes, most of what parsing it would
// otherwise allocate. The zero value is ready; a nil *nodeChunks allocates.
type nodeChunks struct{ pool sync.Pool }

// get returns an empty chunk.
func (c *nodeChunks) get() []html.Node {
	if c != nil {
		if p, ok := c.pool.Get().(*[]html.Node); ok {
			return (*p)[:0]
		}
	}
	return make([]html.Node, 0, nodeChunk)
}

// put clears a chunk and keeps it for reuse.
func (c *nodeChunks) put(s []html.Node) {
	if c == nil {
		return
	}
	clear(s)
	s = s[:0]
	c.pool.Put(&s)
}

// outline is where in the page's outline the fast tree builder stands.
type outline uint8

const (
	beforeHTML outline = iota
	beforeHead
	inHead
	afterHead
	inBody
	afterBody
	afterHTML
)

// fastTree builds the tree of a page as html.Parse would build it, from
// the tokens of the package's scanner (which reads the page in place, by
// golang.org/x/net/html's tokenizer rules), with nodes taken from
// recycled chunks.
//
// It follows html.Parse's tree construction where that is a matter of
// closing elements: implied html, head, body, tbody and tr elements, cells,
// rows and table sections closed by the next one or by the table's end, a
// p closed by a block, an li by the next li, end tags that close the
// elements left open inside theirs, stray end tags ignored. It stops, and
// reports false, where html.Parse would move, reopen or re-parent nodes
// or the scanner leaves the markup to the tokenizer:
// text or elements misplaced in a table (foster parenting), formatting
// elements left open where an element closes (reconstruction and the
// adoption agency), nested a, form or button elements, table in p (which
// depends on quirks mode), frameset, template, svg, math and NUL bytes.
// The caller then parses the page with html.Parse; the walker reads the
// same from either tree (TestFastTreeMatchesParser, FuzzFastTree).
//
// Only the attributes the walker reads are kept: a meta's name and
// content, a cell's rowspan and colspan.
// Text nodes and names share the page's string where no character
// reference or carriage return had to be decoded.
//
// The nodes come from chunks, which release gives back: the tree must not
// be used after it.
func fastTree(page []byte, chunks *nodeChunks) (root *html.Node, release func(), ok bool) {
	b := newTreeBuilder(page, chunks)
	ok = b.run()
	release = func() {
		for _, s := range b.used {
			chunks.put(s)
		}
		chunks.put(b.slab)
		b.used, b.slab = nil, nil
	}
	if !ok {
		release()
		return nil, nil, false
	}
	return b.doc, release, true
}

// treeBuilder is fastTree's state.
type treeBuilder struct {
	z      scanner
	failed bool // an attribute the walker reads could not be decoded
	doc    *html.Node
	head   *html.Node
	stack  []*html.Node // open elements, the document first
	mode   outline
	form   bool          // a form is open
	slab   []html.Node   // the chunk nodes are taken from
	used   [][]html.Node // full chunks
	chunks *nodeChunks
	stop   string // the token the builder stopped at, for diagnostics
}

// newTreeBuilder starts the fast tree of page.
func newTreeBuilder(page []byte, chunks *nodeChunks) *treeBuilder {
	b := &treeBuilder{z: scanner{s: string(page)}, chunks: chunks}
	b.slab = chunks.get()
	b.doc = b.node(html.DocumentNode, 0, "")
	b.stack = append(b.stack, b.doc)
	return b
}

// tag is a start or end tag token.
type tag struct {
	a    atom.Atom
	name string
	end  bool
}

// run consumes the tokens; false means the page needs html.Parse.
func (b *treeBuilder) run() bool {
	for {
		if !b.z.next() {
			b.stop = "markup the scanner leaves to the tokenizer"
			return false
		}
		ok := true
		switch b.z.kind {
		case scanEOF:
			return true
		case scanText:
			ok = b.text(b.z.text)
		case scanStart:
			// html.Parse ignores the self-closing flag of elements that
			// are not void.
			ok = b.tag(tag{a: b.z.atom, name: b.z.name})
		case scanEnd:
			ok = b.tag(tag{a: b.z.atom, name: b.z.name, end: true})
		case scanComment:
			// Neither comments nor doctypes are page text; a doctype's
			// quirks mode only matters to a table opened in a p, which
			// the builder refuses.
		}
		if !ok || b.failed {
			b.stop = b.z.s[b.z.off:b.z.pos]
			return false
		}
	}
}

// node allocates a detached node.
func (b *treeBuilder) node(t html.NodeType, a atom.Atom, data string) *html.Node {
	if len(b.slab) == cap(b.slab) {
		b.used = append(b.used, b.slab)
		b.slab = b.chunks.get()
	}
	b.slab = b.slab[:len(b.slab)+1]
	n := &b.slab[len(b.slab)-1]
	n.Type, n.DataAtom, n.Data = t, a, data
	return n
}

// top is the current node.
func (b *treeBuilder) top() *html.Node { return b.stack[len(b.stack)-1] }

// topIs reports whether the current node is the element a.
func (b *treeBuilder) topIs(a atom.Atom) bool {
	t := b.top()
	return t.Type == html.ElementNode && t.DataAtom == a
}

// appendTo adds n as the last child of p.
func appendTo(p, n *html.Node) {
	n.Parent = p
	if last := p.LastChild; last != nil {
		last.NextSibling = n
		n.PrevSibling = last
	} else {
		p.FirstChild = n
	}
	p.LastChild = n
}

// open adds an element for t to the current node and opens it. It reports
// false past the depth html.Parse refuses.
func (b *treeBuilder) open(t tag) bool {
	n := b.element(t)
	appendTo(b.top(), n)
	b.stack = append(b.stack, n)
	return len(b.stack)-1 <= maxTreeDepth
}

// implied opens an element no tag named.
func (b *treeBuilder) implied(a atom.Atom) bool {
	return b.open(tag{a: a, name: a.String()})
}

// void adds an element for t that is never open; html.Parse opens and
// closes it, so it counts against the depth limit.
func (b *treeBuilder) void(t tag) bool {
	appendTo(b.top(), b.element(t))
	return len(b.stack) <= maxTreeDepth
}

// element makes an element, with the attributes the walker reads: a
// meta's name and content, a cell's rowspan and colspan.
func (b *treeBuilder) element(t tag) *html.Node {
	n := b.node(html.ElementNode, t.a, t.name)
	var want func(atom.Atom) bool
	switch t.a {
	case atom.Meta:
		want = func(a atom.Atom) bool { return a == atom.Name || a == atom.Content }
	case atom.Td, atom.Th:
		want = func(a atom.Atom) bool { return a == atom.Rowspan || a == atom.Colspan }
	default:
		return n
	}
	for i, a := range b.z.attrs {
		ka := atom.Lookup([]byte(b.z.keys[i]))
		if !want(ka) {
			continue
		}
		v, ok := attrValue(b.z.s[a.v0:a.v1])
		if !ok {
			b.failed = true
		}
		n.Attr = append(n.Attr, html.Attribute{Key: ka.String(), Val: v})
	}
	return n
}

// popTo closes the open element at i and those above it. It reports false
// when that would close a formatting element, which html.Parse would
// reopen at the next text (unless cleared says a cell or object closed,
// clearing them).
func (b *treeBuilder) popTo(i int, cleared bool) bool {
	if !cleared {
		for _, n := range b.stack[i+1:] {
			if formatting(n.DataAtom) {
				return false
			}
		}
	}
	b.stack = b.stack[:i]
	return true
}

// is reports whether n is the element t names.
func (t tag) is(n *html.Node) bool {
	return n.Type == html.ElementNode && n.DataAtom == t.a && (t.a != 0 || n.Data == t.name)
}

// isSpace reports whether s is only HTML whitespace.
func isSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHTMLSpace(s[i]) {
			return false
		}
	}
	return true
}

// text adds a text token.
func (b *treeBuilder) text(s string) bool {
	for {
		switch b.mode {
		case beforeHTML, beforeHead:
			s = strings.TrimLeft(s, " \t\n\f\r")
			if s == "" {
				return true
			}
			if !b.impliedOutline() {
				return false
			}
			continue
		case inHead, afterHead:
			if headText(b.top().DataAtom) {
				break
			}
			rest := strings.TrimLeft(s, " \t\n\f\r")
			if ws := s[:len(s)-len(rest)]; ws != "" {
				b.addText(ws)
			}
			if s = rest; s == "" {
				return true
			}
			if !b.impliedOutline() {
				return false
			}
			continue
		case afterBody, afterHTML:
			if !isSpace(s) {
				b.mode = inBody // html.Parse reopens the body
			}
		}
		break
	}
	if tableContext(b.top().DataAtom) && !isSpace(s) {
		return false // html.Parse moves it before the table
	}
	b.addText(s)
	return true
}

// addText adds text to the current node, joining a text node before it.
func (b *treeBuilder) addText(s string) {
	p := b.top()
	if last := p.LastChild; last != nil && last.Type == html.TextNode {
		last.Data += s
		return
	}
	appendTo(p, b.node(html.TextNode, 0, s))
}

// impliedOutline opens the html, head or body element the page left out,
// or closes the head, before content that belongs to the next part.
func (b *treeBuilder) impliedOutline() bool {
	switch b.mode {
	case beforeHTML:
		b.mode = beforeHead
		return b.implied(atom.Html)
	case beforeHead:
		b.mode = inHead
		if !b.implied(atom.Head) {
			return false
		}
		b.head = b.top()
		return true
	case inHead:
		b.stack = b.stack[:len(b.stack)-1]
		b.mode = afterHead
		return true
	case afterHead:
		b.mode = inBody
		return b.implied(atom.Body)
	}
	return false
}

// tag adds a start or end tag.
func (b *treeBuilder) tag(t tag) bool {
	for {
		var done, ok bool
		switch b.mode {
		case beforeHTML:
			if t.end {
				return false
			}
			if t.a == atom.Html {
				b.mode = beforeHead
				return b.open(t)
			}
		case beforeHead:
			if t.end {
				return false
			}
			switch t.a {
			case atom.Html:
				return true // its attributes go to the html element
			case atom.Head:
				b.mode = inHead
				if !b.open(t) {
					return false
				}
				b.head = b.top()
				return true
			}
		case inHead, afterHead:
			if headText(b.top().DataAtom) {
				// In the head's title, style, script or noscript only
				// their end tag comes.
				if !t.end || !t.is(b.top()) {
					return false
				}
				b.stack = b.stack[:len(b.stack)-1]
				return true
			}
			if done, ok = b.headTag(t); done {
				return ok
			}
		case inBody:
			if t.end {
				return b.endInBody(t)
			}
			return b.startInBody(t)
		case afterBody, afterHTML:
			if t.end && t.a == atom.Html {
				b.mode = afterHTML
				return true
			}
			if !t.end && t.a == atom.Html {
				return true
			}
			b.mode = inBody // html.Parse reopens the body
			continue
		}
		if !b.impliedOutline() {
			return false
		}
	}
}

// headTag adds a tag in or after the head. It reports done, with ok, or
// not done when the tag implies the end of the head or the start of the
// body.
func (b *treeBuilder) headTag(t tag) (done, ok bool) {
	if t.end {
		switch {
		case t.a == atom.Head && b.mode == inHead:
			b.stack = b.stack[:len(b.stack)-1]
			b.mode = afterHead
			return true, true
		case t.a == atom.Body || t.a == atom.Html || t.a == atom.Br:
			return false, true
		}
		return true, false
	}
	switch t.a {
	case atom.Html, atom.Head:
		return true, true // ignored; html's attributes are merged
	case atom.Body:
		if b.mode == inHead {
			return false, true
		}
		b.mode = inBody
		return true, b.open(t)
	case atom.Meta, atom.Link, atom.Base, atom.Basefont, atom.Bgsound:
		appendTo(b.head, b.element(t))
		return true, len(b.stack) <= maxTreeDepth
	case atom.Title, atom.Style, atom.Script, atom.Noscript, atom.Noframes:
		// After the head html.Parse puts it in the head all the same, and
		// keeps it open for its text.
		n := b.element(t)
		appendTo(b.head, n)
		b.stack = append(b.stack, n)
		return true, len(b.stack)-1 <= maxTreeDepth
	case atom.Template, atom.Frameset:
		return true, false
	}
	return false, true
}

// headText reports whether a is an element of the head whose content the
// tokenizer reads as text.
func headText(a atom.Atom) bool {
	switch a {
	case atom.Title, atom.Style, atom.Script, atom.Noscript, atom.Noframes:
		return true
	}
	return false
}

// startInBody adds a start tag after the head.
func (b *treeBuilder) startInBody(t tag) bool {
	switch top := b.top().DataAtom; top {
	case atom.Table:
		switch t.a {
		case atom.Caption, atom.Tbody, atom.Thead, atom.Tfoot, atom.Colgroup:
			return b.open(t)
		case atom.Col:
			return b.implied(atom.Colgroup) && b.void(t)
		case atom.Tr, atom.Td, atom.Th:
			return b.implied(atom.Tbody) && b.startInBody(t)
		}
		return false // foster-parented, or a table closing this one
	case atom.Tbody, atom.Thead, atom.Tfoot:
		switch t.a {
		case atom.Tr:
			return b.open(t)
		case atom.Td, atom.Th:
			return b.implied(atom.Tr) && b.startInBody(t)
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead:
			b.stack = b.stack[:len(b.stack)-1]
			return b.startInBody(t)
		}
		return false
	case atom.Tr:
		switch t.a {
		case atom.Td, atom.Th:
			return b.open(t)
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			b.stack = b.stack[:len(b.stack)-1]
			return b.startInBody(t)
		}
		return false
	case atom.Colgroup:
		if t.a == atom.Col {
			return b.void(t)
		}
		b.stack = b.stack[:len(b.stack)-1]
		return b.startInBody(t)
	case atom.Select, atom.Option, atom.Optgroup:
		if !b.inSelect() {
			break
		}
		switch t.a {
		case atom.Option:
			if top == atom.Option {
				b.stack = b.stack[:len(b.stack)-1]
			}
			return b.open(t)
		case atom.Optgroup:
			if top == atom.Option {
				b.stack = b.stack[:len(b.stack)-1]
			}
			if b.topIs(atom.Optgroup) {
				b.stack = b.stack[:len(b.stack)-1]
			}
			return b.open(t)
		}
		return false
	}
	switch t.a {
	case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
		switch i, a := b.tableMode(); a {
		case atom.Td, atom.Th: // the next cell, row or section closes this cell
			return b.popTo(i, true) && b.startInBody(t)
		case atom.Caption:
			return false
		}
		return true // html.Parse ignores them outside a table
	case atom.Frame, atom.Head, atom.Html, atom.Body:
		return true // ignored; html and body attributes are merged
	case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Area, atom.Br, atom.Embed,
		atom.Img, atom.Keygen, atom.Wbr, atom.Input, atom.Param, atom.Source, atom.Track:
		return b.void(t)
	case atom.Hr:
		return b.closeP() && b.void(t)
	case atom.Li:
		return b.closeItem(func(a atom.Atom) bool { return a == atom.Li }) && b.closeP() && b.open(t)
	case atom.Dd, atom.Dt:
		return b.closeItem(func(a atom.Atom) bool { return a == atom.Dd || a == atom.Dt }) && b.closeP() && b.open(t)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if !b.closeP() {
			return false
		}
		if heading(b.top().DataAtom) {
			b.stack = b.stack[:len(b.stack)-1]
		}
		return b.open(t)
	case atom.Form:
		if b.form {
			return false
		}
		b.form = true
		return b.closeP() && b.open(t)
	case atom.Table:
		// In quirks mode a table does not close a p.
		return b.scopeIndex(atom.P, buttonScope) < 0 && b.open(t)
	case atom.A:
		for i := len(b.stack) - 1; i > 0 && !marker(b.stack[i].DataAtom); i-- {
			if b.stack[i].DataAtom == atom.A {
				return false
			}
		}
		return b.open(t)
	case atom.Button, atom.Nobr, atom.Select:
		return b.scopeIndex(t.a, defaultScope) < 0 && b.open(t)
	case atom.Template, atom.Frameset, atom.Svg, atom.Math, atom.Image, atom.Plaintext, atom.Xmp,
		atom.Option, atom.Optgroup, atom.Rb, atom.Rp, atom.Rt, atom.Rtc:
		return false
	}
	if closesP(t.a) && !b.closeP() {
		return false
	}
	return b.open(t)
}

// endInBody adds an end tag after the head.
func (b *treeBuilder) endInBody(t tag) bool {
	if t.is(b.top()) {
		switch t.a {
		case atom.Body, atom.Html:
		case atom.Form:
			b.form = false
			fallthrough
		default:
			b.stack = b.stack[:len(b.stack)-1]
			return true
		}
	}
	switch top := b.top().DataAtom; top {
	case atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr, atom.Colgroup:
		switch t.a {
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th:
			return true
		case atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr:
			if top == atom.Table || top == atom.Colgroup || b.scopeIndex(t.a, tableScope) < 0 {
				return top != atom.Colgroup
			}
			b.stack = b.stack[:len(b.stack)-1] // the row or section ends with it
			return b.endInBody(t)
		}
		return false
	case atom.Select, atom.Option, atom.Optgroup:
		if b.inSelect() {
			switch t.a {
			case atom.Select:
				b.stack = b.stack[:b.scopeIndex(atom.Select, defaultScope)]
				return true
			case atom.Optgroup:
				if top == atom.Option && b.stack[len(b.stack)-2].DataAtom == atom.Optgroup {
					b.stack = b.stack[:len(b.stack)-2]
				}
				return true
			case atom.Option:
				return true
			}
			return false
		}
	}
	switch t.a {
	case atom.Td, atom.Th, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr,
		atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html:
		i, a := b.tableMode()
		switch {
		case a == atom.Caption:
			return false
		case a != atom.Td && a != atom.Th:
		case t.a == atom.Td || t.a == atom.Th:
			if t.a == a {
				return b.popTo(i, true)
			}
			return true
		case t.a == atom.Body || t.a == atom.Caption || t.a == atom.Col || t.a == atom.Colgroup || t.a == atom.Html:
			return true
		default:
			if b.scopeIndex(t.a, tableScope) < 0 {
				return true
			}
			return b.popTo(i, true) && b.endInBody(t)
		}
	}
	switch t.a {
	case atom.Body, atom.Html:
		if b.scopeIndex(atom.Body, defaultScope) >= 0 {
			b.mode = afterBody
			if t.a == atom.Html {
				b.mode = afterHTML
			}
		}
		return true
	case atom.P:
		i := b.scopeIndex(atom.P, buttonScope)
		if i < 0 { // an empty p, as html.Parse makes
			return b.void(tag{a: atom.P, name: "p"})
		}
		return b.popTo(i, false)
	case atom.Li:
		return b.popScoped(b.scopeIndex(atom.Li, listItemScope))
	case atom.Dd, atom.Dt:
		return b.popScoped(b.scopeIndex(t.a, defaultScope))
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		i := -1
		for _, h := range []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6} {
			i = max(i, b.scopeIndex(h, defaultScope))
		}
		return b.popScoped(i)
	case atom.Applet, atom.Marquee, atom.Object:
		if i := b.scopeIndex(t.a, defaultScope); i >= 0 {
			return b.popTo(i, true)
		}
		return true
	case atom.Br:
		return b.void(tag{a: atom.Br, name: "br"})
	case atom.Form, atom.Template:
		return false
	}
	switch {
	case formatting(t.a):
		// html.Parse's adoption agency, where it only closes elements.
		for i := len(b.stack) - 1; i > 0; i-- {
			n := b.stack[i]
			if t.is(n) {
				return b.popTo(i, false)
			}
			if special(n.DataAtom) {
				if marker(n.DataAtom) {
					return true
				}
				for j := i - 1; j > 0 && !marker(b.stack[j].DataAtom); j-- {
					if t.is(b.stack[j]) {
						return false
					}
				}
				return true
			}
		}
		return true
	case closedInScope(t.a):
		return b.popScoped(b.scopeIndex(t.a, defaultScope))
	}
	for i := len(b.stack) - 1; i > 0; i-- {
		n := b.stack[i]
		if t.is(n) {
			return b.popTo(i, false)
		}
		if special(n.DataAtom) {
			return true // ignored
		}
	}
	return true
}

// popScoped closes the element at i, if there is one.
func (b *treeBuilder) popScoped(i int) bool {
	if i < 0 {
		return true // ignored
	}
	return b.popTo(i, false)
}

// closeP closes an open p, as a block opening does.
func (b *treeBuilder) closeP() bool {
	if i := b.scopeIndex(atom.P, buttonScope); i >= 0 {
		return b.popTo(i, false)
	}
	return true
}

// closeItem closes the open list item is matches, as a new li (dd, dt)
// does, unless an element other than address, div or p stands between.
func (b *treeBuilder) closeItem(is func(atom.Atom) bool) bool {
	for i := len(b.stack) - 1; i > 0; i-- {
		a := b.stack[i].DataAtom
		if is(a) {
			return b.popTo(i, false)
		}
		if a != atom.Address && a != atom.Div && a != atom.P && special(a) {
			return true
		}
	}
	return true
}

// inSelect reports whether the current node is in a select, whose
// content the builder only accepts as options.
func (b *treeBuilder) inSelect() bool {
	for i := len(b.stack) - 1; i > 0; i-- {
		switch b.stack[i].DataAtom {
		case atom.Select:
			return true
		case atom.Option, atom.Optgroup:
		default:
			return false
		}
	}
	return false
}

// tableMode returns the innermost open element that sets html.Parse's
// insertion mode within a table (td, th, tr, a section, caption, colgroup,
// table), or the html element's index and 0 outside tables.
func (b *treeBuilder) tableMode() (int, atom.Atom) {
	for i := len(b.stack) - 1; i > 0; i-- {
		switch a := b.stack[i].DataAtom; a {
		case atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption,
			atom.Colgroup, atom.Table, atom.Template:
			return i, a
		}
	}
	return 1, 0
}

// Scopes of html.Parse's element searches.
type scope uint8

const (
	defaultScope scope = iota
	listItemScope
	buttonScope
	tableScope
)

// scopeIndex returns the index of the innermost open element a within
// scope s, or -1.
func (b *treeBuilder) scopeIndex(a atom.Atom, s scope) int {
	for i := len(b.stack) - 1; i > 0; i-- {
		x := b.stack[i].DataAtom
		if x == a && b.stack[i].Namespace == "" {
			return i
		}
		switch s {
		case tableScope:
			if x == atom.Html || x == atom.Table || x == atom.Template {
				return -1
			}
			continue
		case listItemScope:
			if x == atom.Ol || x == atom.Ul {
				return -1
			}
		case buttonScope:
			if x == atom.Button {
				return -1
			}
		}
		switch x {
		case atom.Applet, atom.Caption, atom.Html, atom.Table, atom.Td, atom.Th, atom.Marquee,
			atom.Object, atom.Template, atom.Select:
			return -1
		}
	}
	return -1
}

// tableContext reports whether a is a table part whose children may only
// be further table parts.
func tableContext(a atom.Atom) bool {
	switch a {
	case atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr, atom.Colgroup:
		return true
	}
	return false
}

// formatting reports whether a is a formatting element, which html.Parse
// reopens when it was closed by another element's end.
func formatting(a atom.Atom) bool {
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S,
		atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		return true
	}
	return false
}

// marker reports whether a bounds the formatting elements html.Parse
// reopens.
func marker(a atom.Atom) bool {
	switch a {
	case atom.Td, atom.Th, atom.Caption, atom.Applet, atom.Marquee, atom.Object, atom.Template, atom.Html:
		return true
	}
	return false
}

// closesP reports whether a start tag a closes an open p.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P,
		atom.Search, atom.Section, atom.Summary, atom.Ul, atom.Pre, atom.Listing:
		return true
	}
	return false
}

// closedInScope reports whether an end tag a closes the elements left open
// inside its element.
func closedInScope(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Header, atom.Hgroup, atom.Listing, atom.Main, atom.Menu,
		atom.Nav, atom.Ol, atom.Pre, atom.Search, atom.Section, atom.Select, atom.Summary, atom.Ul:
		return true
	}
	return false
}

// heading reports whether a is h1–h6.
func heading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// special reports whether a is one of the HTML standard's special
// elements, at which html.Parse's searches for an element stop.
func special(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Applet, atom.Area, atom.Article, atom.Aside, atom.Base, atom.Basefont,
		atom.Bgsound, atom.Blockquote, atom.Body, atom.Br, atom.Button, atom.Caption, atom.Center,
		atom.Col, atom.Colgroup, atom.Dd, atom.Details, atom.Dir, atom.Div, atom.Dl, atom.Dt,
		atom.Embed, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Frame,
		atom.Frameset, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head, atom.Header,
		atom.Hgroup, atom.Hr, atom.Html, atom.Iframe, atom.Img, atom.Input, atom.Keygen, atom.Li,
		atom.Link, atom.Listing, atom.Main, atom.Marquee, atom.Menu, atom.Meta, atom.Nav,
		atom.Noembed, atom.Noframes, atom.Noscript, atom.Object, atom.Ol, atom.P, atom.Param,
		atom.Plaintext, atom.Pre, atom.Script, atom.Section, atom.Select, atom.Source, atom.Style,
		atom.Summary, atom.Table, atom.Tbody, atom.Td, atom.Template, atom.Textarea, atom.Tfoot,
		atom.Th, atom.Thead, atom.Title, atom.Tr, atom.Track, atom.Ul, atom.Wbr, atom.Xmp:
		return true
	}
	return false
}
