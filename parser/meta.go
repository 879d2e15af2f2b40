package parser

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/numerals"
)

// metaPatterns are the compiled expressions for metadata.
type metaPatterns struct {
	titleYear  *regexp.Regexp
	statPeriod *regexp.Regexp
	labels     map[rune][][]rune // header labels by first character
	date       *regexp.Regexp
	cnDate     *regexp.Regexp
	docNo      *regexp.Regexp
	indexNo    *regexp.Regexp
	bodyTitle  *regexp.Regexp
	preparer   *regexp.Regexp
	contact    *regexp.Regexp
	fullName   *regexp.Regexp
	urlDate    []*regexp.Regexp
}

// headerLabels are the labels of portal metadata headers, each as a
// pattern tolerating spaces between characters ("索  引  号").
func headerLabels() []string {
	return []string{
		"索引号", "发文字号", "文号", "生成日期", "发布日期", "发布时间", "公开日期", "成文日期", "发文日期",
		"公布日期", "公布时间", "上网日期", "上网时间", "发文时间", "印发日期",
		"发表日期", "发布机构", "所属机构", "发布单位", "信息来源", "来源", "关键字", "关键词", "主题分类",
		"组配分类", "体裁分类", "服务对象分类", "分类", "公开方式", "公开形式", "公开范围", "责任部门", "是否有效", "有效性",
		"公文时效", "时效", "标题", "点击数", "浏览次数", "签发人", "主题词", "内容概述", "效力状态",
		"名称", "日期", "时间", "字号", "作者", "编辑",
	}
}

func newMetaPatterns() *metaPatterns {
	labels := make(map[rune][][]rune)
	for _, l := range headerLabels() {
		rs := []rune(l)
		labels[rs[0]] = append(labels[rs[0]], rs)
	}
	return &metaPatterns{
		// A year in digits, Chinese numerals, or both mixed as typists do
		// ("二0二0年").
		titleYear:  regexp.MustCompile(`(?:^|[^\d])(\d{4}|[〇○零一二三四五六七八九0-9]{4})\s*年\s*(?:度)?`),
		statPeriod: regexp.MustCompile(`统计(?:期限|时限|时间|期间|区间|范围)[^\d]{0,8}?(\d{4})`),
		labels:     labels,
		date:       regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}:\d{2}(?::\d{2})?))?`),
		cnDate:     regexp.MustCompile(`([〇○零一二三四五六七八九0-9]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`),
		docNo:      regexp.MustCompile(`^[\p{Han}A-Za-z]{1,12}[〔\[［(]\d{4}[〕\]］)]\s*\d{1,5}\s*号`),
		indexNo:    regexp.MustCompile(`^[A-Za-z0-9_\-./]*/(?:\d{4}|None|null)-[A-Za-z0-9]+|^[A-Za-z0-9][A-Za-z0-9_\-./]{3,}`),
		// "编制了若笠乡2008年政府信息公开工作年度报告", "现将板栗树乡人民政府2022年度…报告".
		bodyTitle: regexp.MustCompile(`(?:^|[,，。;；:：、\s(（《“"]|编制了|编制|现将|特将|公布|发布)([\p{Han}]{2,24}?)(\d{4})\s*年度?\s*(?:政府)?(?:信息公开|政务公开)`),
		// "由两城镇人民政府党政办公室编制".
		preparer: regexp.MustCompile(`由([\p{Han}]{2,40}?)(?:负责)?编制`),
		// "请与闽侯县水利局政府信息公开工作领导小组办公室联系".
		contact:  regexp.MustCompile(`请(?:与|和|向)([\p{Han}]{2,40}?)(?:联系|咨询)`),
		fullName: regexp.MustCompile(`([\p{Han}]{2,10}?)(省|市|县|区|旗|州|盟)(人民政府办公室|人民政府办公厅|政府办公室|人民政府)`),
		urlDate: []*regexp.Regexp{
			regexp.MustCompile(`[/_]t(20\d{2})(\d{2})(\d{2})_`),
			regexp.MustCompile(`/(20\d{2})(\d{2})(\d{2})/`),
			regexp.MustCompile(`/(20\d{2})/(\d{1,2})/(\d{1,2})/`),
			regexp.MustCompile(`/(20\d{2})-(\d{2})-(\d{2})/`),
		},
	}
}

// metaResult is what metadata extraction finds.
type metaResult struct {
	title, agency, level string
	year                 int
	publishedAt          string
	indexNo, docNo       string
	publisher            string
	source               string // 来源, 信息来源
}

// headerField is one label: value pair of a portal header.
type headerField struct {
	label, value string
}

// headerZone returns the text before the report body starts: portal
// headers, the title and publication lines.
func headerZone(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if i > 0 && (runeLen(t) > 60 && strings.ContainsAny(t, "。,，") || isSectionStart(t)) {
			break
		}
		if strings.IndexByte(t, '|') >= 0 {
			t = strings.ReplaceAll(t, "|", " ")
		}
		b.WriteString(t)
		b.WriteByte('\n')
		if b.Len() > 4000 {
			break
		}
	}
	return b.String()
}

// isSectionStart reports whether a line opens the report's first section.
func isSectionStart(t string) bool {
	if !strings.HasPrefix(t, "一") && !strings.HasPrefix(t, "1") {
		return false
	}
	c := compact(t)
	return strings.HasPrefix(c, "一、") || strings.HasPrefix(c, "1、总体情况") || strings.HasPrefix(c, "1.总体情况")
}

// headerFields splits a header zone into label: value pairs. Labels may
// have spaces between their characters ("索  引  号") and are matched
// longest first; a colon after a label is consumed.
func (mp *metaPatterns) headerFields(zone string) []headerField {
	type hit struct{ start, end int }
	var hits []hit
	var labels []string
	for i := 0; i < len(zone); {
		r, size := utf8.DecodeRuneInString(zone[i:])
		cands := mp.labels[r]
		best, bestEnd := "", -1
		for _, l := range cands {
			if end, ok := matchSpaced(zone, i, l); ok && len(string(l)) > len(best) {
				best, bestEnd = string(l), end
			}
		}
		if bestEnd < 0 {
			i += size
			continue
		}
		end := bestEnd
		for end < len(zone) && (zone[end] == ' ' || zone[end] == '\t') {
			end++
		}
		if strings.HasPrefix(zone[end:], ":") {
			end++
		} else if strings.HasPrefix(zone[end:], "：") {
			end += len("：")
		}
		hits = append(hits, hit{i, end})
		labels = append(labels, best)
		i = end
	}
	out := make([]headerField, 0, len(hits))
	for k, h := range hits {
		stop := len(zone)
		if k+1 < len(hits) {
			stop = hits[k+1].start
		}
		out = append(out, headerField{labels[k], strings.TrimSpace(zone[h.end:stop])})
	}
	return out
}

// matchSpaced reports whether label occurs at s[i:], with spaces or tabs
// allowed between its characters, and where it ends.
func matchSpaced(s string, i int, label []rune) (int, bool) {
	for k, want := range label {
		if k > 0 {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != want || size == 0 {
			return 0, false
		}
		i += size
	}
	return i, true
}

// extractMeta reads title, agency, level, year, date and header numbers.
func (p *Parser) extractMeta(d *document, in Input) metaResult {
	mp := p.meta
	var m metaResult
	zone := headerZone(d.lines)
	fields := mp.headerFields(zone)

	// Header numbers and publisher.
	for _, f := range fields {
		v := firstLine(f.value)
		switch f.label {
		case "索引号":
			if m.indexNo == "" {
				m.indexNo = mp.indexNo.FindString(strings.TrimSpace(v))
			}
		case "文号", "发文字号":
			if m.docNo == "" {
				m.docNo = mp.docNo.FindString(v)
			}
		case "信息来源", "来源":
			if m.source == "" {
				m.source = firstWord(v)
			}
		case "发布机构", "发布单位":
			if m.publisher == "" {
				m.publisher = firstWord(v)
			}
		}
	}
	if m.docNo == "" {
		for i, l := range d.lines {
			if i > 3 {
				break
			}
			if s := mp.docNo.FindString(strings.TrimSpace(l)); s != "" {
				m.docNo = s
				break
			}
		}
	}

	m.title = p.findTitle(d, fields)
	m.year = p.reportYear(d, m.title)
	m.publishedAt = mp.publishedAt(d, fields, in.Source)
	m.agency = p.findAgency(d, m.title, m.publisher, m.source)
	m.level = levelOf(m.agency)
	if m.level == "" && m.agency == "" {
		m.level = selfLevel(d.prose)
	}
	return m
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		if strings.TrimSpace(s[:i]) == "" {
			// The value sits on the next line ("发布机构:\n三滩镇人民政府").
			return firstLine(strings.TrimLeft(s[i+1:], " \t\n"))
		}
		return s[:i]
	}
	return s
}

// firstWord returns s up to its first space.
func firstWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// isTitle reports whether s reads as a report title: a year (or 年度) and
// 信息公开/政务公开 and 报告/年报, and short.
func isTitle(s string) bool {
	c := compact(s)
	n := runeLen(c)
	if n < 8 || n > 70 {
		return false
	}
	if !(strings.Contains(c, "信息公开") || strings.Contains(c, "政务公开")) {
		return false
	}
	if !(strings.HasSuffix(c, "报告") || strings.HasSuffix(c, "年报") || strings.Contains(c, "年度报告") || strings.Contains(c, "工作报告")) {
		return false
	}
	if strings.ContainsAny(c, "。>»") || strings.HasPrefix(c, "关于") || strings.HasPrefix(c, "当前") || strings.HasPrefix(c, "您的位置") || strings.HasPrefix(c, "您现在的位置") {
		return false
	}
	return hasTitleYear(c)
}

// hasTitleYear reports whether s contains a year followed by 年: four
// digits or four Chinese numerals, not part of a longer number.
func hasTitleYear(s string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], "年")
		if i < 0 {
			return false
		}
		i += off
		off = i + len("年")
		rs := []rune(s[max(0, i-16):i])
		if len(rs) < 4 {
			continue
		}
		y := rs[len(rs)-4:]
		digits, cn := 0, 0
		for _, r := range y {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune("〇○零一二三四五六七八九", r):
				cn++
			}
		}
		before := rune(0)
		if len(rs) > 4 {
			before = rs[len(rs)-5]
		}
		if digits == 4 && !(before >= '0' && before <= '9') || cn > 0 && cn+digits == 4 {
			return true
		}
	}
}

// findTitle picks the report's title: a <meta> title, a 标题 header field,
// a heading, a line of the body, then the HTML <title>.
func (p *Parser) findTitle(d *document, fields []headerField) string {
	var cands []string
	for _, k := range []string{"articletitle", "title", "dc.title"} {
		if v := d.meta[k]; v != "" {
			cands = append(cands, v)
		}
	}
	for _, f := range fields {
		if f.label == "标题" {
			cands = append(cands, firstLine(f.value))
		}
	}
	cands = append(cands, d.headings...)
	for _, c := range cands {
		if t := cleanTitle(c); isTitle(t) && hasAgencyPrefix(t) {
			return t
		}
	}
	// Body lines, joining a title split over two lines.
	limit := min(len(d.lines), 80)
	for i := 0; i < limit; i++ {
		t := cleanTitle(d.lines[i])
		if t == "" {
			continue
		}
		next := ""
		for j := i + 1; j < limit; j++ {
			if n := cleanTitle(d.lines[j]); n != "" {
				next = n
				break
			}
		}
		prev := ""
		for j := i - 1; j >= 0; j-- {
			if n := cleanTitle(d.lines[j]); n != "" {
				prev = n
				break
			}
		}
		switch {
		case isTitle(t):
			if !hasAgencyPrefix(t) {
				if isAgencyName(prev) {
					return prev + t
				}
				if isAgencyName(next) {
					return next + t
				}
			}
			return t
		case runeLen(t) <= 40 && !strings.Contains(t, "。") && isTitle(t+next) && !isTitle(next):
			return t + next
		}
	}
	for _, c := range cands {
		if t := cleanTitle(c); isTitle(t) {
			return t
		}
	}
	// The HTML <title>, without the site name after a separator.
	titleParts := strings.FieldsFunc(d.htmlTitle, func(r rune) bool { return r == '_' || r == '|' || r == '-' || r == '—' })
	for _, part := range titleParts {
		if t := cleanTitle(part); isTitle(t) {
			return t
		}
	}
	// A title without a year ("下河镇政府信息公开工作年度报告"): from the
	// same sources, or a line before the report's first section; the
	// year then comes from the statistical period.
	cands = append(cands, titleParts...)
	for _, l := range d.lines[:min(len(d.lines), 40)] {
		if isSectionStart(strings.TrimSpace(l)) {
			break
		}
		cands = append(cands, l)
	}
	for _, c := range cands {
		if t := cleanTitle(c); isYearlessTitle(t) {
			return t
		}
	}
	return ""
}

// isYearlessTitle reports whether s reads as a report title that gives no
// year: a body's name, then 政府信息公开 or 政务公开, then 年度报告 or 工作报告,
// and short.
func isYearlessTitle(s string) bool {
	c := compact(s)
	if n := runeLen(c); n < 10 || n > 50 || strings.ContainsAny(c, "。>»:") {
		return false
	}
	if !(strings.HasSuffix(c, "年度报告") || strings.HasSuffix(c, "工作报告")) {
		return false
	}
	i := strings.Index(c, "政务公开")
	if j := strings.Index(c, "信息公开"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i <= 0 {
		return false
	}
	name := strings.TrimSuffix(strings.TrimSuffix(c[:i], "政府"), "人民")
	return name != "" && isAgencyName(name) && !isPhrase(name) && !strings.HasPrefix(name, "关于")
}

// cleanTitle trims a title candidate of spaces, pipes and a "标题:" label.
func cleanTitle(s string) string {
	for {
		t := strings.Trim(s, " \t|")
		for _, p := range []string{"标题:", "标题：", "标 题", "标题", "名称:", "名 称:", "名称"} {
			t = strings.TrimPrefix(t, p)
		}
		if t == s {
			break
		}
		s = t
	}
	return compactTitle(s)
}

// compactTitle removes spaces inside a title except between ASCII words.
func compactTitle(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && (rs[i-1] >= 0x2E80 || rs[i+1] >= 0x2E80) {
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// hasAgencyPrefix reports whether a title names its body before the year
// ("三滩镇2019年…"), rather than starting with the year.
func hasAgencyPrefix(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return !(r >= '0' && r <= '9') && !numerals.IsChineseNumeral(r)
}

// adminSuffixes end the names of reporting bodies.
func adminSuffixes() []string {
	return []string{
		"人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室", "政府办", "街道办事处", "办事处", "管委会", "管理委员会",
		"委员会", "办公室", "办公厅", "街道", "镇", "乡", "苏木", "县", "市", "区", "旗", "州", "盟", "省",
		"局", "委", "厅", "办", "中心", "院", "署", "所", "站", "队", "馆", "处", "会", "公司", "政府",
	}
}

// isAgencyName reports whether s is a bare name of a reporting body.
func isAgencyName(s string) bool {
	n := runeLen(s)
	if n < 2 || n > 30 || strings.ContainsAny(s, "。,，:：0123456789") {
		return false
	}
	for _, suf := range adminSuffixes() {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// reportYear returns the year reported on: from the title, else the
// statistical period, else the year most mentioned as 某年度/某年.
func (p *Parser) reportYear(d *document, title string) int {
	if title != "" {
		if m := p.meta.titleYear.FindStringSubmatch(title); m != nil {
			if y := parseYear(m[1]); y > 0 {
				return y
			}
		}
	}
	if m := findSubmatchIf(d.prose, "统计", p.meta.statPeriod); m != nil {
		if y, _ := strconv.Atoi(m[1]); plausibleYear(y) {
			return y
		}
	}
	// Title-like phrases in the body: "编制了若笠乡2008年政府信息公开工作年度报告".
	if m := p.meta.bodyTitle.FindStringSubmatch(d.prose); m != nil {
		if y, _ := strconv.Atoi(m[2]); plausibleYear(y) {
			return y
		}
	}
	counts := map[int]int{}
	best, bestN := 0, 0
	for _, m := range p.meta.titleYear.FindAllStringSubmatch(d.prose, 200) {
		y := parseYear(m[1])
		if y == 0 {
			continue
		}
		counts[y]++
		if counts[y] > bestN || counts[y] == bestN && y < best {
			best, bestN = y, counts[y]
		}
	}
	return best
}

// parseYear reads a four-digit year in digits or Chinese numerals.
func parseYear(s string) int {
	y, err := strconv.Atoi(s)
	if err != nil {
		v, ok := numerals.ParseChinese(s)
		if !ok {
			return 0
		}
		y = int(v)
	}
	if !plausibleYear(y) {
		return 0
	}
	return y
}

// plausibleYear bounds report years: the 2008 条例 started the reports.
func plausibleYear(y int) bool { return y >= 2007 && y <= 2100 }

// datePriority orders date labels: publication first, then generation,
// then the document's own date, then bare 日期/时间.
func datePriority(label string) int {
	switch label {
	case "发布日期", "发布时间", "公开日期", "发表日期", "公布日期", "公布时间", "上网日期", "上网时间":
		return 1
	case "生成日期":
		return 2
	case "发文日期", "成文日期", "发文时间", "印发日期":
		return 3
	case "日期", "时间":
		return 4
	}
	return 0
}

// publishedAt finds the publication date: a dated header field, an HTML
// <meta>, a signature date at the end of the body, then a date in the
// source URL. A header field or meta that states the time of day after the
// date keeps it: "2023-01-31 13:24".
func (mp *metaPatterns) publishedAt(d *document, fields []headerField, source string) string {
	best, bestP := "", 99
	for _, f := range fields {
		pr := datePriority(f.label)
		if pr == 0 || pr >= bestP {
			continue
		}
		if m := mp.date.FindStringSubmatch(firstLine(f.value)); m != nil && strings.Index(firstLine(f.value), m[0]) <= 2 {
			if s := ymd(m[1], m[2], m[3]); s != "" {
				best, bestP = s+timeOfDay(m[4]), pr
			}
		}
	}
	if best != "" {
		return best
	}
	for _, k := range []string{"pubdate", "publishdate", "firstpublishedtime", "maketime", "dc.date"} {
		if m := mp.date.FindStringSubmatch(d.meta[k]); m != nil {
			if s := ymd(m[1], m[2], m[3]); s != "" {
				return s + timeOfDay(m[4])
			}
		}
	}
	// A signature date alone on one of the last lines.
	seen := 0
	for i := len(d.lines) - 1; i >= 0 && seen < 6; i-- {
		t := strings.TrimSpace(d.lines[i])
		if t == "" {
			continue
		}
		seen++
		if runeLen(t) > 16 {
			continue
		}
		if m := mp.date.FindStringSubmatch(t); m != nil && len(m[0]) >= len(t)-3 {
			if s := ymd(m[1], m[2], m[3]); s != "" {
				return s
			}
		}
		if m := mp.cnDate.FindStringSubmatch(t); m != nil {
			y := parseYear(m[1])
			mo, ok1 := numerals.ParseChinese(m[2])
			dd, ok2 := numerals.ParseChinese(m[3])
			if y > 0 && ok1 && ok2 {
				if s := ymd(strconv.Itoa(y), strconv.Itoa(int(mo)), strconv.Itoa(int(dd))); s != "" {
					return s
				}
			}
		}
	}
	if strings.Contains(source, "://") {
		for _, re := range mp.urlDate {
			if m := re.FindStringSubmatch(source); m != nil {
				if s := ymd(m[1], m[2], m[3]); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

// timeOfDay formats the time a dated header field states after its date
// ("13:24", "9:05:30") as " HH:MM" or " HH:MM:SS", or "" for none or an
// impossible one.
func timeOfDay(t string) string {
	parts := strings.Split(t, ":")
	if t == "" || len(parts) < 2 || len(parts) > 3 {
		return ""
	}
	out := ""
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || i == 0 && n > 23 || i > 0 && n > 59 {
			return ""
		}
		out += fmt.Sprintf("%c%02d", " ::"[i], n)
	}
	return out
}

// ymd formats a date as YYYY-MM-DD, or "" if it is not a plausible date.
func ymd(y, m, d string) string {
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	di, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || !plausibleYear(yi) || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

// findSubmatchIf runs re on s only when s contains key.
func findSubmatchIf(s, key string, re *regexp.Regexp) []string {
	if !strings.Contains(s, key) {
		return nil
	}
	return re.FindStringSubmatch(s)
}
