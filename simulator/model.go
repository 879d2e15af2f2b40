package simulator

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// cst is China Standard Time; portals show local times.
func cst() *time.Location { return time.FixedZone("CST", 8*3600) }

// agency is a body that gets a portal.
type agency struct {
	div    gazetteer.Division // its own division
	county gazetteer.Division // the county it lies in (itself for a county)
	name   string             // the body's name, e.g. "三滩镇人民政府"
}

// site is one simulated portal. It is immutable once Start has set base.
type site struct {
	agency
	addr    netip.Addr
	gbk     bool
	layout  int  // render.HeaderTable or render.HeaderInline
	wrap    bool // render.HTMLOptions.WrapCells
	orgCode string
	// reports and articles are newest first.
	reports  []*report
	articles []*article
	byPath   map[string]any // detail path → *report or *article
	// countySite is the portal of the county government, when simulated
	// and not this one.
	countySite *site
	// listSize is the report column's page size.
	listSize int
	// base is "http://addr:port", set by Start.
	base string
}

// report is one published annual report.
type report struct {
	spec      render.Report
	path      string
	published time.Time
	indexNo   string
	stated    metrics.Values
}

// Columns of non-report articles.
const (
	columnNews    = "xwdt"      // 新闻动态
	columnNotices = "zwgk/tzgg" // 通知公告
)

// article is a news item or notice: a page shaped like a report's that is
// not one.
type article struct {
	column    string
	title     string
	path      string
	published time.Time
	paras     []string
}

// buildSites lays out every portal cfg asks for.
func buildSites(cfg Config, gaz *gazetteer.Gazetteer) ([]*site, error) {
	var agencies []agency
	for _, code := range cfg.Counties {
		county, ok := gaz.ByCode(code)
		if !ok || county.Level != gazetteer.LevelCounty {
			return nil, fmt.Errorf("county %s: not a county in the gazetteer", code)
		}
		if cfg.CountyGovernments {
			agencies = append(agencies, agency{div: county, county: county, name: county.Name + "人民政府"})
		}
		for _, t := range gaz.Children(code) {
			if name, ok := townshipBody(t.Name); ok {
				agencies = append(agencies, agency{div: t, county: county, name: name})
			}
		}
	}
	if len(agencies) == 0 {
		return nil, fmt.Errorf("counties %v: no townships with a government", cfg.Counties)
	}
	if len(agencies) > maxPortals {
		return nil, fmt.Errorf("%d portals asked for, at most %d", len(agencies), maxPortals)
	}
	slices.SortFunc(agencies, func(a, b agency) int { return strings.Compare(a.div.Code, b.div.Code) })

	addr := netip.MustParseAddr(cfg.FirstAddr)
	sites := make([]*site, 0, len(agencies))
	byCode := map[string]*site{}
	for i, ag := range agencies {
		if i > 0 {
			addr = nextAddr(addr)
		}
		if addr.As4()[0] != 127 {
			return nil, fmt.Errorf("%d portals from %s run past 127.255.255.254", len(agencies), cfg.FirstAddr)
		}
		s, err := newSite(cfg, ag, addr)
		if err != nil {
			return nil, err
		}
		sites = append(sites, s)
		byCode[ag.div.Code] = s
	}
	for _, s := range sites {
		if c := byCode[s.county.Code]; c != nil && c != s {
			s.countySite = c
		}
	}
	return sites, nil
}

// townshipBody returns the name of a township division's government and
// whether it has one (镇, 乡 and 苏木 have a 人民政府, a 街道 an 办事处;
// farms, development zones and the like are skipped).
func townshipBody(name string) (string, bool) {
	switch {
	case strings.HasSuffix(name, "街道"):
		return name + "办事处", true
	case strings.HasSuffix(name, "镇"), strings.HasSuffix(name, "乡"), strings.HasSuffix(name, "苏木"):
		return name + "人民政府", true
	}
	return "", false
}

// nextAddr returns the address after a, skipping .0 and .255.
func nextAddr(a netip.Addr) netip.Addr {
	for {
		a = a.Next()
		last := a.As4()[3]
		if last != 0 && last != 255 {
			return a
		}
	}
}

// siteRand returns the random stream of one agency: keyed by the seed and
// its region code, so that one agency's content does not depend on which
// others are simulated.
func siteRand(seed uint64, code string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(code))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// newSite draws one portal's content.
func newSite(cfg Config, ag agency, addr netip.Addr) (*site, error) {
	rng := siteRand(cfg.Seed, ag.div.Code)
	s := &site{
		agency:   ag,
		addr:     addr,
		gbk:      rng.Float64() < cfg.GBKShare,
		layout:   rng.IntN(2),
		wrap:     rng.IntN(2) == 0,
		orgCode:  creditCode(rng, ag.county.Code),
		byPath:   map[string]any{},
		listSize: cfg.PageSize,
	}
	ids := map[int]bool{}
	newID := func() int {
		for {
			id := 1000000 + rng.IntN(9000000)
			if !ids[id] {
				ids[id] = true
				return id
			}
		}
	}
	trsPath := func(column string, t time.Time, id int) string {
		return fmt.Sprintf("/%s/%s/t%s_%d.html", column, t.Format("200601"), t.Format("20060102"), id)
	}

	var bk books
	for y := cfg.FirstYear; y <= cfg.LastYear; y++ {
		values := drawFigures(rng, ag.div.Level, &bk)
		published := publishDate(rng, y)
		missing := rng.Float64() < cfg.MissingShare
		template := drawTemplate(rng, cfg.Templates, y)
		variant := rng.Uint64()
		id := newID()
		seq := 1 + rng.IntN(300)
		if missing {
			continue
		}
		spec := render.Report{
			Agency: ag.name, Place: ag.div.Name, County: ag.county.Name,
			Year: y, Template: template, Values: values, Variant: variant,
		}
		doc, err := render.Build(spec)
		if err != nil {
			return nil, fmt.Errorf("%s %d: %w", ag.name, y, err)
		}
		r := &report{
			spec:      spec,
			path:      trsPath("zwgk/zfxxgknb", published, id),
			published: published,
			indexNo:   fmt.Sprintf("%s/%d-%05d", s.orgCode, published.Year(), seq),
			stated:    doc.Stated,
		}
		s.reports = append(s.reports, r)
		s.byPath[r.path] = r
	}

	for k := range 5 {
		column := columnNews
		if k >= 3 {
			column = columnNotices
		}
		days := int(time.Date(cfg.LastYear+1, 3, 31, 0, 0, 0, 0, cst()).Sub(time.Date(cfg.FirstYear, 1, 1, 0, 0, 0, 0, cst())).Hours() / 24)
		published := time.Date(cfg.FirstYear, 1, 1, 9, 0, 0, 0, cst()).AddDate(0, 0, rng.IntN(days)).Add(time.Duration(rng.IntN(480)) * time.Minute)
		a := newArticle(rng, column, ag.div.Name, published)
		a.path = trsPath(column, published, newID())
		s.articles = append(s.articles, a)
		s.byPath[a.path] = a
	}

	slices.SortStableFunc(s.reports, func(a, b *report) int { return b.published.Compare(a.published) })
	slices.SortStableFunc(s.articles, func(a, b *article) int { return b.published.Compare(a.published) })
	return s, nil
}

// publishDate draws when the report on year goes up: between 10 January
// and 31 March of the next year, mostly in late January (spec/domain.md
// §1.2), during office hours.
func publishDate(rng *rand.Rand, year int) time.Time {
	var day int
	switch r := rng.Float64(); {
	case r < 0.6:
		day = 14 + rng.IntN(17) // 15–31 January
	case r < 0.9:
		day = 31 + rng.IntN(28) // February
	case r < 0.95:
		day = 9 + rng.IntN(5) // 10–14 January
	default:
		day = 59 + rng.IntN(31) // March
	}
	return time.Date(year+1, 1, 1, 8, 30, 0, 0, cst()).AddDate(0, 0, day).Add(time.Duration(rng.IntN(570)) * time.Minute)
}

// drawTemplate picks a template in use for year by weight. Validate has
// made sure there is one.
func drawTemplate(rng *rand.Rand, weights map[string]float64, year int) string {
	ts := templatesFor(weights, year)
	total := 0.0
	for _, t := range ts {
		total += weights[t]
	}
	r := rng.Float64() * total
	for _, t := range ts {
		if r < weights[t] {
			return t
		}
		r -= weights[t]
	}
	return ts[len(ts)-1]
}

// creditCode draws a plausible 18-character unified social credit code
// (统一社会信用代码) of a government organ in county: 1 (organ registry),
// 1 (organ), the county code, a 9-character organisation code and the
// GB 32100-2015 check character.
func creditCode(rng *rand.Rand, county string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	code := []byte("11" + county)
	for range 8 {
		code = append(code, "0123456789"[rng.IntN(10)])
	}
	code = append(code, "0123456789X"[rng.IntN(11)])
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, c := range code {
		sum += strings.IndexByte(alphabet, c) * weights[i]
	}
	return string(append(code, alphabet[(31-sum%31)%31]))
}

// newArticle draws a news item or notice of a body named place.
func newArticle(rng *rand.Rand, column, place string, published time.Time) *article {
	y := published.Year()
	var titles []string
	if column == columnNews {
		titles = []string{
			fmt.Sprintf("%s召开%d年安全生产工作会议", place, y),
			fmt.Sprintf("%s开展春季植树造林活动", place),
			fmt.Sprintf("%s组织开展防汛应急演练", place),
			fmt.Sprintf("%s扎实推进农村人居环境整治", place),
			fmt.Sprintf("%s开展“我为群众办实事”实践活动", place),
			fmt.Sprintf("%s召开政务公开工作推进会", place),
		}
	} else {
		titles = []string{
			fmt.Sprintf("关于做好%d年春节期间安全防范工作的通知", y),
			fmt.Sprintf("关于开展%d年度城乡居民医疗保险集中征缴工作的通知", y),
			fmt.Sprintf("关于公布%s便民服务电话的公告", place),
			fmt.Sprintf("%s%d年度政府信息公开工作要点", place, y),
		}
	}
	return &article{
		column:    column,
		title:     titles[rng.IntN(len(titles))],
		published: published,
		paras: []string{
			fmt.Sprintf("%d年%d月%d日，%s组织召开专题会议，镇村干部共%d人参加。", y, int(published.Month()), published.Day(), place, 20+rng.IntN(80)),
			fmt.Sprintf("会议要求，各村各站所要提高思想认识，压实工作责任，全年计划发放宣传资料%d余份，确保各项工作落到实处。", 500+100*rng.IntN(50)),
		},
	}
}
