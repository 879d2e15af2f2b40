package parser

import "sync"

// scratch is a parse's working memory that nothing in its Report refers to:
// the HTML walker's line and cell buffers, the slots of table grids, the
// token stream and the line index. A Parser recycles it between parses, so
// a report page allocates little more than what its Report keeps; the
// fewer bytes a parse allocates, the less often the collector runs, and
// its write barriers with it. A nil *scratch allocates as it goes.
type scratch struct {
	line  []byte        // the HTML walker's current line
	text  []byte        // a table cell's text being read
	cells []pendingCell // a table's cells being read
	slots []gcell       // grid slots, handed out by gridSlots
	toks  []token       // the document's token stream
	refs  []lineRef     // where the document's lines are
}

// lineRef is one line of a document being built: the line itself, or for
// a table row its span [a, b) in the prose (a < 0 for a line).
type lineRef struct {
	s    string
	a, b int
}

// gridSlots returns n zeroed grid slots. The slots of one parse are cut
// from a shared slab; a slab too small for n is replaced by a larger one,
// the grids already cut keeping the old.
func (s *scratch) gridSlots(n int) []gcell {
	if s == nil {
		return make([]gcell, n)
	}
	if len(s.slots)+n > cap(s.slots) {
		s.slots = make([]gcell, 0, max(n, 2*cap(s.slots), 1024))
	}
	lo := len(s.slots)
	s.slots = s.slots[:lo+n]
	return s.slots[lo : lo+n : lo+n]
}

// scratchPool recycles scratch between parses, safely for concurrent
// parses. The zero value is ready.
type scratchPool struct{ pool sync.Pool }

// get returns an empty scratch.
func (p *scratchPool) get() *scratch {
	if s, ok := p.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

// put empties s and keeps it for a later parse. Grid slots are zeroed, as
// gridSlots promises; the other buffers are overwritten before they are
// read.
func (p *scratchPool) put(s *scratch) {
	clear(s.slots)
	s.line, s.text, s.cells = s.line[:0], s.text[:0], s.cells[:0]
	s.slots, s.toks, s.refs = s.slots[:0], s.toks[:0], s.refs[:0]
	p.pool.Put(s)
}
