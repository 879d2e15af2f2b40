package parser

import (
	"github.com/nianbao/nianbao/metrics"
)

// Version identifies the parser's extraction rules. Bump it whenever a change
// could alter any report's output, so the warehouse keeps old and new
// versions side by side.
const Version = "0.2.0"

// Templates a report can follow.
const (
	TemplateNarrative = "narrative"
	TemplateTable2019 = "table2019"
	TemplateTable2021 = "table2021"
)

// Formats an input can have.
const (
	FormatHTML = "html"
	FormatText = "text"
	FormatPDF  = "pdf"
	FormatDOCX = "docx"
)

// Levels of administrative body.
const (
	LevelProvince   = "province"
	LevelCity       = "city"
	LevelCounty     = "county"
	LevelTownship   = "township"
	LevelDepartment = "department"
)

// Statuses of a parsed report.
const (
	// StatusOK means figures were read.
	StatusOK = "ok"
	// StatusNoData means the report has the template's labels but no numbers.
	StatusNoData = "no_data"
	// StatusImageOnly means the document has no text layer.
	StatusImageOnly = "image_only"
)

// Input is one document to parse: the bytes as fetched and what is known
// about them. Parse never performs I/O.
type Input struct {
	// Source names the input in reports and errors: a path or URL.
	Source string
	// Body is the raw payload, in whatever charset it was served.
	Body []byte
	// ContentType is the HTTP Content-Type header, if any.
	ContentType string
	// Hint carries what the caller already knows of the reporting body,
	// e.g. from a crawl source's registration. Zero fields mean unknown.
	Hint Hint
}

// Hint is caller-supplied context about the body that published a report.
type Hint struct {
	// Agency is the registered name of the publishing body.
	Agency string
	// Level is one of the Level constants.
	Level string
	// RegionCode is the registered NBS region code.
	RegionCode string
}

// Report is everything read from one annual report.
type Report struct {
	Source        string `json:"source"`
	Title         string `json:"title,omitempty"`
	Agency        string `json:"agency,omitempty"`
	Level         string `json:"level,omitempty"`
	RegionCode    string `json:"region_code,omitempty"`
	Year          int    `json:"year,omitempty"`
	PublishedAt   string `json:"published_at,omitempty"` // YYYY-MM-DD, then " HH:MM[:SS]" when the page states the time
	Template      string `json:"template,omitempty"`
	Format        string `json:"format"`
	Status        string `json:"status"`
	IndexNo       string `json:"index_no,omitempty"`  // 索引号
	DocNo         string `json:"doc_no,omitempty"`    // 文号
	Publisher     string `json:"publisher,omitempty"` // 发布机构
	Charset       string `json:"charset,omitempty"`
	ParserVersion string `json:"parser_version"`

	// Facts are every figure read, with where it came from.
	Facts []Fact `json:"facts"`
	// Checks are the identities evaluated over Facts.
	Checks []metrics.Check `json:"checks"`

	// Alternates are figures stated a second time with another value or in
	// another place (e.g. the 总体情况 prose restating a table 三 figure),
	// kept as published beside the fact that Facts holds for the same metric
	// and column.
	Alternates []Fact `json:"alternates,omitempty"`
}

// Fact is one figure as the report states it.
type Fact struct {
	Metric    string            `json:"metric"`
	Applicant metrics.Applicant `json:"applicant"`
	Value     float64           `json:"value"`
	// Approximate is set when the report qualifies the figure with 余, 多,
	// 近 or 超; Value is then the number as stated.
	Approximate bool `json:"approximate,omitempty"`
	// Derived is set for a figure the report implies but does not print: a
	// 总计 cell left blank, an outcome group's sum of items, lawsuits.total.
	Derived bool    `json:"derived,omitempty"`
	Locator Locator `json:"locator"`
}

// Locator says where in the document a figure was read.
type Locator struct {
	// Table names the table ("table3", "table4", "table2"), empty for text.
	Table string `json:"table,omitempty"`
	// Row and Column are the labels of the cell, for tables.
	Row    string `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	// Start and End delimit the matched text, in characters (runes) of the
	// normalised document text, for figures read from prose.
	Start int `json:"start,omitempty"`
	End   int `json:"end,omitempty"`
	// Text is the matched prose, for figures read from prose.
	Text string `json:"text,omitempty"`
}

// Values returns the report's figures keyed by metric and applicant column.
func (r *Report) Values() metrics.Values {
	v := make(metrics.Values, len(r.Facts))
	for _, f := range r.Facts {
		v[metrics.Key{Metric: f.Metric, Applicant: f.Applicant}] = f.Value
	}
	return v
}

// Stats returns the Total-column figures keyed by metric, as in the
// `nianbao parse --json` contract.
func (r *Report) Stats() map[string]float64 {
	s := make(map[string]float64)
	for _, f := range r.Facts {
		if f.Applicant == metrics.Total {
			s[f.Metric] = f.Value
		}
	}
	return s
}

// Verify evaluates the identities of metrics.Verify over the report's
// facts with v: the same checks in the same order as
// metrics.Verify(r.Values()), without building a map keyed by metric and
// applicant.
func (r *Report) Verify(v *metrics.Verifier) []metrics.Check {
	f := v.Figures()
	for i := range r.Facts {
		f.Set(r.Facts[i].Metric, r.Facts[i].Applicant, r.Facts[i].Value)
	}
	return f.Verify()
}
