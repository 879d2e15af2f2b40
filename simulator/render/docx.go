package render

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// DOCX returns d as a Word document (Office Open XML): the title and
// headings as bold paragraphs, the paragraphs, and tables whose merged
// cells use w:gridSpan and w:vMerge, as word processors save them.
// created dates the zip entries and the core properties; the same inputs
// give the same bytes.
func (d Doc) DOCX(created time.Time) ([]byte, error) {
	var body strings.Builder
	docxParagraph(&body, d.Title, true, true)
	for _, b := range d.Blocks {
		switch b.Kind {
		case Heading:
			docxParagraph(&body, b.Text, true, false)
		case Paragraph:
			docxParagraph(&body, "　　"+b.Text, false, false)
		case TableBlock:
			docxTable(&body, b.Table)
			docxParagraph(&body, "", false, false)
		}
	}
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>%s</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created></cp:coreProperties>`,
			xmlText(d.Title), created.UTC().Format(time.RFC3339))},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() +
			`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: created})
		if err != nil {
			return nil, fmt.Errorf("docx %s: %w", d.Title, err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return nil, fmt.Errorf("docx %s: %w", d.Title, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx %s: %w", d.Title, err)
	}
	return buf.Bytes(), nil
}

// xmlText escapes s for XML character data.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder never fail
	return b.String()
}

// docxRuns writes text as runs, a line break for each "\n".
func docxRuns(w *strings.Builder, text string, bold bool) {
	w.WriteString("<w:r>")
	if bold {
		w.WriteString("<w:rPr><w:b/></w:rPr>")
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			w.WriteString("<w:br/>")
		}
		fmt.Fprintf(w, `<w:t xml:space="preserve">%s</w:t>`, xmlText(line))
	}
	w.WriteString("</w:r>")
}

func docxParagraph(w *strings.Builder, text string, bold, center bool) {
	w.WriteString("<w:p>")
	if center {
		w.WriteString(`<w:pPr><w:jc w:val="center"/></w:pPr>`)
	}
	if text != "" {
		docxRuns(w, text, bold)
	}
	w.WriteString("</w:p>")
}

// docxTable writes a table on its grid: a cell spanning columns carries
// w:gridSpan, one spanning rows starts a w:vMerge that empty cells below
// continue.
func docxTable(w *strings.Builder, t *Table) {
	g := grid(t)
	if len(g) == 0 {
		return
	}
	ncols := len(g[0])
	w.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`)
	for range ncols {
		fmt.Fprintf(w, `<w:gridCol w:w="%d"/>`, 9000/ncols)
	}
	w.WriteString("</w:tblGrid>")
	for r, row := range g {
		w.WriteString("<w:tr>")
		for c := 0; c < ncols; {
			s := row[c]
			if s == nil {
				w.WriteString(`<w:tc><w:p/></w:tc>`)
				c++
				continue
			}
			if s.col != c { // inside a span that started left of c
				c++
				continue
			}
			w.WriteString("<w:tc><w:tcPr>")
			if s.cols > 1 {
				fmt.Fprintf(w, `<w:gridSpan w:val="%d"/>`, s.cols)
			}
			switch {
			case s.rows > 1 && s.row == r:
				w.WriteString(`<w:vMerge w:val="restart"/>`)
			case s.rows > 1:
				w.WriteString(`<w:vMerge/>`)
			}
			w.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			if s.row == r {
				w.WriteString(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr>`)
				docxRuns(w, s.cell.Text, false)
				w.WriteString("</w:p>")
			} else {
				w.WriteString("<w:p/>")
			}
			w.WriteString("</w:tc>")
			c += s.cols
		}
		w.WriteString("</w:tr>")
	}
	w.WriteString("</w:tbl>")
}
