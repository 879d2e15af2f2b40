package compliance

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDeadline(t *testing.T) {
	c := DefaultConfig()
	c.TownshipDeadlines = "43=02-20" // 湖南 (怀化's county deadline)
	for _, tc := range []struct {
		name     string
		level    string
		province string
		year     int
		want     time.Time
		rule     string
	}{
		{"Era2008Department", "department", "62", 2018, date(2019, time.March, 31), DeadlineArt31},
		{"Era2008Township", "township", "43", 2018, date(2019, time.March, 31), DeadlineArt31},
		{"Era2008Province", "province", "62", 2008, date(2009, time.March, 31), DeadlineArt31},
		{"Art49Department", "department", "62", 2019, date(2020, time.January, 31), DeadlineDepartment},
		{"Art49County", "county", "62", 2019, date(2020, time.March, 31), DeadlineGovernment},
		{"Art49City", "city", "43", 2023, date(2024, time.March, 31), DeadlineGovernment},
		{"Art49Province", "province", "11", 2024, date(2025, time.March, 31), DeadlineGovernment},
		{"TownshipProvinceRule", "township", "43", 2021, date(2022, time.February, 20), DeadlineTownship},
		{"TownshipDefault", "township", "62", 2021, date(2022, time.March, 31), DeadlineTownshipDefault},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rule := c.Deadline(tc.level, tc.province, tc.year)
			if !got.Equal(tc.want) || rule != tc.rule {
				t.Errorf("Deadline(%s, %s, %d) = %s %s, want %s %s", tc.level, tc.province, tc.year,
					got.Format(time.DateOnly), rule, tc.want.Format(time.DateOnly), tc.rule)
			}
		})
	}
	if got := c.DueBy("department", "62", 2019); !got.Equal(date(2020, time.March, 1)) {
		t.Errorf("DueBy(department, 2019) = %s, want 2020-03-01 (31 January + 30 days)", got.Format(time.DateOnly))
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"ProvinceCode", func(c *Config) { c.TownshipDeadlines = "620=01-31" }},
		{"NotMonthDay", func(c *Config) { c.TownshipDeadlines = "62=1-31" }},
		{"NoSuchDay", func(c *Config) { c.TownshipDeadlines = "62=02-30" }},
		{"LeapDay", func(c *Config) { c.TownshipDeadlines = "62=02-29" }},
		{"NoEquals", func(c *Config) { c.TownshipDeadlines = "62" }},
		{"Twice", func(c *Config) { c.TownshipDeadlines = "62=01-31, 62=02-01" }},
		{"NegativeGrace", func(c *Config) { c.GraceDays = -1 }},
		{"FirstYear", func(c *Config) { c.FirstYear = 2007 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.edit(&c)
			if err := c.Validate(); !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("Validate() = %v, want ErrInvalidConfig", err)
			}
		})
	}
}

func TestTownshipDeadlineMap(t *testing.T) {
	c := Config{TownshipDeadlines: " 43=02-20 ,62=01-31,"}
	m, err := c.TownshipDeadlineMap()
	if err != nil || len(m) != 2 || m["43"] != "02-20" || m["62"] != "01-31" {
		t.Errorf("TownshipDeadlineMap() = %v, %v", m, err)
	}
}

func TestSections(t *testing.T) {
	for _, tc := range []struct {
		metrics []string
		want    []string
	}{
		{nil, nil},
		{[]string{"proactive.items", "requests.new"}, []string{SectionProactive, SectionRequests}},
		{[]string{"table2.rules.issued", "outcome.total", "lawsuits.total"}, []string{SectionProactive, SectionRequests, SectionReviews}},
		{[]string{"table2.fees.amount_wan_yuan"}, []string{SectionProactive, SectionFees}},
		{[]string{"fees.amount", "reviews.total"}, []string{SectionReviews, SectionFees}},
		// Only whole first parts name a section.
		{[]string{"proactive", "requestsx.new", "table2"}, nil},
		{[]string{"table2.fees", "table2.feesx.amount"}, []string{SectionProactive}},
	} {
		if got := Sections(tc.metrics); !slices.Equal(got, tc.want) {
			t.Errorf("Sections(%v) = %v, want %v", tc.metrics, got, tc.want)
		}
	}
	if got := RequiredSections(2018); !slices.Contains(got, SectionFees) {
		t.Errorf("RequiredSections(2018) = %v, want fees among them (Art. 32)", got)
	}
	if got := RequiredSections(2019); slices.Contains(got, SectionFees) || len(got) != 3 {
		t.Errorf("RequiredSections(2019) = %v, want proactive, requests, reviews (Art. 50)", got)
	}
}

// BenchmarkSections measures Sections on the codes of a full 2021-template
// report (table 三 in four columns, table 四, table 二), which a load asks
// of every report.
func BenchmarkSections(b *testing.B) {
	var codes []string
	for _, m := range metrics.Table3Rows() {
		for range 4 {
			codes = append(codes, m)
		}
	}
	for _, g := range metrics.ReviewGroups() {
		for _, r := range metrics.ReviewResults() {
			codes = append(codes, g+"."+r)
		}
	}
	codes = append(codes, metrics.LawsuitsTotal, metrics.ProactiveItems, "table2.rules.issued", "table2.normative_docs.in_force")
	for b.Loop() {
		Sections(codes)
	}
}
