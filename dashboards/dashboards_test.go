package dashboards

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

func TestAllLoadAndUseOnlyTheSchema(t *testing.T) {
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 2 {
		t.Fatalf("%d saved queries, want at least township_league and missing_reports", len(qs))
	}
	known := append(warehouse.Tables(), warehouse.Views()...)
	// ARRAY JOIN names array columns, not tables: matched to be skipped.
	from := regexp.MustCompile(`(?i)\b(FROM|(?:ARRAY\s+)?JOIN)\s+([A-Za-z_][A-Za-z0-9_.]*)`)
	for _, q := range qs {
		if q.Title == "" || len(q.Params) == 0 {
			t.Errorf("%s: title %q, %d params", q.Name, q.Title, len(q.Params))
		}
		for _, m := range from.FindAllStringSubmatch(stripComments(q.SQL), -1) {
			if strings.HasPrefix(strings.ToUpper(m[1]), "ARRAY") {
				continue
			}
			if !slices.Contains(known, m[2]) {
				t.Errorf("%s reads %s, which the warehouse migrations do not define (%v)", q.Name, m[2], known)
			}
		}
		params := map[string]string{}
		for _, p := range q.Params {
			switch {
			case p.Type == "String":
				params[p.Name] = "620421"
			case strings.HasPrefix(p.Type, "UInt"):
				params[p.Name] = "2023"
			case p.Type == "Date":
				params[p.Name] = "2024-06-01"
			default:
				t.Fatalf("%s: untested parameter type %s", q.Name, p.Type)
			}
		}
		if _, err := warehouse.Bind(q.SQL, params); err != nil {
			t.Errorf("%s: Bind with every declared parameter: %v", q.Name, err)
		}
	}
}

func TestGet(t *testing.T) {
	q, err := Get("township_league")
	if err != nil {
		t.Fatal(err)
	}
	if names := []string{q.Params[0].Name, q.Params[1].Name}; names[0] != "county" || names[1] != "year" {
		t.Errorf("params = %v", q.Params)
	}
	for _, bad := range []string{"nope", "../etc/passwd", "Township_League", ""} {
		if _, err := Get(bad); err == nil {
			t.Errorf("Get(%q) = nil error", bad)
		}
	}
}

// stripComments drops "--" comments, which may mention FROM in prose.
func stripComments(sql string) string {
	lines := strings.Split(sql, "\n")
	for i, l := range lines {
		if j := strings.Index(l, "--"); j >= 0 {
			lines[i] = l[:j]
		}
	}
	return strings.Join(lines, "\n")
}
