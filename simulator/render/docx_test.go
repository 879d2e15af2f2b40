package render

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
)

// docxTables reads a DOCX's document.xml back: its paragraphs' text
// outside tables, and each table as rows of (text, gridSpan, vMerge) cells.
type docxCell struct {
	text   string
	span   int
	vMerge string // "", "restart" or "continue"
}

func readDOCX(t *testing.T, b []byte) (paras []string, tables [][][]docxCell) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("DOCX is not a zip: %v", err)
	}
	names := map[string]*zip.File{}
	for _, f := range zr.File {
		names[f.Name] = f
	}
	for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if names[want] == nil {
			t.Fatalf("DOCX lacks %s", want)
		}
	}
	rc, err := names["word/document.xml"].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var (
		depth     int // table nesting
		text      strings.Builder
		cell      *docxCell
		row       []docxCell
		table     [][]docxCell
		inText    bool
		paraDepth bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "tbl":
				depth++
				table = nil
			case "tr":
				row = nil
			case "tc":
				cell = &docxCell{span: 1}
			case "gridSpan":
				for _, a := range el.Attr {
					if a.Name.Local == "val" {
						cell.span, _ = strconv.Atoi(a.Value)
					}
				}
			case "vMerge":
				cell.vMerge = "continue"
				for _, a := range el.Attr {
					if a.Name.Local == "val" {
						cell.vMerge = a.Value
					}
				}
			case "p":
				paraDepth = true
				if depth == 0 {
					text.Reset()
				}
			case "t":
				inText = true
			case "br":
				if cell != nil {
					cell.text += "\n"
				}
			}
		case xml.CharData:
			if inText {
				if cell != nil {
					cell.text += string(el)
				} else {
					text.Write(el)
				}
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "t":
				inText = false
			case "p":
				if depth == 0 && paraDepth {
					paras = append(paras, text.String())
				}
				paraDepth = false
			case "tc":
				row = append(row, *cell)
				cell = nil
			case "tr":
				table = append(table, row)
			case "tbl":
				depth--
				tables = append(tables, table)
			}
		}
	}
	return paras, tables
}

// TestDOCX writes a 2021 table report as DOCX, reads document.xml back
// and checks the text, that every table row fills the grid, and that
// table 三's first row carries the stated figures.
func TestDOCX(t *testing.T) {
	doc, err := Build(sample(TemplateTable2021, busy(), 5))
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2023, 1, 18, 9, 30, 0, 0, time.UTC)
	b, err := doc.DOCX(created)
	if err != nil {
		t.Fatal(err)
	}
	again, err := doc.DOCX(created)
	if err != nil || !bytes.Equal(b, again) {
		t.Errorf("two DOCX writes of the same doc differ (err %v)", err)
	}
	paras, tables := readDOCX(t, b)
	if len(paras) == 0 || paras[0] != doc.Title {
		t.Errorf("first paragraph %q, want the title", paras[:min(1, len(paras))])
	}
	for _, blk := range doc.Blocks {
		if blk.Kind == Heading && !contains(paras, blk.Text) {
			t.Errorf("no paragraph %q", blk.Text)
		}
	}
	wantTables := 0
	for _, blk := range doc.Blocks {
		if blk.Kind == TableBlock {
			wantTables++
		}
	}
	if len(tables) != wantTables {
		t.Fatalf("%d tables, want %d", len(tables), wantTables)
	}
	found := false
	for ti, tbl := range tables {
		width := -1
		for ri, row := range tbl {
			w := 0
			for _, c := range row {
				w += c.span
				if c.vMerge == "continue" && c.text != "" {
					t.Errorf("table %d row %d: a continued merge holds text %q", ti, ri, c.text)
				}
			}
			if width >= 0 && w != width {
				t.Errorf("table %d row %d spans %d grid columns, row 0 %d", ti, ri, w, width)
			}
			width = w
			if len(row) > 7 && strings.Contains(row[0].text, "本年新收") {
				found = true
				for i, a := range metrics.Applicants() {
					v, _ := doc.Stated.Get(metrics.RequestsNew, a)
					if got := row[len(row)-7+i].text; got != formatNumber(v) {
						t.Errorf("本年新收 %s = %q, want %v", a, got, v)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no table row 本年新收")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
