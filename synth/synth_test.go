package synth

import (
	"reflect"
	"testing"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/warehouse/agency"
)

func generator(t testing.TB, edit func(*Config)) *Generator {
	t.Helper()
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Regions = []string{"620421"}
	if edit != nil {
		edit(&cfg)
	}
	gen, err := New(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

func TestAgencies(t *testing.T) {
	gen := generator(t, nil)
	levels := map[string]int{}
	for _, a := range gen.Agencies() {
		levels[a.Level]++
		if a.Placeholder {
			t.Errorf("placeholder %s reports", a.ID)
		}
	}
	// 靖远县: the county, its 18 townships, 30 departments.
	if want := map[string]int{"county": 1, "township": 18, "department": 30}; !reflect.DeepEqual(levels, want) {
		t.Errorf("agencies by level = %v, want %v", levels, want)
	}
	if len(gen.Sources()) != 30 {
		t.Errorf("%d department sources, want 30", len(gen.Sources()))
	}
}

// TestReportsAreConsistentUnlessPlanted: every identity holds in every
// report but those planted inconsistent, and each report's shape follows
// its template and defects.
func TestReportsAreConsistentUnlessPlanted(t *testing.T) {
	gen := generator(t, func(c *Config) {
		c.InconsistentRate, c.IncompleteRate, c.NoDataRate, c.EditedRate = 0.2, 0.1, 0.05, 0.1
	})
	counts := map[string]int{}
	for _, a := range gen.Agencies() {
		for _, y := range gen.Years() {
			p := gen.Plan(a, y)
			b := gen.Build(p)
			if p.Missing {
				if len(b.Loads) != 0 {
					t.Fatalf("%s %d missing but built", a.ID, y)
				}
				counts["missing"]++
				continue
			}
			if want := 1 + boolInt(p.Edited); len(b.Loads) != want || len(b.Captures) != want {
				t.Fatalf("%s %d: %d loads, %d captures, want %d", a.ID, y, len(b.Loads), len(b.Captures), want)
			}
			r := b.Loads[len(b.Loads)-1].Report
			if r.Template != p.Template || r.Year != y {
				t.Errorf("%s %d: template %s year %d", a.ID, y, r.Template, r.Year)
			}
			if want := metrics.Verify(r.Values()); !reflect.DeepEqual(r.Checks, want) && len(r.Checks)+len(want) > 0 {
				t.Errorf("%s %d: checks %v, metrics.Verify gives %v", a.ID, y, r.Checks, want)
			}
			failed := 0
			for _, c := range r.Checks {
				if !c.OK {
					failed++
				}
			}
			switch {
			case p.NoData:
				counts["no_data"]++
				if len(r.Facts) != 0 || r.Status != "no_data" {
					t.Errorf("%s %d no data: %d facts, status %s", a.ID, y, len(r.Facts), r.Status)
				}
			case p.Inconsistent:
				counts["inconsistent"]++
				if failed == 0 {
					t.Errorf("%s %d planted inconsistent, every check passes", a.ID, y)
				}
			default:
				if failed > 0 || len(r.Checks) == 0 {
					t.Errorf("%s %d: %d of %d checks failed", a.ID, y, failed, len(r.Checks))
				}
			}
			_, hasReviews := r.Values().Get(metrics.ReviewsTotal, metrics.Total)
			if !p.NoData && hasReviews == p.Incomplete {
				t.Errorf("%s %d: incomplete %v, reviews stated %v", a.ID, y, p.Incomplete, hasReviews)
			}
			counts["facts"] += len(r.Facts)
			counts["reports"]++
		}
	}
	for _, k := range []string{"missing", "no_data", "inconsistent"} {
		if counts[k] == 0 {
			t.Errorf("no %s report planted in %d", k, counts["reports"])
		}
	}
	t.Logf("%v", counts)
}

func TestPlanIsDeterministic(t *testing.T) {
	a, b := generator(t, nil), generator(t, nil)
	other := generator(t, func(c *Config) { c.Seed = 2 })
	differs := 0
	for _, ag := range a.Agencies() {
		for _, y := range a.Years() {
			pa, pb := a.Plan(ag, y), b.Plan(ag, y)
			if !reflect.DeepEqual(pa, pb) || !reflect.DeepEqual(a.Build(pa), b.Build(pb)) {
				t.Fatalf("%s %d differs between two generators of one seed", ag.ID, y)
			}
			if !reflect.DeepEqual(pa, other.Plan(ag, y)) {
				differs++
			}
		}
	}
	if differs == 0 {
		t.Error("another seed plants the same warehouse")
	}
}

func TestDeadlines(t *testing.T) {
	gen := generator(t, func(c *Config) { c.LateRate = 0.3 })
	late := 0
	for _, a := range gen.Agencies() {
		for _, y := range gen.Years() {
			p := gen.Plan(a, y)
			d, _ := gen.cfg.Compliance.Deadline(a.Level, a.Code(agency.LevelProvince), y)
			if !p.Deadline.Equal(d) {
				t.Fatalf("%s %d: deadline %s, want %s", a.ID, y, p.Deadline, d)
			}
			if p.Undated {
				continue
			}
			if p.PublishedAt.After(d) != p.Late {
				t.Errorf("%s %d: published %s, deadline %s, late %v", a.ID, y, p.PublishedAt, d, p.Late)
			}
			if p.PublishedAt.Year() != y+1 {
				t.Errorf("%s %d published %s", a.ID, y, p.PublishedAt)
			}
			if p.Late {
				late++
			}
		}
	}
	if late == 0 {
		t.Error("nothing late")
	}
}

func TestValidate(t *testing.T) {
	for _, edit := range []func(*Config){
		func(c *Config) { c.FirstYear = 2007 },
		func(c *Config) { c.LastYear = c.FirstYear - 1 },
		func(c *Config) { c.CountyDepartments = 31 },
		func(c *Config) { c.MissingRate = 1.5 },
		func(c *Config) { c.BatchReports = 0 },
	} {
		c := DefaultConfig()
		edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("Validate accepted %+v", c)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func BenchmarkBuild(b *testing.B) {
	gen := generator(b, nil)
	as := gen.Agencies()
	b.ReportAllocs()
	facts := 0
	for i := 0; b.Loop(); i++ {
		a := as[i%len(as)]
		for _, l := range gen.Build(gen.Plan(a, 2008+i%17)).Loads {
			facts += len(l.Report.Facts)
		}
	}
	b.ReportMetric(float64(facts)/b.Elapsed().Seconds(), "facts/s")
}
