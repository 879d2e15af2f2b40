package gazetteer_test

import (
	"fmt"

	"github.com/nianbao/nianbao/gazetteer"
)

func Example() {
	g, err := gazetteer.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range g.Resolve("三滩镇人民政府", "") {
		fmt.Println(d.Code, d.Name, d.Level)
	}
	for _, d := range g.Parents("620421113") {
		fmt.Println(" ", d.Code, d.Name)
	}
	// Output:
	// 450923109 三滩镇 township
	// 620421113 三滩镇 township
	//   620421 靖远县
	//   6204 白银市
	//   62 甘肃省
}
