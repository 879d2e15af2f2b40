package numerals_test

import (
	"fmt"

	"github.com/nianbao/nianbao/numerals"
)

func ExampleParse() {
	for _, s := range []string{"82", "5500 余", "四十余", "一百零五", "近200"} {
		f, ok := numerals.Parse(s)
		fmt.Println(s, f.Value, f.Approximate, ok)
	}
	y, _ := numerals.ParseChinese("二○一一")
	fmt.Println(y)
	// Output:
	// 82 82 false true
	// 5500 余 5500 true true
	// 四十余 40 true true
	// 一百零五 105 false true
	// 近200 200 true true
	// 2011
}
