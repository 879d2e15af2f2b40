package compliance_test

import (
	"fmt"
	"time"

	"github.com/nianbao/nianbao/warehouse/compliance"
)

func ExampleConfig_Deadline() {
	c := compliance.DefaultConfig()
	c.TownshipDeadlines = "43=02-20" // 湖南's townships
	for _, q := range []struct {
		level, province string
		year            int
	}{
		{"department", "62", 2018}, // 2008 条例: 31 March for everyone
		{"department", "62", 2023}, // 2019 条例 Art. 49: 31 January
		{"county", "62", 2023},     // a government's own report: 31 March
		{"township", "43", 2023},   // the province's rule
		{"township", "62", 2023},   // the default
	} {
		d, rule := c.Deadline(q.level, q.province, q.year)
		fmt.Println(q.level, q.year, d.Format(time.DateOnly), rule)
	}
	// Output:
	// department 2018 2019-03-31 art31_2008
	// department 2023 2024-01-31 art49_department
	// county 2023 2024-03-31 art49_government
	// township 2023 2024-02-20 township_province
	// township 2023 2024-03-31 township_default
}
