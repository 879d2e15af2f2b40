package agency_test

import (
	"fmt"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/warehouse/agency"
)

// A township's report found on its county's portal is matched within the
// county; the same name with no region is ambiguous: there are two 三滩镇.
func ExampleDirectory_Match() {
	g, err := gazetteer.Load()
	if err != nil {
		panic(err)
	}
	dir, err := agency.New(g, []agency.Department{{Name: "靖远县教育局", RegionCode: "620421"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(dir.Match(agency.Query{Name: "三滩镇人民政府", SourceRegion: "620421"}))
	fmt.Println(dir.Match(agency.Query{Name: "三滩镇人民政府"}))
	fmt.Println(dir.Match(agency.Query{Name: "教育局", SourceRegion: "620421"}).AgencyID)
	// Output:
	// {620421113 matched name [620421113]}
	// { ambiguous  [450923109 620421113]}
	// 620421/靖远县教育局
}
