package render_test

import (
	"fmt"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

func ExampleBuild() {
	v := metrics.Values{}
	set := func(m string, x float64) { v[metrics.Key{Metric: m, Applicant: metrics.Total}] = x }
	set(metrics.ProactiveItems, 82)
	set(metrics.RequestsNew, 0)
	set(metrics.ReviewsTotal, 0)
	set(metrics.LawsuitsTotal, 0)
	set(metrics.FeesAmount, 0)
	doc, err := render.Build(render.Report{
		Agency: "三滩镇人民政府", Place: "三滩镇", County: "靖远县", Year: 2019,
		Template: render.TemplateNarrative, Values: v, Variant: 0,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Title)
	fmt.Println(len(doc.Stated), "figures stated")
	for _, b := range doc.Blocks {
		if b.Kind == render.Heading {
			fmt.Println(b.Text)
		}
	}
	// Output:
	// 三滩镇人民政府2019年政府信息公开工作年度报告
	// 5 figures stated
	// 一、基本情况
	// 二、政府信息公开情况
	// 三、政府信息公开申请的办理情况
	// 四、政府信息公开收费及减免情况
	// 五、因政府信息公开申请行政复议、提起行政诉讼的情况
	// 六、存在的主要问题及改进情况
	// 七、其他需要报告的事项
}
