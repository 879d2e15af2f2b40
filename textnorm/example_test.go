package textnorm_test

import (
	"fmt"

	"github.com/nianbao/nianbao/textnorm"
)

func ExampleNormalizer_Fold() {
	n := textnorm.New()
	fmt.Println(n.Fold("根據(jù)白銀市靖遠(yuǎn)縣（二）部分公開"))
	fmt.Println(n.Fold("本年製發件數 １２"))
	// Output:
	// 根据白银市靖远县(二)部分公开
	// 本年制发件数 12
}
