package render

import (
	"strings"
)

// TextStyle is a way copies of report pages flatten tables into plain
// text (spec/domain.md §5.3). Every style writes the title on the first
// line and each heading and paragraph on a line of its own; they differ
// in how table cells are laid out.
type TextStyle int

// The text styles.
const (
	// TextCellPerLine puts every cell on a line of its own, with blank
	// lines between them and a cell's own line breaks kept (corpus 023).
	TextCellPerLine TextStyle = iota
	// TextPipes writes a row per line, cells between " | ", the slots a
	// merged cell covers as empty cells (corpus 021).
	TextPipes
	// TextBarLines puts every cell on a line of its own with a line
	// holding only "|" after each (corpus 036, 043).
	TextBarLines
	// TextConcatenated writes a row per line with its cells run together
	// ("规章000"); figures are separated by spaces where running them
	// together could not be read back.
	TextConcatenated
	// TextMarkdown writes markdown table rows, with the header separator
	// after each table's first row (corpus 030).
	TextMarkdown
	// TextStacked is pdftotext -layout's: a row per line with cells apart by
	// runs of spaces, a header cell's lines on successive lines, and table
	// 四's result headers stacked one character per line.
	TextStacked
	textStyles
)

// TextStyles returns every text style.
func TextStyles() []TextStyle {
	out := make([]TextStyle, 0, textStyles)
	for s := range textStyles {
		out = append(out, s)
	}
	return out
}

// String returns the style's name.
func (s TextStyle) String() string {
	switch s {
	case TextCellPerLine:
		return "cell-per-line"
	case TextPipes:
		return "pipes"
	case TextBarLines:
		return "bar-lines"
	case TextConcatenated:
		return "concatenated"
	case TextMarkdown:
		return "markdown"
	case TextStacked:
		return "stacked"
	}
	return "unknown"
}

// Text returns d as plain text in style s.
func (d Doc) Text(s TextStyle) string {
	var w strings.Builder
	w.WriteString(d.Title)
	w.WriteByte('\n')
	for _, b := range d.Blocks {
		switch b.Kind {
		case Heading, Paragraph:
			w.WriteString(b.Text)
			w.WriteByte('\n')
		case TableBlock:
			textTable(&w, b.Table, s)
		}
	}
	return w.String()
}

// textTable writes one table in style s.
func textTable(w *strings.Builder, t *Table, s TextStyle) {
	g := grid(t)
	for r, row := range g {
		// origin reports whether the slot is where its cell starts; cells
		// lists those, in column order.
		var cells []*Cell
		for c, sl := range row {
			if sl != nil && sl.row == r && sl.col == c {
				cells = append(cells, sl.cell)
			}
		}
		switch s {
		case TextCellPerLine:
			for _, c := range cells {
				w.WriteString(c.Text)
				w.WriteString("\n\n")
			}
		case TextBarLines:
			for _, c := range cells {
				w.WriteString(c.Text)
				w.WriteString("\n|\n")
			}
		case TextPipes, TextMarkdown:
			var parts []string
			for c, sl := range row {
				switch {
				case sl == nil || sl.row != r || sl.col != c:
					parts = append(parts, "")
				default:
					parts = append(parts, flat(sl.cell.Text))
				}
			}
			if s == TextMarkdown {
				w.WriteString("| " + strings.Join(parts, " | ") + " |\n")
				if r == 0 {
					w.WriteString("|" + strings.Repeat(" --- |", len(parts)) + "\n")
				}
				continue
			}
			w.WriteString(strings.Join(parts, " | "))
			w.WriteByte('\n')
		case TextConcatenated:
			w.WriteString(concatenated(cells))
			w.WriteByte('\n')
		case TextStacked:
			stacked(w, cells)
		}
	}
}

// flat joins a cell's lines.
func flat(s string) string { return strings.ReplaceAll(s, "\n", "") }

// concatenated runs a row's cells together. Its figures run together only
// when that can be read back: every figure but the last a zero (read one
// digit at a time) and the last plain digits; otherwise the labels run
// together and the figures follow, spaced.
func concatenated(cells []*Cell) string {
	var labels strings.Builder
	var figs []string
	for _, c := range cells {
		if c.Header || c.Text == "" {
			if len(figs) == 0 {
				labels.WriteString(flat(c.Text))
			}
			continue
		}
		figs = append(figs, c.Text)
	}
	if len(figs) == 0 {
		return labels.String()
	}
	runTogether := true
	for i, f := range figs {
		if i < len(figs)-1 && f != "0" || !isDigits(f) {
			runTogether = false
		}
	}
	if runTogether {
		return labels.String() + strings.Join(figs, "")
	}
	if labels.Len() == 0 {
		return strings.Join(figs, " ")
	}
	return labels.String() + " " + strings.Join(figs, " ")
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isResultHeader reports whether c is one of table 四's result headers.
func isResultHeader(c *Cell) bool {
	if !c.Header {
		return false
	}
	switch c.Text {
	case "结果维持", "结果纠正", "其他结果", "尚未审结", "总计":
		return true
	}
	return false
}

// stacked writes a row as pdftotext -layout does: cells apart by runs of
// spaces, a cell's lines on successive lines, and table 四's result headers
// one character per line.
func stacked(w *strings.Builder, cells []*Cell) {
	cols := make([][]string, len(cells))
	height := 0
	for i, c := range cells {
		if isResultHeader(c) {
			for _, r := range c.Text {
				cols[i] = append(cols[i], string(r))
			}
		} else {
			cols[i] = strings.Split(c.Text, "\n")
		}
		height = max(height, len(cols[i]))
	}
	widths := make([]int, len(cols))
	for i, col := range cols {
		for _, l := range col {
			widths[i] = max(widths[i], displayWidth(l))
		}
	}
	for k := range height {
		var line strings.Builder
		for i, col := range cols {
			cell := ""
			if k < len(col) {
				cell = col[k]
			}
			if i > 0 {
				line.WriteString("   ")
			}
			line.WriteString(cell)
			line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)))
		}
		w.WriteString(strings.TrimRight(line.String(), " "))
		w.WriteByte('\n')
	}
}

// displayWidth counts a CJK character as two columns, as a monospaced
// layout does.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2E80 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
