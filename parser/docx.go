package parser

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// docxDocument reduces a DOCX package to a document: the paragraphs and
// tables of word/document.xml, with gridSpan and vMerge expanded. The XML is
// read through a size limit, so a zip bomb fails with ErrTooLarge.
func docxDocument(body []byte, maxXML int64, maxCells int) (*document, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, wrapf(ErrCorrupt, "zip: %v", err)
	}
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			f = zf
			break
		}
	}
	if f == nil {
		return nil, wrapf(ErrCorrupt, "no word/document.xml")
	}
	if f.UncompressedSize64 > uint64(maxXML) {
		return nil, wrapf(ErrTooLarge, "word/document.xml is %d bytes, limit %d", f.UncompressedSize64, maxXML)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, wrapf(ErrCorrupt, "open word/document.xml: %v", err)
	}
	defer rc.Close()
	lr := &limitedReader{r: rc, n: maxXML}
	d := &document{format: FormatDOCX}
	x := &docxReader{dec: xml.NewDecoder(lr), d: d, maxCells: maxCells}
	err = x.body()
	if lr.exceeded {
		return nil, wrapf(ErrTooLarge, "word/document.xml exceeds %d bytes", maxXML)
	}
	if err != nil {
		return nil, wrapf(ErrCorrupt, "word/document.xml: %v", err)
	}
	return d, nil
}

// limitedReader is io.LimitReader that remembers hitting the limit.
type limitedReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		l.exceeded = true
		return 0, errors.New("size limit reached")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// docxReader walks word/document.xml tokens.
type docxReader struct {
	dec      *xml.Decoder
	d        *document
	nextID   int32
	maxCells int
	cells    int
}

// maxDOCXDepth bounds element nesting, against pathological input.
const maxDOCXDepth = 200

// body reads the whole document, emitting top-level paragraphs and tables.
func (x *docxReader) body() error {
	depth := 0
	for {
		tok, err := x.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				text, err := x.paragraph()
				if err != nil {
					return err
				}
				for _, l := range strings.Split(text, "\n") {
					x.d.blocks = append(x.d.blocks, block{line: l})
				}
			case "tbl":
				grid, err := x.table()
				if err != nil {
					return err
				}
				x.d.blocks = append(x.d.blocks, block{grid: grid})
			default:
				depth++
				if depth > maxDOCXDepth {
					return fmt.Errorf("nesting deeper than %d", maxDOCXDepth)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}

// paragraph reads a w:p up to its end: w:t text, w:tab as a column gap,
// w:br and w:cr as line breaks.
func (x *docxReader) paragraph() (string, error) {
	var b strings.Builder
	depth := 1
	inText := false
	for depth > 0 {
		tok, err := x.dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDOCXDepth {
				return "", fmt.Errorf("nesting deeper than %d", maxDOCXDepth)
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteString("  ")
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			depth--
			if t.Name.Local == "t" {
				inText = false
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}

// table reads a w:tbl up to its end into a grid.
func (x *docxReader) table() ([][]gcell, error) {
	var grid [][]gcell
	var row []gcell
	col := 0
	depth := 1
	for depth > 0 {
		tok, err := x.dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tr":
				row, col = nil, 0
				depth++
			case "tc":
				text, cs, merge, err := x.cell()
				if err != nil {
					return nil, err
				}
				cs = min(max(cs, 1), maxColspan)
				if x.cells+cs > x.maxCells {
					continue
				}
				x.cells += cs
				c := gcell{text: text}
				if merge == "continue" && len(grid) > 0 && col < len(grid[len(grid)-1]) {
					c = grid[len(grid)-1][col] // vertically merged: the cell above
				} else {
					x.nextID++
					c.id = x.nextID
				}
				for k := 0; k < cs; k++ {
					row = append(row, c)
				}
				col += cs
			default:
				depth++
				if depth > maxDOCXDepth {
					return nil, fmt.Errorf("nesting deeper than %d", maxDOCXDepth)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "tr" {
				grid = append(grid, row)
				row = nil
			}
			depth--
		}
	}
	return grid, nil
}

// cell reads a w:tc up to its end: its text (paragraphs joined, nested
// tables flattened), gridSpan and vMerge ("restart", "continue" or "").
func (x *docxReader) cell() (string, int, string, error) {
	var lines []string
	cs := 1
	merge := ""
	depth := 1
	for depth > 0 {
		tok, err := x.dec.Token()
		if err != nil {
			return "", 0, "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				text, err := x.paragraph()
				if err != nil {
					return "", 0, "", err
				}
				lines = append(lines, text)
			case "gridSpan":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil {
					cs = v
				}
				depth++
			case "vMerge":
				merge = attr(t, "val")
				if merge == "" {
					merge = "continue"
				}
				depth++
			default:
				depth++
				if depth > maxDOCXDepth {
					return "", 0, "", fmt.Errorf("nesting deeper than %d", maxDOCXDepth)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	return joinLines(strings.Join(lines, "\n")), cs, merge, nil
}

// attr returns the value of the attribute with local name key.
func attr(t xml.StartElement, key string) string {
	for _, a := range t.Attr {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}
