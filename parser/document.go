package parser

import (
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/nianbao/nianbao/numerals"
	"github.com/nianbao/nianbao/textnorm"
)

// A document is what every input format is reduced to before extraction:
// an ordered list of blocks, each a line of text or a table grid. Strings are
// raw until normalize folds them.
type document struct {
	format string
	blocks []block

	// From HTML <head>, when present.
	htmlTitle string
	meta      map[string]string // lower-cased <meta name> → content
	headings  []string          // h1–h3 texts
	images    int               // <img> elements in the body

	// Filled by normalize.
	traditional bool
	lines       []string // every line, table rows rendered "a | b | c"
	prose       string   // the text narrative patterns run over
	toks        []token  // the table stream

	scratch *scratch // working buffers, or nil to allocate
}

// block is a line of text or a table.
type block struct {
	line string
	grid [][]gcell // nil for a line
}

// gcell is one slot of an expanded table grid. Slots filled from the same
// source cell (through rowspan or colspan) share an id.
type gcell struct {
	text string
	id   int32
}

// tokKind classifies stream tokens.
type tokKind uint8

const (
	tokLabel    tokKind = iota // a text cell
	tokNum                     // a numeric cell
	tokBlank                   // an empty or "-" cell, only from grids
	tokRowEnd                  // end of a grid row
	tokTableEnd                // end of a grid
)

// token is one cell of the table stream. Text renderings produce labels and
// numbers only; grids also produce blanks and row and table ends, so values
// keep their column positions.
type token struct {
	text   string
	value  float64 // a number's value
	kind   tokKind
	approx bool // a number stated as approximate
}

// numToken returns the token of a number cell.
func numToken(text string, f numerals.Figure) token {
	return token{kind: tokNum, text: text, value: f.Value, approx: f.Approximate}
}

// figure returns a number token's figure.
func (t token) figure() numerals.Figure {
	return numerals.Figure{Value: t.value, Approximate: t.approx}
}

// normalize folds every string of d (see package textnorm), decides whether
// the document is Traditional and converts it, then builds lines, prose and
// the token stream.
func (d *document) normalize(n *textnorm.Normalizer) {
	for i := range d.blocks {
		b := &d.blocks[i]
		if b.grid == nil {
			b.line = textnorm.Basic(b.line)
			continue
		}
		for _, row := range b.grid {
			for j := range row {
				if j > 0 && row[j].id == row[j-1].id {
					row[j].text = row[j-1].text
					continue
				}
				row[j].text = textnorm.Basic(row[j].text)
			}
		}
	}
	d.htmlTitle = textnorm.Basic(d.htmlTitle)
	for i := range d.headings {
		d.headings[i] = textnorm.Basic(d.headings[i])
	}
	for k, v := range d.meta {
		d.meta[k] = textnorm.Basic(v)
	}
	d.traditional = d.hasTraditional(n)
	if d.traditional {
		conv := func(s string) string {
			if t, err := n.ToSimplified(s); err == nil {
				return t
			}
			return s
		}
		for i := range d.blocks {
			b := &d.blocks[i]
			if b.grid == nil {
				b.line = conv(b.line)
				continue
			}
			for _, row := range b.grid {
				for j := range row {
					row[j].text = conv(row[j].text)
				}
			}
		}
		d.htmlTitle = conv(d.htmlTitle)
		for i := range d.headings {
			d.headings[i] = conv(d.headings[i])
		}
		for k, v := range d.meta {
			d.meta[k] = conv(v)
		}
	}
	d.build()
}

// hasTraditional decides whether the document is written in Traditional
// characters.
func (d *document) hasTraditional(n *textnorm.Normalizer) bool {
	c := n.NewCensus()
	c.Add(d.htmlTitle)
	for _, bl := range d.blocks {
		if bl.grid == nil {
			c.Add(bl.line)
			continue
		}
		for _, row := range bl.grid {
			for j, cell := range row {
				if j == 0 || cell.id != row[j-1].id {
					c.Add(cell.text)
				}
			}
		}
	}
	return c.Traditional()
}

// build derives lines, prose and tokens from the normalised blocks. A
// table row's line is written once, into the prose, and sliced from it.
func (d *document) build() {
	layout := d.format == FormatText || d.format == FormatPDF
	cells, size := 0, 0
	for _, b := range d.blocks {
		cells++
		size += len(b.line) + 1
		for _, row := range b.grid {
			cells++
			for j, c := range row {
				if j == 0 || c.id != row[j-1].id {
					cells++
					size += len(c.text) + 3
				}
			}
		}
	}
	var refs []lineRef
	if s := d.scratch; s != nil {
		d.toks, refs = s.toks[:0], s.refs[:0]
		defer func() { s.toks, s.refs = d.toks, refs }()
	}
	d.toks = slices.Grow(d.toks, cells+cells/4)
	refs = slices.Grow(refs, len(d.blocks)+cells/4)
	prose := make([]byte, 0, size)
	prevJoinable := false
	for _, b := range d.blocks {
		if b.grid == nil {
			line := strings.TrimRight(b.line, " \t")
			refs = append(refs, lineRef{s: line, a: -1})
			d.toks = appendLineTokens(d.toks, line)
			trimmed := strings.TrimSpace(line)
			if trimmed == "" {
				if !layout {
					prevJoinable = false
				}
				continue
			}
			if len(prose) > 0 {
				if layout && prevJoinable && !startsHeading(trimmed) {
					// A wrapped line of the same paragraph.
				} else {
					prose = append(prose, '\n')
				}
			}
			prose = append(prose, trimmed...)
			prevJoinable = layout && wrapsOn(line)
			continue
		}
		for _, row := range b.grid {
			if len(prose) > 0 {
				prose = append(prose, '\n')
			}
			start := len(prose)
			first := true
			for j, c := range row {
				if j > 0 && c.id == row[j-1].id {
					continue
				}
				t := strings.TrimSpace(c.text)
				if !first {
					prose = append(prose, " | "...)
				}
				first = false
				prose = append(prose, t...)
				d.toks = appendCellToken(d.toks, t, true)
			}
			d.toks = append(d.toks, token{kind: tokRowEnd})
			refs = append(refs, lineRef{a: start, b: len(prose)})
			prevJoinable = false
		}
		d.toks = append(d.toks, token{kind: tokTableEnd})
	}
	// prose is not written again: the string shares its bytes.
	d.prose = unsafe.String(unsafe.SliceData(prose), len(prose))
	d.lines = make([]string, len(refs))
	for i, r := range refs {
		if r.a < 0 {
			d.lines[i] = r.s
		} else {
			d.lines[i] = d.prose[r.a:r.b]
		}
	}
}

// wrapsOn reports whether a line of layout text looks wrapped mid-sentence:
// long, prose (no column gaps), and not ending a sentence.
func wrapsOn(line string) bool {
	t := strings.TrimSpace(line)
	if utf8.RuneCountInString(t) < 18 || strings.Contains(t, "   ") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	switch last {
	case '。', ':', ';', '!', '?', '：', '；':
		return false
	}
	return true
}

// startsHeading reports whether a line opens a numbered section or item.
func startsHeading(s string) bool {
	return headingPrefix(s) != ""
}

// headingPrefix returns the numbering that opens s ("一、", "(三)", "1.",
// "第二十条"), or "".
func headingPrefix(s string) string {
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == '(':
		end := strings.IndexByte(s, ')')
		if end > 0 && end <= 1+3*3 && isNumeralRun(s[1:end]) {
			return s[:end+1]
		}
	case r >= '0' && r <= '9':
		i := 1
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i < len(s) && i <= 2 {
			r2, size2 := utf8.DecodeRuneInString(s[i:])
			if r2 == '.' || r2 == '、' {
				return s[:i+size2]
			}
		}
	case numerals.IsChineseNumeral(r):
		i := size
		for i < len(s) {
			r2, size2 := utf8.DecodeRuneInString(s[i:])
			if !numerals.IsChineseNumeral(r2) {
				break
			}
			i += size2
		}
		if i < len(s) && i <= 3*3 {
			r2, size2 := utf8.DecodeRuneInString(s[i:])
			if r2 == '、' || r2 == '.' {
				return s[:i+size2]
			}
		}
	case r == '第':
		if strings.HasPrefix(s, "第二十条") {
			return "第二十条"
		}
	}
	return ""
}

func isNumeralRun(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !numerals.IsChineseNumeral(r) && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
