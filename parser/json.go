package parser

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/nianbao/nianbao/metrics"
)

// contractCheck is a check as the `nianbao parse --json` contract prints it.
type contractCheck struct {
	Name      string            `json:"name"`
	OK        bool              `json:"ok"`
	Detail    string            `json:"detail"`
	Metric    string            `json:"metric,omitempty"`
	Applicant metrics.Applicant `json:"applicant"`
	Expected  float64           `json:"expected"`
	Actual    float64           `json:"actual"`
}

// contract is the JSON form of a Report (spec/metrics.md): the contract's
// fields in its order, then the extras.
type contract struct {
	Source        string             `json:"source"`
	Title         string             `json:"title,omitempty"`
	Agency        string             `json:"agency,omitempty"`
	Level         string             `json:"level,omitempty"`
	RegionCode    string             `json:"region_code,omitempty"`
	Year          int                `json:"year,omitempty"`
	PublishedAt   string             `json:"published_at,omitempty"`
	Template      string             `json:"template,omitempty"`
	Format        string             `json:"format"`
	Stats         map[string]float64 `json:"stats"`
	Checks        []contractCheck    `json:"checks"`
	Status        string             `json:"status"`
	IndexNo       string             `json:"index_no,omitempty"`
	DocNo         string             `json:"doc_no,omitempty"`
	Publisher     string             `json:"publisher,omitempty"`
	Charset       string             `json:"charset,omitempty"`
	ParserVersion string             `json:"parser_version"`
	Facts         []Fact             `json:"facts"`
	Alternates    []Fact             `json:"alternates,omitempty"`
}

// MarshalJSON encodes the report as the `nianbao parse --json` contract of
// spec/metrics.md: source, title, agency, level, region_code, year,
// published_at, template, format, stats (total-column values by metric) and
// checks (name, ok, detail, …), followed by status, the header fields,
// facts with their locators and alternates. Every consumer that encodes a
// Report emits this form.
func (r Report) MarshalJSON() ([]byte, error) {
	c := contract{
		Source: r.Source, Title: r.Title, Agency: r.Agency, Level: r.Level, RegionCode: r.RegionCode,
		Year: r.Year, PublishedAt: r.PublishedAt, Template: r.Template, Format: r.Format,
		Stats: r.Stats(), Checks: make([]contractCheck, 0, len(r.Checks)), Status: r.Status,
		IndexNo: r.IndexNo, DocNo: r.DocNo, Publisher: r.Publisher, Charset: r.Charset,
		ParserVersion: r.ParserVersion, Facts: r.Facts, Alternates: r.Alternates,
	}
	if c.Facts == nil {
		c.Facts = []Fact{}
	}
	for _, k := range r.Checks {
		detail := k.Detail()
		if k.Name == CheckNarrativeTable {
			detail = fmt.Sprintf("%s: the table states %s, the prose %s", k.Metric,
				strconv.FormatFloat(k.Expected, 'f', -1, 64), strconv.FormatFloat(k.Actual, 'f', -1, 64))
		}
		c.Checks = append(c.Checks, contractCheck{Name: k.Name, OK: k.OK, Detail: detail, Metric: k.Metric,
			Applicant: k.Applicant, Expected: k.Expected, Actual: k.Actual})
	}
	return json.Marshal(c)
}
