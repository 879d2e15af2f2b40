// Package render writes government information disclosure annual reports
// (政府信息公开工作年度报告) the way Chinese government portals publish them.
//
// It is pure: a Report (agency, year, template, a consistent set of figures
// and a variant number) goes in, a Doc comes out — a format-independent
// sequence of headings, paragraphs and tables with row and column spans —
// together with Stated, exactly the figures that rendering states. Output
// writers turn a Doc into bytes: HTML (a report body fragment, and a whole
// TRS-style detail page with its 索引号 metadata header, via Page), PDF
// (PDFWriter, with an embedded CJK TrueType font so that pdftotext reads
// the text layer) and DOCX (Doc.DOCX, tables with w:gridSpan and
// w:vMerge). Every writer works from the same Doc, so a parser property
// test can render random figures in every form and compare what it reads
// with Stated.
//
// Templates: TemplateNarrative is free prose in the 2008–2018 style, stating
// only totals with the phrases of spec/domain.md §4; TemplateTable2021 is
// the 2021 national format (国办公开办函〔2021〕30号) with tables 二, 三 and 四
// carrying the exact labels of spec/domain.md §2.3–2.5 and the merged cells
// real portals use.
package render
