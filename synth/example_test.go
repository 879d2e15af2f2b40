package synth_test

import (
	"fmt"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/synth"
)

// Plan says what the generator planted for one agency-year without
// building the report; Build gives the captures and parsed reports a load
// writes.
func ExampleGenerator_Plan() {
	g, err := gazetteer.Load()
	if err != nil {
		panic(err)
	}
	cfg := synth.DefaultConfig()
	cfg.Regions = []string{"620421"} // 靖远县: the county, 18 townships, 30 departments
	gen, err := synth.New(cfg, g)
	if err != nil {
		panic(err)
	}
	a := gen.Agencies()[0]
	p := gen.Plan(a, 2023)
	b := gen.Build(p)
	fmt.Println(len(gen.Agencies()), a.ID, a.Name, p.Template, p.Deadline.Format("2006-01-02"))
	fmt.Println(len(b.Loads) > 0 == !p.Missing)
	// Output:
	// 49 620421 靖远县 table2021 2024-03-31
	// true
}
