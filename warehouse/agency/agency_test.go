package agency

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/nianbao/nianbao/gazetteer"
)

func directory(t testing.TB, depts ...Department) *Directory {
	t.Helper()
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(g, depts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return d
}

func TestDirectoryHoldsEveryDivision(t *testing.T) {
	d := directory(t, Department{Name: "靖远县 教育局", RegionCode: "620421"})
	g, _ := gazetteer.Load()
	want := g.Count(gazetteer.LevelProvince) + g.Count(gazetteer.LevelCity) + g.Count(gazetteer.LevelCounty) +
		g.Count(gazetteer.LevelTownship) + 1
	if got := len(d.Agencies()); got != want {
		t.Errorf("%d agencies, want %d", got, want)
	}
	a, ok := d.Get("620421113")
	wantA := Agency{ID: "620421113", Name: "三滩镇", Level: LevelTownship, RegionCode: "620421113", ParentID: "620421",
		Chain: []string{"62", "6204", "620421", "620421113"}, Origin: OriginGazetteer}
	if !ok || !reflect.DeepEqual(a, wantA) {
		t.Errorf("Get(620421113) = %+v, %v; want %+v", a, ok, wantA)
	}
	dep, ok := d.Get("620421/靖远县教育局")
	wantDep := Agency{ID: "620421/靖远县教育局", Name: "靖远县教育局", Level: LevelDepartment, RegionCode: "620421",
		ParentID: "620421", Chain: []string{"62", "6204", "620421"}, Origin: OriginSource}
	if !ok || !reflect.DeepEqual(dep, wantDep) {
		t.Errorf("department = %+v, %v; want %+v", dep, ok, wantDep)
	}
	if got := dep.Code(LevelCity); got != "6204" {
		t.Errorf("department's city = %q, want 6204", got)
	}
	for _, code := range []string{"1101", "4190", "330383198"} { // 市辖区, 省直辖县级行政区划, 龙港县直辖村级区划
		if a, _ := d.Get(code); !a.Placeholder {
			t.Errorf("%s (%s) is not a placeholder", code, a.Name)
		}
	}
	if a, _ := d.Get("620421"); a.Placeholder {
		t.Errorf("靖远县 is a placeholder")
	}
}

func TestNewRejectsUnknownRegion(t *testing.T) {
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(g, []Department{{Name: "某局", RegionCode: "999999"}}); !errors.Is(err, ErrUnknownRegion) {
		t.Errorf("New with region 999999: %v, want ErrUnknownRegion", err)
	}
}

func TestMatch(t *testing.T) {
	d := directory(t,
		Department{Name: "靖远县教育局", RegionCode: "620421"},
		Department{Name: "景泰县教育局", RegionCode: "620423"},
		Department{Name: "博白县教育局", RegionCode: "450923"},
		Department{Name: "白银市教育局", RegionCode: "6204"},
		Department{Name: "靖远县财政局", RegionCode: "620421"},
	)
	for _, tc := range []struct {
		name string
		q    Query
		want Match
	}{
		{"TownshipWithinCounty", Query{Name: "三滩镇人民政府", SourceName: "靖远县人民政府", SourceLevel: "county", SourceRegion: "620421"},
			Match{AgencyID: "620421113", Status: Matched, Method: MethodName, Candidates: []string{"620421113"}}},
		{"TownshipItsOwnSource", Query{Name: "三滩镇人民政府", SourceRegion: "620421113"},
			Match{AgencyID: "620421113", Status: Matched, Method: MethodName, Candidates: []string{"620421113"}}},
		{"PaddedSourceRegion", Query{Name: "三滩镇", SourceRegion: "620421000000"},
			Match{AgencyID: "620421113", Status: Matched, Method: MethodName, Candidates: []string{"620421113"}}},
		{"TwoSantanNationally", Query{Name: "三滩镇人民政府"},
			Match{Status: Ambiguous, Candidates: []string{"450923109", "620421113"}}},
		{"TwoSantanPlacedByText", Query{Name: "三滩镇人民政府", RegionCode: "450923109"},
			Match{AgencyID: "450923109", Status: Matched, Method: MethodText, Candidates: []string{"450923109", "620421113"}}},
		{"OutsideTheRegion", Query{Name: "三滩镇人民政府", SourceRegion: "6204"},
			Match{AgencyID: "620421113", Status: Matched, Method: MethodName, Candidates: []string{"620421113"}}},
		{"NotInTheRegion", Query{Name: "三滩镇人民政府", SourceRegion: "6205"}, Match{Status: Unmatched}},
		{"UnknownSourceRegionDoesNotTrustAName", Query{Name: "靖远县人民政府", SourceRegion: "999999"},
			Match{Status: Ambiguous, Candidates: []string{"620421"}}},
		{"UniqueNationally", Query{Name: "靖远县人民政府"},
			Match{AgencyID: "620421", Status: Matched, Method: MethodNational, Candidates: []string{"620421"}}},
		{"NameFromSource", Query{SourceName: "三滩镇人民政府", SourceRegion: "620421113"},
			Match{AgencyID: "620421113", Status: Matched, Method: MethodName, Candidates: []string{"620421113"}}},
		{"Department", Query{Name: "靖远县教育局", Level: LevelDepartment, SourceRegion: "620421"},
			Match{AgencyID: "620421/靖远县教育局", Status: Matched, Method: MethodName, Candidates: []string{"620421/靖远县教育局"}}},
		{"DepartmentShortName", Query{Name: "教育局", SourceRegion: "620421"},
			Match{AgencyID: "620421/靖远县教育局", Status: Matched, Method: MethodName, Candidates: []string{"620421/靖远县教育局"}}},
		{"DepartmentShortNameInCity", Query{Name: "教育局", SourceRegion: "6204"},
			Match{Status: Ambiguous, Candidates: []string{"6204/白银市教育局", "620421/靖远县教育局", "620423/景泰县教育局"}}},
		{"CityDepartmentOverCountyOnes", Query{Name: "白银市教育局", Level: LevelDepartment, SourceRegion: "6204"},
			Match{AgencyID: "6204/白银市教育局", Status: Matched, Method: MethodName, Candidates: []string{"6204/白银市教育局"}}},
		{"UnregisteredDepartment", Query{Name: "靖远县公安局", Level: LevelDepartment, SourceRegion: "620421"},
			Match{Status: Unmatched}},
		{"DepartmentRegisteredLast", Query{Name: "财政局", SourceRegion: "620421"},
			Match{AgencyID: "620421/靖远县财政局", Status: Matched, Method: MethodName, Candidates: []string{"620421/靖远县财政局"}}},
		{"DepartmentInAnotherProvince", Query{Name: "教育局", SourceRegion: "45"},
			Match{AgencyID: "450923/博白县教育局", Status: Matched, Method: MethodName, Candidates: []string{"450923/博白县教育局"}}},
		{"DepartmentShortNameNationally", Query{Name: "教育局"},
			Match{Status: Ambiguous, Candidates: []string{"450923/博白县教育局", "6204/白银市教育局", "620421/靖远县教育局", "620423/景泰县教育局"}}},
		{"Nothing", Query{}, Match{Status: Unmatched}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := d.Match(tc.q); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Match(%+v) = %+v, want %+v", tc.q, got, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"三滩镇 人民政府": "三滩镇人民政府",
		"ＡＢ镇":      "AB镇",
		" \t":      "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkMatchDepartment matches a county department's report in a
// directory of about 100,000 departments, 30 in every county, as the
// synthetic national warehouse registers.
func BenchmarkMatchDepartment(b *testing.B) {
	g, err := gazetteer.Load()
	if err != nil {
		b.Fatal(err)
	}
	var depts []Department
	for _, p := range g.Children("") {
		for _, c := range g.Children(p.Code) {
			for _, county := range g.Children(c.Code) {
				for i := range 30 {
					depts = append(depts, Department{Name: fmt.Sprintf("%s第%d局", county.Name, i), RegionCode: county.Code})
				}
			}
		}
	}
	if len(depts) < 80000 {
		b.Fatalf("%d departments", len(depts))
	}
	d, err := New(g, depts)
	if err != nil {
		b.Fatal(err)
	}
	q := Query{Name: "靖远县第7局", Level: LevelDepartment, SourceRegion: "620421"}
	b.ReportAllocs()
	for b.Loop() {
		if m := d.Match(q); m.Status != Matched {
			b.Fatalf("Match = %+v", m)
		}
	}
}
