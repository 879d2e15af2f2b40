package simulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// Portal is one simulated government portal.
type Portal struct {
	// Agency is the body's name, e.g. "三滩镇人民政府".
	Agency string `json:"agency"`
	// Level is "township" or "county".
	Level string `json:"level"`
	// RegionCode is the body's NBS code, e.g. "620421113".
	RegionCode string `json:"region_code"`
	// BaseURL is the portal's root, e.g. "http://127.0.1.5:8080"; empty
	// before Start.
	BaseURL string `json:"base_url"`
	// StartURL is the annual-report column's first list page; empty before
	// Start.
	StartURL string `json:"start_url"`
	// Encoding is the portal's charset as package charset names it:
	// "gb18030" (declared gb2312 in a <meta> tag only) or "utf-8".
	Encoding string `json:"encoding"`
}

// Truth is one published report as the simulator rendered it.
type Truth struct {
	Agency     string `json:"agency"`
	RegionCode string `json:"region_code"`
	Level      string `json:"level"`
	// Year is the year reported on.
	Year int `json:"year"`
	// URL is the detail page; empty before Start.
	URL   string `json:"url"`
	Title string `json:"title"`
	// PublishedAt is the page's 生成日期, YYYY-MM-DD.
	PublishedAt string `json:"published_at"`
	// IndexNo is the page's 索引号.
	IndexNo string `json:"index_no"`
	// Template is render.TemplateNarrative or render.TemplateTable2021.
	Template string `json:"template"`
	// Format is the document format, "html".
	Format string `json:"format"`
	// Encoding is the charset of the served bytes, as in Portal.
	Encoding string `json:"encoding"`
	// Values holds exactly the figures the report states. A 2021 table
	// states every printed cell but not the outcome group totals or
	// lawsuits.total, which it only implies (see render.Implied).
	Values metrics.Values `json:"-"`
}

// Implied returns Values plus the figures the report's template implies
// without printing them (outcome group totals, lawsuits.total; see
// render.Implied): what a parser that derives those sums should read.
func (t Truth) Implied() metrics.Values {
	return render.Implied(t.Values)
}

// truthFigure is one figure in Truth's JSON form.
type truthFigure struct {
	Metric    string            `json:"metric"`
	Applicant metrics.Applicant `json:"applicant"`
	Value     float64           `json:"value"`
}

// truthJSON is Truth's JSON form: the fields, the Total-column figures as
// "stats" (as in the `nianbao parse` output) and every figure as "values".
type truthJSON struct {
	truthFields
	Stats  map[string]float64 `json:"stats"`
	Values []truthFigure      `json:"values"`
}

// truthFields is Truth without its methods, to embed without recursion.
type truthFields Truth

// MarshalJSON writes t with its figures as a sorted list.
func (t Truth) MarshalJSON() ([]byte, error) {
	out := truthJSON{truthFields: truthFields(t), Stats: map[string]float64{}}
	for k, v := range t.Values {
		out.Values = append(out.Values, truthFigure{k.Metric, k.Applicant, v})
		if k.Applicant == metrics.Total {
			out.Stats[k.Metric] = v
		}
	}
	slices.SortFunc(out.Values, func(a, b truthFigure) int {
		if c := strings.Compare(a.Metric, b.Metric); c != 0 {
			return c
		}
		return strings.Compare(string(a.Applicant), string(b.Applicant))
	})
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes; "stats" is ignored in
// favour of "values".
func (t *Truth) UnmarshalJSON(b []byte) error {
	var in truthJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*t = Truth(in.truthFields)
	t.Values = make(metrics.Values, len(in.Values))
	for _, f := range in.Values {
		k := metrics.Key{Metric: f.Metric, Applicant: f.Applicant}
		if _, dup := t.Values[k]; dup {
			return fmt.Errorf("truth %s %d: figure %s/%s twice", t.Agency, t.Year, f.Metric, f.Applicant)
		}
		t.Values[k] = f.Value
	}
	return nil
}
