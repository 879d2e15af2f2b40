package parser_test

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/parser"
)

func ExampleParser_Parse() {
	p, err := parser.New(parser.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	page := `<html><head><meta charset="utf-8"><title>三滩镇2019年政府信息公开年度报告</title></head><body>
<p>索引号: 1162042101391301xj/1970-172831 生成日期: 2020-01-28</p>
<h1>三滩镇2019年政府信息公开年度报告</h1>
<p>本报告中所列数据的统计期限是2019年1月1日至2019年12月31日。</p>
<p>一、基本情况</p><p>2019年度,共公开政府信息82条。</p>
<p>三、政府信息公开申请的办理情况</p><p>2019年度,没有公民、法人或其他组织提出政府信息公开申请。</p>
<p>五、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>2019年度,我镇没有发生因政府信息公开申请行政复议、提起行政诉讼的情况。</p>
</body></html>`
	r, err := p.Parse(context.Background(), parser.Input{Source: "example.html", Body: []byte(page)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Agency, r.Level, r.Year, r.PublishedAt, r.Template)
	stats := r.Stats()
	fmt.Println(stats["proactive.items"], stats["requests.new"], stats["reviews.total"], stats["lawsuits.total"])
	_, stated := stats["outcome.granted"]
	fmt.Println("outcome.granted stated:", stated)
	// Output:
	// 三滩镇人民政府 township 2019 2020-01-28 narrative
	// 82 0 0 0
	// outcome.granted stated: false
}
