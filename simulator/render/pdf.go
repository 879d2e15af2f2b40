package render

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// PDFWriter writes Docs as PDF files with a CJK text layer, as the
// attachments some portals publish reports in. It is safe for concurrent
// use; each Write builds its document from scratch (about 75 ms with a
// full CJK font, most of it the font).
type PDFWriter struct {
	font []byte
}

// NewPDFWriter returns a writer embedding a subset of the TrueType font
// in font: a .ttf file, or a .ttc collection whose first font is used
// (Debian's fonts-wqy-zenhei ships /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc).
func NewPDFWriter(font []byte) (*PDFWriter, error) {
	if len(font) >= 12 && string(font[:4]) == "ttcf" {
		f, err := ttcFont(font, 0)
		if err != nil {
			return nil, fmt.Errorf("pdf font: %w", err)
		}
		font = f
	}
	if len(font) < 12 {
		return nil, errors.New("pdf font: not a TrueType font")
	}
	switch binary.BigEndian.Uint32(font) {
	case 0x00010000, 0x74727565: // TrueType outlines, 'true'
	default:
		return nil, errors.New("pdf font: not a TrueType font (CFF-based OpenType is not supported)")
	}
	return &PDFWriter{font: font}, nil
}

// ttcFont extracts font idx of a TrueType collection as a standalone font
// file: its table directory followed by copies of its tables.
func ttcFont(ttc []byte, idx int) ([]byte, error) {
	be := binary.BigEndian
	if len(ttc) < 16 || int(be.Uint32(ttc[8:])) <= idx {
		return nil, errors.New("ttc: no such font")
	}
	off := int(be.Uint32(ttc[12+4*idx:]))
	if off+12 > len(ttc) {
		return nil, errors.New("ttc: font offset out of range")
	}
	dir := ttc[off:]
	n := int(be.Uint16(dir[4:]))
	if 12+16*n > len(dir) {
		return nil, errors.New("ttc: table directory out of range")
	}
	out := make([]byte, 12+16*n, 12+16*n+len(ttc)/2)
	copy(out, dir[:12+16*n])
	for i := range n {
		rec := out[12+16*i:]
		o, l := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if o < 0 || l < 0 || o+l > len(ttc) {
			return nil, errors.New("ttc: table out of range")
		}
		be.PutUint32(rec[8:], uint32(len(out)))
		out = append(out, ttc[o:o+l]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}

// PDF page geometry, in millimetres.
const (
	pdfMargin    = 20.0
	pdfPageW     = 210.0
	pdfPageH     = 297.0
	pdfTextW     = pdfPageW - 2*pdfMargin
	pdfLineH     = 6.5 // body text
	pdfCellLineH = 4.6 // table text
	pdfCellPad   = 1.0
)

// Write renders d as a PDF: the title, then headings, paragraphs and
// bordered tables with their merged cells. created is the document's
// creation date; the same inputs give the same bytes.
func (w *PDFWriter) Write(d Doc, created time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(d.Title, true)
	pdf.SetAutoPageBreak(true, pdfMargin)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.AddUTF8FontFromBytes("zh", "", w.font)
	pdf.AddPage()

	pdf.SetFont("zh", "", 16)
	pdfLines(pdf, d.Title, 9, "C")
	pdf.Ln(4)
	for _, b := range d.Blocks {
		switch b.Kind {
		case Heading:
			pdf.SetFont("zh", "", 13)
			pdfLines(pdf, b.Text, pdfLineH+1, "L")
		case Paragraph:
			pdf.SetFont("zh", "", 11)
			pdfLines(pdf, "　　"+b.Text, pdfLineH, "L")
		case TableBlock:
			pdf.Ln(2)
			pdfTable(pdf, b.Table)
			pdf.Ln(2)
		}
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdf %s: %w", d.Title, err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf %s: %w", d.Title, err)
	}
	return buf.Bytes(), nil
}

// pdfLines writes text as lines of the text width, broken between any two
// characters (fpdf's MultiCell drops a character where it breaks CJK
// text).
func pdfLines(pdf *fpdf.Fpdf, text string, lineH float64, align string) {
	for _, line := range splitRunes(pdf, text, pdfTextW) {
		pdf.CellFormat(pdfTextW, lineH, line, "", 1, align, false, 0, "")
	}
}

// pdfTable draws a table: column widths from the text of single-column
// cells, row heights from wrapped text, merged cells as one box with their
// text centred. A page break falls only between rows no merged cell
// straddles; a group of rows taller than a page gets smaller type.
func pdfTable(pdf *fpdf.Fpdf, t *Table) {
	g := grid(t)
	if len(g) == 0 || len(g[0]) == 0 {
		return
	}
	ncols := len(g[0])
	fontSize := 9.0
	lineH := pdfCellLineH
	for range 4 {
		pdf.SetFont("zh", "", fontSize)
		widths := pdfColumnWidths(pdf, g, ncols)
		heights := pdfRowHeights(pdf, g, widths, lineH)
		groups := rowGroups(g)
		tallest := 0.0
		for _, gr := range groups {
			h := 0.0
			for r := gr[0]; r < gr[1]; r++ {
				h += heights[r]
			}
			tallest = max(tallest, h)
		}
		if tallest > pdfPageH-2*pdfMargin && fontSize > 6 {
			fontSize -= 1.5
			lineH *= 0.8
			continue
		}
		pdfDrawTable(pdf, g, widths, heights, groups, lineH)
		return
	}
}

// pdfColumnWidths shares the text width among columns in proportion to
// the widest line of their single-column cells, within bounds.
func pdfColumnWidths(pdf *fpdf.Fpdf, g [][]*slot, ncols int) []float64 {
	want := make([]float64, ncols)
	for c := range want {
		want[c] = 10
	}
	for _, row := range g {
		for c, s := range row {
			if s == nil || s.cols != 1 || s.col != c {
				continue
			}
			for _, line := range strings.Split(s.cell.Text, "\n") {
				want[c] = max(want[c], min(pdf.GetStringWidth(line)+2*pdfCellPad+1, 48))
			}
		}
	}
	total := 0.0
	for _, x := range want {
		total += x
	}
	out := make([]float64, ncols)
	for c := range want {
		out[c] = want[c] * pdfTextW / total
	}
	return out
}

// cellLines wraps a cell's text to width w.
func cellLines(pdf *fpdf.Fpdf, text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, splitRunes(pdf, para, w-2*pdfCellPad)...)
	}
	return out
}

// splitRunes breaks s into lines no wider than w, between any two
// characters (CJK text has no spaces to break at).
func splitRunes(pdf *fpdf.Fpdf, s string, w float64) []string {
	var out []string
	start, width := 0, 0.0
	for i, r := range s {
		cw := pdf.GetStringWidth(string(r))
		if width+cw > w && i > start {
			out = append(out, s[start:i])
			start, width = i, 0
		}
		width += cw
	}
	if start < len(s) || len(out) == 0 {
		out = append(out, s[start:])
	}
	return out
}

// pdfRowHeights gives each row the height of its tallest single-row cell,
// then grows the last row of each merged cell that needs more.
func pdfRowHeights(pdf *fpdf.Fpdf, g [][]*slot, widths []float64, lineH float64) []float64 {
	h := make([]float64, len(g))
	for r := range h {
		h[r] = lineH + 2*pdfCellPad
	}
	need := func(s *slot) float64 {
		w := 0.0
		for c := s.col; c < s.col+s.cols; c++ {
			w += widths[c]
		}
		return float64(len(cellLines(pdf, s.cell.Text, w)))*lineH + 2*pdfCellPad
	}
	for r, row := range g {
		for c, s := range row {
			if s != nil && s.row == r && s.col == c && s.rows == 1 {
				h[r] = max(h[r], need(s))
			}
		}
	}
	for r, row := range g {
		for c, s := range row {
			if s == nil || s.row != r || s.col != c || s.rows == 1 {
				continue
			}
			have := 0.0
			for k := r; k < r+s.rows; k++ {
				have += h[k]
			}
			if n := need(s); n > have {
				h[r+s.rows-1] += n - have
			}
		}
	}
	return h
}

// rowGroups returns [first, end) row ranges no merged cell straddles.
func rowGroups(g [][]*slot) [][2]int {
	var out [][2]int
	start, end := 0, 0
	for r, row := range g {
		for _, s := range row {
			if s != nil {
				end = max(end, s.row+s.rows)
			}
		}
		if end <= r+1 {
			out = append(out, [2]int{start, r + 1})
			start, end = r+1, r+1
		}
	}
	return out
}

func pdfDrawTable(pdf *fpdf.Fpdf, g [][]*slot, widths, heights []float64, groups [][2]int, lineH float64) {
	x0 := pdfMargin
	colX := make([]float64, len(widths)+1)
	colX[0] = x0
	for c, w := range widths {
		colX[c+1] = colX[c] + w
	}
	pdf.SetAutoPageBreak(false, pdfMargin)
	defer pdf.SetAutoPageBreak(true, pdfMargin)
	y := pdf.GetY()
	for _, gr := range groups {
		gh := 0.0
		for r := gr[0]; r < gr[1]; r++ {
			gh += heights[r]
		}
		if y+gh > pdfPageH-pdfMargin {
			pdf.AddPage()
			y = pdfMargin
		}
		rowY := y
		for r := gr[0]; r < gr[1]; r++ {
			for c, s := range g[r] {
				if s == nil || s.row != r || s.col != c {
					continue
				}
				w := colX[c+s.cols] - colX[c]
				h := 0.0
				for k := r; k < r+s.rows; k++ {
					h += heights[k]
				}
				pdf.Rect(colX[c], rowY, w, h, "D")
				lines := cellLines(pdf, s.cell.Text, w)
				ty := rowY + (h-float64(len(lines))*lineH)/2
				align := "C"
				if utf8.RuneCountInString(s.cell.Text) > 12 && s.cols > 1 {
					align = "L"
				}
				for i, line := range lines {
					pdf.SetXY(colX[c]+pdfCellPad, ty+float64(i)*lineH)
					pdf.CellFormat(w-2*pdfCellPad, lineH, line, "", 0, align, false, 0, "")
				}
			}
			rowY += heights[r]
		}
		y += gh
	}
	pdf.SetXY(x0, y)
}
