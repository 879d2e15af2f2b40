package parser

import (
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/numerals"
)

// textDocument reduces plain text (a text copy of a page, or pdftotext
// -layout output) to a document: one block per line.
func textDocument(text, format string) *document {
	d := &document{format: format}
	text = strings.ReplaceAll(text, "\f", "\n")
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		var line string
		if i < 0 {
			line, text = text, ""
		} else {
			line, text = text[:i], text[i+1:]
		}
		d.blocks = append(d.blocks, block{line: strings.TrimRight(line, "\r")})
	}
	return d
}

// appendLineTokens splits one line of text into cells and appends their
// tokens. Cells are separated by "|" (pipe and markdown renderings) or, in
// layout text, by runs of two or more spaces; a line that is neither is one
// cell. Page numbers such as "-4-" are dropped.
func appendLineTokens(toks []token, line string) []token {
	t := strings.TrimSpace(line)
	if t == "" || isPageMark(t) {
		return toks
	}
	switch {
	case strings.IndexByte(t, '|') >= 0:
		for _, c := range strings.Split(t, "|") {
			toks = appendTextCell(toks, strings.TrimSpace(c))
		}
	case strings.Contains(t, "  ") || strings.IndexByte(t, '\t') >= 0:
		start := 0
		for i := 0; i < len(t); i++ {
			if t[i] == '\t' || t[i] == ' ' && i+1 < len(t) && (t[i+1] == ' ' || t[i+1] == '\t') {
				toks = appendTextCell(toks, strings.TrimSpace(t[start:i]))
				for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
					i++
				}
				start = i
			}
		}
		toks = appendTextCell(toks, strings.TrimSpace(t[start:]))
	default:
		toks = appendTextCell(toks, t)
	}
	return toks
}

// appendTextCell appends the tokens of one cell of a text rendering: a
// number, a label, or a label followed by space-separated numbers
// ("规章 0 0 0"). Empty cells carry no position in text and are dropped.
func appendTextCell(toks []token, c string) []token {
	if c == "" {
		return toks
	}
	if isDash(c) {
		return append(toks, token{kind: tokBlank})
	}
	if isZeroRun(c) {
		return appendDigitRun(toks, c)
	}
	if f, ok := cellNumber(c); ok {
		return append(toks, numToken(c, f))
	}
	// "label 0 0 0", "0 0 0": numbers after a label, apart by spaces. A
	// figure with a unit ("72896.76元") counts after a row label only, so
	// that prose ending "… 3件" stays prose.
	if sp := strings.LastIndexByte(c, ' '); sp > 0 && endsWithFigure(c[sp+1:]) {
		fields := strings.Fields(c)
		k := len(fields)
		for k > 0 {
			if _, ok := cellNumber(fields[k-1]); !ok && !isDash(fields[k-1]) {
				break
			}
			k--
		}
		last := c[len(c)-1]
		if k < len(fields) && (last >= '0' && last <= '9' || k == 0 || isRowLabel(compact(strings.Join(fields[:k], "")))) {
			if k > 0 {
				toks = append(toks, token{kind: tokLabel, text: strings.Join(fields[:k], " ")})
			}
			for _, f := range fields[k:] {
				if isDash(f) {
					toks = append(toks, token{kind: tokBlank})
					continue
				}
				if isZeroRun(f) {
					toks = appendDigitRun(toks, f)
					continue
				}
				fig, _ := cellNumber(f)
				toks = append(toks, numToken(f, fig))
			}
			return toks
		}
	}
	// "规章000": a row label with its cells run together.
	if label, digits := splitTrailingDigits(c); digits != "" && isRowLabel(compact(label)) {
		toks = append(toks, token{kind: tokLabel, text: label})
		return appendDigitRun(toks, digits)
	}
	return append(toks, token{kind: tokLabel, text: c})
}

// endsWithFigure reports whether the last field of a cell is a figure or
// a dash.
func endsWithFigure(last string) bool {
	if last == "" || isDash(last) {
		return last != ""
	}
	_, ok := cellNumber(last)
	return ok
}

// isZeroRun reports whether c is two or more digits led by a zero
// ("000", "05"): cells run together, since no figure is written with a
// leading zero.
func isZeroRun(c string) bool {
	if len(c) < 2 || c[0] != '0' {
		return false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return true
}

// appendDigitRun appends the cells of digits run together: each leading
// zero is a cell of its own, the rest one figure.
func appendDigitRun(toks []token, digits string) []token {
	for len(digits) > 1 && digits[0] == '0' {
		toks = append(toks, token{kind: tokNum, text: "0"})
		digits = digits[1:]
	}
	fig, _ := cellNumber(digits)
	return append(toks, numToken(digits, fig))
}

// splitTrailingDigits splits "规章000" into "规章" and "000".
func splitTrailingDigits(c string) (string, string) {
	i := len(c)
	for i > 0 && c[i-1] >= '0' && c[i-1] <= '9' {
		i--
	}
	if i == 0 || i == len(c) {
		return c, ""
	}
	return c[:i], c[i:]
}

// isRowLabel reports whether a compact label names a row of table 二 or 三.
func isRowLabel(c string) bool {
	if _, k := t2Row(c); k != 0 {
		return true
	}
	if len(c) > 4*45 || len(c) > 45 && runeLen(c) > 45 {
		return false
	}
	if rest := strings.TrimPrefix(c, headingPrefix(c)); rest == "其他" || rest == "其它" {
		return true // "3.其他", an item of （六）其他处理
	}
	return t3Code(c, 0) != ""
}

// appendCellToken appends the token of one grid cell: blank, number or
// label, never split.
func appendCellToken(toks []token, c string, grid bool) []token {
	switch {
	case c == "" || isDash(c):
		if grid {
			return append(toks, token{kind: tokBlank})
		}
		return toks
	}
	if f, ok := cellNumber(c); ok {
		return append(toks, numToken(c, f))
	}
	return append(toks, token{kind: tokLabel, text: c})
}

// isDash reports whether a cell holds only a dash or slash: stated as not
// applicable, which is not a figure.
func isDash(c string) bool {
	switch c {
	case "-", "--", "—", "——", "–", "/", "\\", "一一", "_", "无", "空":
		return true
	}
	return false
}

// trimCellUnit removes a unit a numeric table cell may carry.
func trimCellUnit(c string) string {
	for _, u := range [...]string{"万元", "元", "人次", "件", "条", "项", "个", "份", "次"} {
		if strings.HasSuffix(c, u) {
			return strings.TrimSpace(c[:len(c)-len(u)])
		}
	}
	return c
}

// cellNumber reads a table cell made of one number in digits, with an
// optional sign, thousands separators, decimal part and unit ("251000元").
// Chinese numerals are not read in cells: a lone 万 or 一 there is a
// fragment of a label.
func cellNumber(c string) (numerals.Figure, bool) {
	if c == "" {
		return numerals.Figure{}, false
	}
	// Fast path: a plain integer, the common cell.
	if len(c) <= 15 {
		v := 0
		i := 0
		for ; i < len(c) && c[i] >= '0' && c[i] <= '9'; i++ {
			v = v*10 + int(c[i]-'0')
		}
		if i == len(c) {
			return numerals.Figure{Value: float64(v)}, true
		}
		if i == 0 && c[0] < utf8.RuneSelf && c[0] != '-' && c[0] != '+' {
			return numerals.Figure{}, false
		}
	}
	c = trimCellUnit(c)
	if c == "" {
		return numerals.Figure{}, false
	}
	neg := false
	if c[0] == '-' || c[0] == '+' {
		neg = c[0] == '-'
		c = strings.TrimSpace(c[1:])
	}
	if c == "" || c[0] < '0' || c[0] > '9' {
		return numerals.Figure{}, false
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= '0' && c[i] <= '9' || c[i] == '.' || c[i] == ',') {
			return numerals.Figure{}, false
		}
	}
	f, ok := numerals.Parse(c)
	if ok && neg {
		f.Value = -f.Value
	}
	return f, ok
}

// isPageMark reports whether a line is a page number such as "-4-",
// "- 4 -" or "第4页".
func isPageMark(t string) bool {
	var s string
	switch {
	case strings.HasPrefix(t, "第") && strings.HasSuffix(t, "页"):
		s = strings.TrimSuffix(strings.TrimPrefix(t, "第"), "页")
	case hasDashAt(t, strings.HasPrefix) && hasDashAt(t, strings.HasSuffix):
		// Dashes on both sides: "-13" alone is a negative figure.
		s = strings.TrimSpace(strings.Trim(t, "-—–― "))
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0 && len(s) <= 3
}

// hasDashAt reports whether t begins (at is strings.HasPrefix) or ends
// (strings.HasSuffix) with a dash.
func hasDashAt(t string, at func(s, affix string) bool) bool {
	for _, d := range []string{"-", "—", "–", "―"} {
		if at(t, d) {
			return true
		}
	}
	return false
}

// compact returns s without spaces, for matching labels split by spaces.
func compact(s string) string {
	if strings.IndexByte(s, ' ') < 0 && strings.IndexByte(s, '\t') < 0 && strings.IndexByte(s, '\n') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// runeLen is utf8.RuneCountInString.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
