package synth

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/warehouse"
	"github.com/nianbao/nianbao/warehouse/agency"
	"github.com/nianbao/nianbao/warehouse/compliance"
)

// Config sets the scale and the defects of a synthetic warehouse.
type Config struct {
	// Seed makes the warehouse; the same seed gives the same warehouse.
	Seed uint64
	// FirstYear and LastYear bound the years reported on.
	FirstYear, LastYear int
	// Regions limits the agencies to those within these NBS codes (and
	// their departments); empty means the whole country.
	Regions []string
	// CountyDepartments and CityDepartments are how many departments each
	// county and city registers (at most 30 and 40).
	CountyDepartments, CityDepartments int

	// Defect rates, per agency-year.
	MissingRate      float64 // no report at all
	LateRate         float64 // published after the deadline
	UndatedRate      float64 // no publication date stated
	InconsistentRate float64 // a total off by one
	IncompleteRate   float64 // table 四 (reviews and lawsuits) absent
	EditedRate       float64 // changed after the first capture
	NoDataRate       float64 // the template with no figures
	// RestrictiveRate is the share of agencies that refuse several times
	// as often as their peers.
	RestrictiveRate float64

	// Compliance is the deadline configuration the defects are planted
	// against (the warehouse should judge with the same).
	Compliance compliance.Config

	// BatchReports is how many reports go to the warehouse in one load.
	BatchReports int
	// Workers is how many goroutines build reports; 0 means one per CPU.
	Workers int
	// Writers is how many goroutines write batches to the warehouse at
	// once; 0 means 2, so that one prepares its rows while the engine
	// inserts another's.
	Writers int
	// ResumeMergesAt is the share of the batches written after which the
	// merges the load paused (see Load) start again: 1 (and 0) starts them
	// when the last batch is written, and less lets them run beside the
	// load's last batches rather than beside the refresh. The default is
	// 0.8. Nationally it took 4 min 15 s – 4 min 40 s in five runs (median
	// 4 min 24 s) against 4 min 30 s and 4 min 33 s in two taken between
	// them, no difference beyond the machine's noise; but its peak RSS was
	// 11.8–13.0 GiB against 13.7–15.2 GiB.
	ResumeMergesAt float64
}

// DefaultConfig returns the national warehouse: every region, 2008–2024,
// 30 departments per county and 40 per city, and a few per cent of each
// defect.
func DefaultConfig() Config {
	return Config{
		Seed: 1, FirstYear: 2008, LastYear: 2024,
		CountyDepartments: 30, CityDepartments: 40,
		MissingRate: 0.03, LateRate: 0.06, UndatedRate: 0.03, InconsistentRate: 0.02, IncompleteRate: 0.02,
		EditedRate: 0.01, NoDataRate: 0.01, RestrictiveRate: 0.02,
		Compliance:   nationalCompliance(),
		BatchReports: 2000, ResumeMergesAt: 0.8,
	}
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.FirstYear < 2008 || c.LastYear < c.FirstYear || c.LastYear > 2100 {
		errs = append(errs, fmt.Errorf("synth: years %d-%d: want 2008 <= first <= last", c.FirstYear, c.LastYear))
	}
	if c.CountyDepartments < 0 || c.CountyDepartments > len(countyDepartments()) {
		errs = append(errs, fmt.Errorf("synth: county_departments %d: want 0-%d", c.CountyDepartments, len(countyDepartments())))
	}
	if c.CityDepartments < 0 || c.CityDepartments > len(cityDepartments()) {
		errs = append(errs, fmt.Errorf("synth: city_departments %d: want 0-%d", c.CityDepartments, len(cityDepartments())))
	}
	for name, r := range map[string]float64{"missing": c.MissingRate, "late": c.LateRate, "undated": c.UndatedRate,
		"inconsistent": c.InconsistentRate, "incomplete": c.IncompleteRate, "edited": c.EditedRate,
		"no_data": c.NoDataRate, "restrictive": c.RestrictiveRate} {
		if r < 0 || r > 1 || math.IsNaN(r) {
			errs = append(errs, fmt.Errorf("synth: %s rate %v: want 0-1", name, r))
		}
	}
	if c.BatchReports < 1 {
		errs = append(errs, fmt.Errorf("synth: batch_reports %d: want at least 1", c.BatchReports))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("synth: workers %d is negative", c.Workers))
	}
	if c.Writers < 0 {
		errs = append(errs, fmt.Errorf("synth: writers %d is negative", c.Writers))
	}
	if c.ResumeMergesAt < 0 || c.ResumeMergesAt > 1 || math.IsNaN(c.ResumeMergesAt) {
		errs = append(errs, fmt.Errorf("synth: resume_merges_at %v: want 0-1", c.ResumeMergesAt))
	}
	if err := c.Compliance.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Generator makes a synthetic warehouse. It is immutable after New and
// safe for concurrent use.
type Generator struct {
	cfg      Config
	dir      *agency.Directory
	agencies []agency.Agency
	sources  []warehouse.Source
	// rows are metrics.Table3Rows, rowIndex their positions, labels their
	// printed labels: computed once, read by every report.
	rows     []string
	rowIndex map[string]int
	labels   map[string]string
	verify   *metrics.Verifier
}

// New returns the generator for cfg over the divisions of g.
func New(cfg Config, g *gazetteer.Gazetteer) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Writers == 0 {
		cfg.Writers = 2
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	base, err := agency.New(g, nil)
	if err != nil {
		return nil, err
	}
	in := func(a agency.Agency) bool {
		if len(cfg.Regions) == 0 {
			return true
		}
		for _, r := range cfg.Regions {
			if strings.HasPrefix(a.RegionCode, r) {
				return true
			}
		}
		return false
	}
	gen := &Generator{cfg: cfg, rows: metrics.Table3Rows(), rowIndex: map[string]int{}, labels: table3Labels(),
		verify: metrics.NewVerifier()}
	for i, m := range gen.rows {
		gen.rowIndex[m] = i
	}
	var depts []agency.Department
	for _, a := range base.Agencies() {
		if a.Placeholder || !in(a) {
			continue
		}
		var names []string
		switch a.Level {
		case agency.LevelCounty:
			names = countyDepartments()[:cfg.CountyDepartments]
		case agency.LevelCity:
			names = cityDepartments()[:cfg.CityDepartments]
		}
		for _, n := range names {
			name := a.Name + n
			depts = append(depts, agency.Department{Name: name, RegionCode: a.ID})
			gen.sources = append(gen.sources, warehouse.Source{Name: name, Level: agency.LevelDepartment, RegionCode: a.ID,
				StartURLs: []string{"https://" + host(agency.DepartmentID(a.ID, name)) + "/zfxxgknb/"}})
		}
	}
	if gen.dir, err = agency.New(g, depts); err != nil {
		return nil, err
	}
	for _, a := range gen.dir.Agencies() {
		if !a.Placeholder && in(a) {
			gen.agencies = append(gen.agencies, a)
		}
	}
	return gen, nil
}

// Agencies returns the agencies the generator reports for: divisions in
// code order, then departments.
func (g *Generator) Agencies() []agency.Agency { return g.agencies }

// Sources returns the departments' source registrations.
func (g *Generator) Sources() []warehouse.Source { return g.sources }

// Directory returns the agency directory the generator's agencies come
// from (the gazetteer's divisions and the generated departments).
func (g *Generator) Directory() *agency.Directory { return g.dir }

// Years returns the years reported on.
func (g *Generator) Years() []int {
	var out []int
	for y := g.cfg.FirstYear; y <= g.cfg.LastYear; y++ {
		out = append(out, y)
	}
	return out
}

// Plan is what was planted for one agency and year.
type Plan struct {
	Agency agency.Agency
	Year   int
	// Missing means no report was published.
	Missing bool
	// Template is the report's template: narrative to 2018, table2019
	// for 2019–2020, table2021 from 2021.
	Template string
	// Deadline is the report's deadline; Late means PublishedAt is after it.
	Deadline time.Time
	Late     bool
	// PublishedAt is the stated publication date; zero when Undated.
	PublishedAt time.Time
	Undated     bool
	// FirstFetch is when the report was first captured; Edited reports
	// were captured again at EditedAt with another figure.
	FirstFetch time.Time
	Edited     bool
	EditedAt   time.Time
	// Inconsistent: a total is off by one. Incomplete: no table 四. NoData:
	// the template with no figures.
	Inconsistent, Incomplete, NoData bool
	// Restrictive is set for the agency's every year when it refuses
	// several times as often as its peers.
	Restrictive bool
	// URL is where the report is published.
	URL string
}

// Plan returns what was planted for agency a and year.
func (g *Generator) Plan(a agency.Agency, year int) Plan {
	rng := g.rng(a.ID, year, 0)
	p := Plan{Agency: a, Year: year, Template: template(year), URL: reportURL(a.ID, year),
		Restrictive: g.agencyRNG(a.ID, 1).Float64() < g.cfg.RestrictiveRate}
	p.Missing = rng.Float64() < g.cfg.MissingRate
	late := rng.Float64() < g.cfg.LateRate
	undated := rng.Float64() < g.cfg.UndatedRate
	p.Inconsistent = rng.Float64() < g.cfg.InconsistentRate
	p.Incomplete = rng.Float64() < g.cfg.IncompleteRate
	p.Edited = rng.Float64() < g.cfg.EditedRate
	p.NoData = rng.Float64() < g.cfg.NoDataRate
	p.Deadline, _ = g.cfg.Compliance.Deadline(a.Level, a.Code(agency.LevelProvince), year)
	var published time.Time
	if late {
		published = p.Deadline.AddDate(0, 0, 1+rng.IntN(90))
	} else {
		// On or before the deadline, never before the year ended.
		start := time.Date(year+1, time.January, 2, 0, 0, 0, 0, time.UTC)
		span := int(p.Deadline.Sub(start).Hours()/24) + 1
		published = p.Deadline.AddDate(0, 0, -rng.IntN(max(span, 1)))
	}
	p.Late = late
	// Reports on years before 2019 were archived when crawling began
	// (2024); later ones within days of publication.
	if year < 2019 {
		p.FirstFetch = time.Date(2024, time.June, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(90*24)) * time.Hour)
	} else {
		p.FirstFetch = published.Add(time.Duration(rng.IntN(10*24)) * time.Hour)
	}
	if undated {
		p.Undated = true
	} else {
		p.PublishedAt = published
	}
	if p.Edited {
		p.EditedAt = p.FirstFetch.Add(time.Duration(30+rng.IntN(170)) * 24 * time.Hour)
	}
	return p
}

// rng returns the random source for one agency-year and stream.
func (g *Generator) rng(id string, year int, stream uint64) *rand.Rand {
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], g.cfg.Seed)
	binary.LittleEndian.PutUint64(b[8:], uint64(year)<<8|stream)
	h.Write(b[:])
	h.Write([]byte(id))
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

// agencyRNG returns the random source for an agency's traits.
func (g *Generator) agencyRNG(id string, stream uint64) *rand.Rand { return g.rng(id, 0, stream) }

// template returns the template of a year's reports.
func template(year int) string {
	switch {
	case year <= 2018:
		return "narrative"
	case year <= 2020:
		return "table2019"
	}
	return "table2021"
}

// host returns an agency's synthetic portal host.
func host(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	return fmt.Sprintf("a%012x.gov.cn", h.Sum64()&0xffffffffffff)
}

// reportURL returns where an agency's report on year is published.
func reportURL(id string, year int) string {
	return fmt.Sprintf("https://%s/zfxxgknb/%d/nb.html", host(id), year)
}

// countyDepartments are the departments a county registers, in order.
func countyDepartments() []string {
	return []string{"教育局", "财政局", "公安局", "民政局", "司法局", "人力资源和社会保障局", "自然资源局", "生态环境局",
		"住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "退役军人事务局",
		"应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局", "乡村振兴局", "信访局", "发展和改革局",
		"工业和信息化局", "科学技术局", "民族宗教事务局", "行政审批服务局", "城市管理局"}
}

// cityDepartments are the departments a city registers, in order.
func cityDepartments() []string {
	return append(slices.Clone(countyDepartments()), "国有资产监督管理委员会", "体育局", "人民防空办公室",
		"地方金融监督管理局", "机关事务管理局", "大数据局", "粮食和物资储备局", "档案局", "外事办公室", "投资促进局")
}

// nationalCompliance is the default compliance configuration with every
// agency expected: the generator stands for the whole country.
func nationalCompliance() compliance.Config {
	c := compliance.DefaultConfig()
	c.Expect = compliance.ExpectAll
	return c
}
