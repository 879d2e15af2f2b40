package simulator

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
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

// site is one simulated portal. Its layout is fixed once Start has set
// base; what changes with the generation (reports published later, fault
// counters, statistics) is guarded by mu.
type site struct {
	agency
	idx     int // position in Simulator.sites
	addr    netip.Addr
	gbk     bool
	gbkHdr  bool // GBK declared in the Content-Type header too
	layout  int  // render.HeaderTable or render.HeaderInline
	wrap    bool // render.HTMLOptions.WrapCells
	orgCode string
	style   string // StyleTRS or StyleHanweb
	module  bool   // Hanweb xxgk module: reports at xxgkAnnualReport.jsp
	home    bool   // the start URL is the home page
	next    bool   // list pages link only 上一页 and 下一页
	// column is the report column's directory: "/zwgk/zfxxgknb/" (TRS)
	// or "/col/col<id>/" (Hanweb); columnText is its link text.
	column     string
	columnText string
	// Hanweb column and module ids.
	uid                      int
	newsCol, noticeCol, zwgk int
	robots                   *robotsFile
	faults                   *Faults // nil: no faults
	// reports (the first generation's, own and departments') and articles
	// are newest first.
	reports  []*report
	articles []*article
	depts    []dept
	byPath   map[string]any // detail, attachment or junk path → *report, attachment, *junkFile or *article
	byFile   map[string]any // Hanweb downfile.jsp filename → attachment or *junkFile
	junk     []*junkFile
	// countySite is the portal of the county government, when simulated
	// and not this one.
	countySite *site
	// listSize is the report column's page size.
	listSize int
	// base is "http://addr:port", set by Start.
	base string

	mu       sync.Mutex
	pubGens  []int     // generations ≥ 1 in which this portal published a new report, ascending
	pubUpTo  int       // pubGens covers generations up to this one
	futures  []*report // reports published in later generations, in pubGens order
	attempts map[string]*attempt
	attGen   int
	stats    hostStats
}

// dept is a department whose reports the portal also publishes.
type dept struct {
	name    string
	orgCode string
}

// report is one published annual report.
type report struct {
	spec render.Report // Values is nil: figures regenerates them
	// stream is whose draws the report comes from: streamOwn, streamFuture
	// or a department's index; ord is its position in them.
	stream    int
	ord       int
	path      string // detail page, with the query for a jsp
	published time.Time
	indexNo   string
	orgCode   string
	format    string
	attach    string // the attachment's request URI; "" for FormatHTML
	fileName  string // the attachment's file name, e.g. "…年度报告.pdf"
	junk      bool   // the page links the portal's junk files too
	firstGen  int    // generation it is first published in
}

// Streams of draws a report can come from.
const (
	streamOwn    = -1
	streamFuture = -2
)

// attachment is a report's attachment.
type attachment struct{ r *report }

// junkFile is an attachment that is not a report.
type junkFile struct {
	name, path, contentType string
	magic                   []byte
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

// agencies returns the bodies cfg asks for, in region-code order.
func agencies(cfg Config, gaz *gazetteer.Gazetteer) ([]agency, error) {
	counties := slices.Clone(cfg.Counties)
	listed := map[string]bool{}
	for _, c := range counties {
		listed[c] = true
	}
	for _, p := range cfg.Provinces {
		prov, ok := gaz.ByCode(p)
		if !ok || prov.Level != gazetteer.LevelProvince {
			return nil, fmt.Errorf("province %s: not a province in the gazetteer", p)
		}
		var walk func(code string)
		walk = func(code string) {
			for _, d := range gaz.Children(code) {
				switch d.Level {
				case gazetteer.LevelCounty:
					if !listed[d.Code] {
						listed[d.Code] = true
						counties = append(counties, d.Code)
					}
				case gazetteer.LevelCity:
					walk(d.Code)
				}
			}
		}
		walk(p)
	}
	var out []agency
	for _, code := range counties {
		county, ok := gaz.ByCode(code)
		if !ok || county.Level != gazetteer.LevelCounty {
			return nil, fmt.Errorf("county %s: not a county in the gazetteer", code)
		}
		if cfg.CountyGovernments {
			out = append(out, agency{div: county, county: county, name: county.Name + "人民政府"})
		}
		for _, t := range gaz.Children(code) {
			if name, ok := townshipBody(t.Name); ok {
				out = append(out, agency{div: t, county: county, name: name})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("counties %v, provinces %v: no townships with a government", cfg.Counties, cfg.Provinces)
	}
	slices.SortFunc(out, func(a, b agency) int { return strings.Compare(a.div.Code, b.div.Code) })
	if cfg.Hosts > 0 {
		if len(out) < cfg.Hosts {
			return nil, fmt.Errorf("%d hosts asked for, the regions given have %d portals", cfg.Hosts, len(out))
		}
		out = out[:cfg.Hosts]
	}
	return out, nil
}

// buildSites lays out every portal cfg asks for.
func buildSites(cfg Config, gaz *gazetteer.Gazetteer) ([]*site, error) {
	ags, err := agencies(cfg, gaz)
	if err != nil {
		return nil, err
	}
	if len(ags) > maxPortals {
		return nil, fmt.Errorf("%d portals asked for, at most %d", len(ags), maxPortals)
	}
	addr := netip.MustParseAddr(cfg.FirstAddr)
	sites := make([]*site, 0, len(ags))
	byCode := map[string]*site{}
	for i, ag := range ags {
		if i > 0 {
			addr = nextAddr(addr)
		}
		if addr.As4()[0] != 127 {
			return nil, fmt.Errorf("%d portals from %s run past 127.255.255.254", len(ags), cfg.FirstAddr)
		}
		s, err := newSite(cfg, ag, addr)
		if err != nil {
			return nil, err
		}
		s.idx = i
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
// others are simulated. Other streams of the same agency use a suffixed
// code ("620421113/layout").
func siteRand(seed uint64, code string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(code))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// yearDraw is what one year of a body's stream holds.
type yearDraw struct {
	year      int
	values    metrics.Values
	published time.Time
	missing   bool
	template  string
	variant   uint64
	id, seq   int
}

// drawYears draws the years first…last of one body, in the order the
// simulator has always drawn them, and updates its books. keep says how
// much of each year's figures to keep, by position (nil keeps none).
func drawYears(cfg Config, level gazetteer.Level, rng *rand.Rand, newID func() int, first, last int, bk *books, keep func(ord int) figureMode) []yearDraw {
	out := make([]yearDraw, 0, last-first+1)
	tb := newFigureTables()
	for y := first; y <= last; y++ {
		var d yearDraw
		d.year = y
		mode := figuresNone
		if keep != nil {
			mode = keep(y - first)
		}
		d.values = drawFigures(rng, level, bk, mode, tb)
		d.published = publishDate(rng, y)
		d.missing = rng.Float64() < cfg.MissingShare
		d.template = drawTemplate(rng, cfg.Templates, y)
		d.variant = rng.Uint64()
		d.id = newID()
		d.seq = 1 + rng.IntN(300)
		out = append(out, d)
	}
	return out
}

// idDrawer returns a function drawing distinct ids in [lo, lo+n).
func idDrawer(rng *rand.Rand, lo, n int) func() int {
	ids := map[int]bool{}
	return func() int {
		for {
			id := lo + rng.IntN(n)
			if !ids[id] {
				ids[id] = true
				return id
			}
		}
	}
}

// ownDraws replays the agency's own stream: its years (with figures for
// those keep accepts) and its books after the last.
func ownDraws(cfg Config, ag agency, keep func(int) figureMode) ([]yearDraw, books) {
	rng := siteRand(cfg.Seed, ag.div.Code)
	rng.Float64() // gbk
	rng.IntN(2)   // layout
	rng.IntN(2)   // wrap
	creditCode(rng, ag.county.Code)
	var bk books
	return drawYears(cfg, ag.div.Level, rng, idDrawer(rng, 1000000, 9000000), cfg.FirstYear, cfg.LastYear, &bk, keep), bk
}

// deptDraws replays department k's stream.
func deptDraws(cfg Config, ag agency, k int, keep func(int) figureMode) (string, []yearDraw) {
	rng := siteRand(cfg.Seed, fmt.Sprintf("%s/dept/%d", ag.div.Code, k))
	org := creditCode(rng, ag.county.Code)
	var bk books
	return org, drawYears(cfg, gazetteer.LevelTownship, rng, idDrawer(rng, 10000000, 90000000), cfg.FirstYear, cfg.LastYear, &bk, keep)
}

// futureDraws replays the stream of reports published in later
// generations: the n years after LastYear.
func futureDraws(cfg Config, ag agency, n int, keep func(int) figureMode) []yearDraw {
	_, bk := ownDraws(cfg, ag, nil)
	rng := siteRand(cfg.Seed, ag.div.Code+"/future")
	return drawYears(cfg, ag.div.Level, rng, idDrawer(rng, 100000000, 900000000), cfg.LastYear+1, cfg.LastYear+n, &bk, keep)
}

// departmentNames returns the departments whose reports a portal may also
// publish (Config.Departments takes the first ones).
func departmentNames(county bool) []string {
	if county {
		return []string{"发展和改革局", "教育局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "应急管理局", "民政局", "司法局", "生态环境局", "水务局", "文化和旅游局"}
	}
	return []string{"党政综合办公室", "经济发展办公室", "社会事务办公室", "综合行政执法队", "便民服务中心", "财政所", "农业综合服务中心", "文化综合服务中心", "退役军人服务站", "社会保障服务中心", "自然资源所", "应急管理办公室", "平安建设办公室", "生态环境办公室", "村镇规划建设办公室", "党群服务中心"}
}

// trsColumns returns the report columns TRS portals use besides
// /zwgk/zfxxgknb/, with their link texts.
func trsColumns() [][2]string {
	return [][2]string{
		{"/zwgk/xxgknb/", "信息公开年报"},
		{"/xxgk/ndbg/", "年度报告"},
		{"/zfxxgk/gknb/", "政府信息公开年度报告"},
		{"/zwgk/zfxxgk/xxgkndbg/", "政府信息公开工作年度报告"},
	}
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
		byFile:   map[string]any{},
		listSize: cfg.PageSize,
		style:    StyleTRS,
		column:   reportColumn, columnText: "政府信息公开年报",
	}
	// Layout choices come from a stream of their own, drawn in a fixed
	// order whatever the configuration, so that the first generation's
	// figures and pages stay as they were before these choices existed.
	lr := siteRand(cfg.Seed, ag.div.Code+"/layout")
	u := func() float64 { return lr.Float64() }
	s.style = drawWeighted(u(), cfg.Styles, Styles())
	s.module = u() < cfg.HanwebModuleShare && s.style == StyleHanweb
	s.home = u() < cfg.HomeStartShare
	s.next = u() < cfg.NextOnlyShare
	if variety, k := u(), lr.IntN(len(trsColumns())); variety < cfg.ColumnVariety && s.style == StyleTRS {
		s.column, s.columnText = trsColumns()[k][0], trsColumns()[k][1]
	}
	s.gbkHdr = u() < cfg.GBKHeaderShare && s.gbk
	var ru [5]float64
	for i := range ru {
		ru[i] = u()
	}
	colID := 1229000000 + lr.IntN(1000000)
	s.uid = 4000000 + lr.IntN(1000000)
	s.zwgk, s.newsCol, s.noticeCol = colID+1+lr.IntN(100), colID+101+lr.IntN(100), colID+201+lr.IntN(100)
	if s.style == StyleHanweb {
		s.column = fmt.Sprintf("/col/col%d/", colID)
		s.columnText = []string{"政府信息公开年报", "年度报告", "政府信息公开年度报告"}[lr.IntN(3)]
	}
	if f, ok := cfg.HostFaults[ag.div.Code]; ok {
		f = f.withDefaults()
		s.faults = &f
	} else if cfg.Faults.enabled() && unit(cfg.Seed, "faulty", ag.div.Code) < cfg.Faults.HostShare {
		f := cfg.Faults.withDefaults()
		s.faults = &f
	}

	// ownDraws replays exactly these draws to regenerate the figures.
	newID := idDrawer(rng, 1000000, 9000000)
	var bk books
	own := drawYears(cfg, ag.div.Level, rng, newID, cfg.FirstYear, cfg.LastYear, &bk, nil)
	for i, d := range own {
		if d.missing {
			continue
		}
		s.addReport(cfg, &report{
			spec:      render.Report{Agency: ag.name, Place: ag.div.Name, County: ag.county.Name, Year: d.year, Template: d.template, Variant: d.variant},
			stream:    streamOwn,
			ord:       i,
			published: d.published,
			indexNo:   fmt.Sprintf("%s/%d-%05d", s.orgCode, d.published.Year(), d.seq),
			orgCode:   s.orgCode,
		}, d.id, lr)
	}

	for k := range 5 {
		column := columnNews
		if k >= 3 {
			column = columnNotices
		}
		days := int(time.Date(cfg.LastYear+1, 3, 31, 0, 0, 0, 0, cst()).Sub(time.Date(cfg.FirstYear, 1, 1, 0, 0, 0, 0, cst())).Hours() / 24)
		published := time.Date(cfg.FirstYear, 1, 1, 9, 0, 0, 0, cst()).AddDate(0, 0, rng.IntN(days)).Add(time.Duration(rng.IntN(480)) * time.Minute)
		a := newArticle(rng, column, ag.div.Name, published)
		a.path = s.articlePath(column, published, newID())
		s.articles = append(s.articles, a)
		s.byPath[a.path] = a
	}

	names := departmentNames(ag.div.Level == gazetteer.LevelCounty)
	for k := range cfg.Departments {
		name := ag.div.Name + names[k]
		org, draws := deptDraws(cfg, ag, k, nil)
		s.depts = append(s.depts, dept{name: name, orgCode: org})
		for i, d := range draws {
			if d.missing {
				continue
			}
			s.addReport(cfg, &report{
				spec:      render.Report{Agency: name, Place: name, County: ag.county.Name, Year: d.year, Template: d.template, Variant: d.variant},
				stream:    k,
				ord:       i,
				published: d.published,
				indexNo:   fmt.Sprintf("%s/%d-%05d", org, d.published.Year(), d.seq),
				orgCode:   org,
			}, d.id, lr)
		}
	}
	if cfg.JunkShare > 0 {
		s.junk = s.junkFiles(lr)
	}
	s.robots = buildRobots(cfg.Robots, ru, s)

	slices.SortStableFunc(s.reports, func(a, b *report) int { return b.published.Compare(a.published) })
	slices.SortStableFunc(s.articles, func(a, b *article) int { return b.published.Compare(a.published) })
	return s, nil
}

// addReport places a first-generation report and files it.
func (s *site) addReport(cfg Config, r *report, id int, lr *rand.Rand) {
	s.placeReport(cfg, r, id, lr.Float64(), lr.Float64())
	if r.format != FormatHTML {
		if s.style == StyleHanweb {
			s.byFile[r.attachFile()] = attachment{r}
		} else {
			s.byPath[r.attach] = attachment{r}
		}
	}
	s.reports = append(s.reports, r)
	if !s.module {
		s.byPath[r.path] = r
	}
}

// placeReport gives a report its format, from the draw uFormat, whether
// it links junk files, from uJunk, and its paths.
func (s *site) placeReport(cfg Config, r *report, id int, uFormat, uJunk float64) {
	r.format = drawWeighted(uFormat, cfg.Formats, Formats())
	r.junk = uJunk < cfg.JunkShare
	r.path = s.reportPath(r, id)
	if r.format != FormatHTML {
		r.fileName = r.spec.Title() + "." + r.format
		file := fmt.Sprintf("P0%s%09d.%s", r.published.Format("20060102"), id%1000000000, r.format)
		if s.style == StyleHanweb {
			r.attach = "/module/download/downfile.jsp?classid=0&filename=" + file + "&showname=" + url.QueryEscape(r.fileName)
		} else {
			r.attach = s.column + r.published.Format("200601") + "/" + file
		}
	}
}

// attachFile is the file name of a Hanweb attachment (downfile.jsp's
// filename parameter).
func (r *report) attachFile() string {
	u, err := url.Parse(r.attach)
	if err != nil {
		return ""
	}
	return u.Query().Get("filename")
}

// reportPath is where a report's detail page is.
func (s *site) reportPath(r *report, id int) string {
	switch {
	case s.module:
		return fmt.Sprintf("/module/xxgk/xxgkAnnualReport.jsp?area=%s&fbtime=%d", r.orgCode, r.spec.Year)
	case s.style == StyleHanweb:
		return hanwebArt(s.column, r.published, id)
	}
	return fmt.Sprintf("%s%s/t%s_%d.html", s.column, r.published.Format("200601"), r.published.Format("20060102"), id)
}

// hanwebArt is a Hanweb article path: /art/YYYY/M/D/art_<col>_<id>.html.
func hanwebArt(column string, t time.Time, id int) string {
	col := strings.TrimSuffix(strings.TrimPrefix(column, "/col/col"), "/")
	return fmt.Sprintf("/art/%d/%d/%d/art_%s_%d.html", t.Year(), int(t.Month()), t.Day(), col, id%1000000)
}

// articlePath is where a news item or notice is.
func (s *site) articlePath(column string, t time.Time, id int) string {
	if s.style == StyleHanweb {
		col := s.newsCol
		if column == columnNotices {
			col = s.noticeCol
		}
		return hanwebArt(fmt.Sprintf("/col/col%d/", col), t, id)
	}
	return fmt.Sprintf("/%s/%s/t%s_%d.html", column, t.Format("200601"), t.Format("20060102"), id)
}

// junkFiles draws the portal's attachments that are not reports.
func (s *site) junkFiles(lr *rand.Rand) []*junkFile {
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	var out []*junkFile
	for _, j := range []struct{ name, ext, ct string }{
		{"政府信息公开申请表", "doc", "application/msword"},
		{"依申请公开办理流程图", "wps", "application/vnd.ms-works"},
		{"主动公开基本目录", "xls", "application/vnd.ms-excel"},
	} {
		file := fmt.Sprintf("P0%d%09d.%s", 20190101+lr.IntN(1000), lr.IntN(1000000000), j.ext)
		f := &junkFile{name: j.name + "." + j.ext, contentType: j.ct, magic: ole}
		if s.style == StyleHanweb {
			f.path = "/module/download/downfile.jsp?classid=0&filename=" + file + "&showname=" + url.QueryEscape(f.name)
			s.byFile[file] = f
		} else {
			f.path = "/zwgk/xxgkzn/" + file
			s.byPath[f.path] = f
		}
		out = append(out, f)
	}
	return out
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
