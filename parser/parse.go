package parser

import (
	"bytes"
	"context"
	"mime"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/charset"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/textnorm"
)

// Parser parses reports. It holds compiled patterns and the text
// normaliser, so build one with New and reuse it. A Parser is safe for
// concurrent use.
type Parser struct {
	cfg     Config
	norm    *textnorm.Normalizer
	pat     *patterns
	meta    *metaPatterns
	labels  map[string]labelInfo // labelTable
	markers *keySet              // templateMarkers
	regions *regions
	nodes   *nodeChunks       // the fast HTML tree's recycled nodes
	scratch *scratchPool      // working buffers recycled between parses
	verify  *metrics.Verifier // the identities, compiled once
}

// New returns a Parser for cfg, or the validation error.
func New(cfg Config) (*Parser, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Parser{cfg: cfg, norm: textnorm.New(), pat: newPatterns(), meta: newMetaPatterns(), labels: labelTable(),
		markers: newKeySet(templateMarkers()...), regions: &regions{}, nodes: &nodeChunks{},
		scratch: &scratchPool{}, verify: metrics.NewVerifier()}, nil
}

// Parse parses one input with a Parser built for cfg. It is a convenience
// for one-off use; New and Parser.Parse avoid rebuilding the patterns for
// every document.
func Parse(ctx context.Context, in Input, cfg Config) (*Report, error) {
	p, err := New(cfg)
	if err != nil {
		return nil, &Error{Source: in.Source, Field: "config", Err: err}
	}
	return p.Parse(ctx, in)
}

// Parse reads one report. It performs no network or file I/O; a PDF is
// piped through the configured pdftotext. Every error is an *Error wrapping
// one of the package's sentinels. A report that breaks an identity is
// returned as published, with the failed check in Checks.
func (p *Parser) Parse(ctx context.Context, in Input) (*Report, error) {
	fail := func(field string, err error) (*Report, error) {
		return nil, &Error{Source: in.Source, Field: field, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail("", err)
	}
	if int64(len(in.Body)) > p.cfg.MaxBytes {
		return fail("", wrapf(ErrTooLarge, "%d bytes, limit %d", len(in.Body), p.cfg.MaxBytes))
	}
	if len(bytes.TrimSpace(in.Body)) == 0 {
		return fail("", ErrEmpty)
	}
	format, err := detectFormat(in)
	if err != nil {
		return fail("format", err)
	}
	r := &Report{Source: in.Source, Format: format, Status: StatusOK, ParserVersion: Version}
	var d *document
	s := p.scratch.get()
	defer p.scratch.put(s)
	switch format {
	case FormatHTML, FormatText:
		text, cs, err := charset.Decode(in.Body, in.ContentType)
		if err != nil {
			return fail("charset", wrapf(ErrUnsupportedFormat, "%v", err))
		}
		r.Charset = cs
		if format == FormatHTML {
			if d, err = htmlDocument(text, p.cfg.MaxTableCells, p.nodes, s); err != nil {
				// The tree builder gives up on pages nested past its limit;
				// their text, a line per block and cell, is still the report.
				d = htmlTextDocument(text)
			}
		} else {
			d = textDocument(string(text), FormatText)
		}
	case FormatPDF:
		text, err := pdfText(ctx, p.cfg, in.Body)
		if err != nil {
			return fail("pdf", err)
		}
		if strings.TrimSpace(text) == "" {
			r.Status = StatusImageOnly
			r.Facts, r.Checks = []Fact{}, []metrics.Check{}
			p.applyHint(r, nil, in.Hint)
			return r, nil
		}
		d = textDocument(text, FormatPDF)
	case FormatDOCX:
		d, err = docxDocument(in.Body, p.cfg.MaxDOCXXMLBytes, p.cfg.MaxTableCells)
		if err != nil {
			return fail("docx", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fail("", err)
	}
	d.scratch = s
	d.normalize(p.norm)
	if strings.TrimSpace(d.prose) == "" && d.htmlTitle == "" {
		if format == FormatHTML && d.images > 0 {
			r.Status = StatusImageOnly
			r.Facts, r.Checks = []Fact{}, []metrics.Check{}
			p.applyHint(r, nil, in.Hint)
			return r, nil
		}
		return fail("", ErrEmpty)
	}

	m := p.extractMeta(d, in)
	r.Title, r.Agency, r.Level, r.Year = m.title, m.agency, m.level, m.year
	r.PublishedAt, r.IndexNo, r.DocNo, r.Publisher = m.publishedAt, m.indexNo, m.docNo, m.publisher

	tmpl, byLabels := detectTemplate(d, p.markers)
	r.Template = tmpl
	col := newCollector(len(d.toks))
	tr := &tableReader{tmpl: tmpl, col: col, known: p.labels}
	tr.run(d.toks)
	col.derive()
	nr := &narrative{p: p.pat, prose: d.prose, year: r.Year, col: col}
	nr.run()
	nr.quotedOutcomes()

	switch shape := classify(d, r.Title, byLabels || tr.read > 0, len(col.facts)); {
	case shape == shapeImages:
		// A title and pictures of the pages: the report is in the images.
		r.Status = StatusImageOnly
		r.Template = ""
	case shape != shapeReport:
		return fail("report", ErrNotReport)
	case byLabels && tr.read == 0:
		// The tables state nothing; prose figures are kept.
		r.Status = StatusNoData
	}
	r.Facts = col.facts
	if r.Facts == nil {
		r.Facts = []Fact{}
	}
	r.Alternates = col.alternates
	r.Checks = checks(r, col, p.verify)
	p.applyHint(r, d, in.Hint)
	return r, nil
}

// applyHint lets what the caller knows override what was read, then
// resolves the region.
func (p *Parser) applyHint(r *Report, d *document, h Hint) {
	if h.Agency != "" {
		r.Agency = h.Agency
		if h.Level == "" {
			r.Level = levelOf(h.Agency)
		}
	}
	if h.Level != "" {
		r.Level = h.Level
	}
	p.resolveRegion(r, d, h)
}

// CheckNarrativeTable names the cross-section check: a figure the prose
// states equals the table's.
const CheckNarrativeTable = "narrative_table"

// checks evaluates the identities of metrics.Verify over the report's
// facts (the collector's, one per metric and column), drops those made
// true by derivation (a derived total always equals its parts), and adds a
// cross-section check per prose figure restating a table figure.
func checks(r *Report, col *collector, v *metrics.Verifier) []metrics.Check {
	get := func(metric string, a metrics.Applicant) (float64, bool) {
		f, ok := col.get(metric, a)
		return f.Value, ok
	}
	all := r.Verify(v)
	out := all[:0] // filtered in place: out never passes the check being read
	for _, c := range all {
		switch c.Name {
		case metrics.CheckGroupSum, metrics.CheckApplicantSum, metrics.CheckReviewSum, metrics.CheckLawsuitsTotal:
			if f, ok := col.get(c.Metric, c.Applicant); ok && f.Derived {
				continue
			}
		}
		out = append(out, c)
	}
	for _, a := range r.Alternates {
		if a.Locator.Table != "" || a.Applicant != metrics.Total {
			continue
		}
		x, ok := get(a.Metric, metrics.Total)
		if !ok {
			continue
		}
		out = append(out, metrics.Check{Name: CheckNarrativeTable, Metric: a.Metric, Applicant: metrics.Total,
			OK: x == a.Value || a.Approximate && a.Value <= x, Expected: x, Actual: a.Value})
	}
	return out
}

// detectFormat decides the input's format: magic bytes, then the content
// type, then the extension of the source, then sniffing.
func detectFormat(in Input) (string, error) {
	b := in.Body
	head := b[:min(len(b), 1024)]
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return FormatPDF, nil
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		if bytes.Contains(b, []byte("word/")) {
			return FormatDOCX, nil
		}
		return "", wrapf(ErrUnsupportedFormat, "zip package that is not DOCX")
	case bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0")):
		return "", wrapf(ErrUnsupportedFormat, "legacy OLE document (.doc/.xls)")
	case bytes.HasPrefix(b, []byte("\x89PNG")), bytes.HasPrefix(b, []byte("\xFF\xD8\xFF")),
		bytes.HasPrefix(b, []byte("GIF8")), bytes.HasPrefix(b, []byte("RIFF")):
		return "", wrapf(ErrUnsupportedFormat, "image")
	}
	if mt, _, err := mime.ParseMediaType(in.ContentType); err == nil {
		switch mt {
		case "text/html", "application/xhtml+xml":
			return FormatHTML, nil
		case "text/plain", "text/markdown":
			return FormatText, nil
		case "application/pdf":
			return "", wrapf(ErrCorrupt, "served as PDF but has no PDF header")
		case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
			return "", wrapf(ErrCorrupt, "served as DOCX but is not a zip package")
		}
	}
	p := in.Source
	if u, err := url.Parse(p); err == nil && u.Scheme != "" && u.Path != "" {
		p = u.Path
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".txt", ".md", ".text":
		return FormatText, nil
	case ".html", ".htm", ".shtml", ".jhtml", ".xhtml":
		return FormatHTML, nil
	}
	if !utf8.Valid(head) && bytes.IndexByte(head, 0) >= 0 {
		return "", wrapf(ErrUnsupportedFormat, "binary payload")
	}
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<html", "<!doctype", "<body", "<table", "<div", "<p>", "<p ", "<meta", "<head"} {
		if bytes.Contains(lower, []byte(tag)) {
			return FormatHTML, nil
		}
	}
	return FormatText, nil
}

// Template markers, in the order of templateMarkers: the 2021 labels, the
// 2019 labels, table 三 rows, and the formats reports cite.
const (
	first21, last21       = 0, 5
	first19, last19       = 6, 13
	firstT3, lastT3       = 14, 16
	markCite2019a         = 17 // 报告格式(试行)
	markCite2019b         = 18 // 〔2019〕60号
	markCite2019c         = 19 // [2019]60号
	markCite2021a         = 20 // 〔2021〕30号
	markCite2021b         = 21 // [2021]30号
	markCite2021c         = 22 // 年度报告格式》
	markReceivedAndAnswer = 23 // 收到和处理政府信息公开申请情况
)

// templateMarkers are the phrases detectTemplate looks for, as normalised
// text has them.
func templateMarkers() []string {
	return []string{
		"本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "缴纳费用",
		"本年新制作数量", "本年新公开数量", "对外公开总数量", "政府集中采购", "其他对外管理服务事项", "上一年项目数量", "采购总金额", "采购项目数量",
		"本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理",
		"报告格式(试行)", "〔2019〕60号", "[2019]60号", "〔2021〕30号", "[2021]30号", "年度报告格式》",
		"收到和处理政府信息公开申请情况",
	}
}

// detectTemplate decides the template from the table labels present (the
// 2021 template's 本年制发件数, 本年废止件数, （六） items; the 2019
// template's 本年新制作数量, 政府集中采购, 其他对外管理服务事项), else from
// the format the report cites. byLabels reports whether labels decided.
func detectTemplate(d *document, markers *keySet) (tmpl string, byLabels bool) {
	count := func(m uint64, first, last int) int {
		n := 0
		for i := first; i <= last; i++ {
			if m&(1<<i) != 0 {
				n++
			}
		}
		return n
	}
	m := markers.find(d.prose)
	n21, n19 := count(m, first21, last21), count(m, first19, last19)
	if n21 == 0 && n19 == 0 {
		// Labels usually sit whole in one cell; only when none is found
		// are the lines joined without spaces and pipes, for labels split
		// over lines ("本年新\n制作数量").
		buf := make([]byte, 0, len(d.prose))
		for _, l := range d.lines {
			for i := 0; i < len(l); i++ {
				if ch := l[i]; ch != ' ' && ch != '|' && ch != '\t' {
					buf = append(buf, ch)
				}
			}
		}
		m = markers.find(string(buf))
		n21, n19 = count(m, first21, last21), count(m, first19, last19)
	}
	switch {
	case n21 > n19:
		return TemplateTable2021, true
	case n19 > 0:
		return TemplateTable2019, true
	}
	t3 := count(m, firstT3, lastT3) > 0
	has := func(i int) bool { return m&(1<<i) != 0 }
	switch {
	case has(markCite2019a) || has(markCite2019b) || has(markCite2019c):
		return TemplateTable2019, t3
	case has(markCite2021a) || has(markCite2021b) || has(markCite2021c):
		return TemplateTable2021, t3
	case t3 || has(markReceivedAndAnswer):
		// The 2019+ structure, but which table version cannot be told.
		return "", t3
	}
	return TemplateNarrative, false
}

// Page shapes classify tells apart.
const (
	shapeOther  = iota // not a report: a list page, a guide, a news item
	shapeReport        // a report with text
	shapeImages        // a report title over images of the report
)

// classify tells an annual report from other pages, such as a list page
// linking to several reports: a report has its template tables, figures or
// section headings about disclosure; a page with a report title and
// pictures but no text is a report published as images.
func classify(d *document, title string, tables bool, facts int) int {
	if tables {
		return shapeReport
	}
	titles := map[string]bool{}
	headings := 0
	for _, l := range d.lines {
		t := strings.TrimSpace(l)
		if c := cleanTitle(t); isTitle(c) {
			titles[c] = true
		}
		if p := headingPrefix(t); p != "" && runeLen(t) <= 50 && containsAny(t, "主动公开", "依申请", "申请", "行政复议", "收费", "存在的", "总体情况", "概述", "基本情况", "其他需要报告") {
			headings++
		}
	}
	switch {
	case len(titles) >= 3 && headings < 2:
		return shapeOther
	case headings >= 2 || facts > 0:
		return shapeReport
	case d.format == FormatHTML && d.images > 0 && title != "" && len(titles) <= 1 && runeLen(d.prose) < 400:
		return shapeImages
	}
	return shapeOther
}
