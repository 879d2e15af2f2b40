package parser

import (
	"strings"
)

// findAgency names the reporting body: from the title, else a title-like
// phrase in the body, else the office that prepared the report (由…编制),
// else the 发布机构 header when it is not merely the hosting office, else
// the 来源 header on the same terms. An abbreviated name without a place
// (县政府办) is completed from the body.
func (p *Parser) findAgency(d *document, title, publisher, source string) string {
	name := agencyFromTitle(title, p)
	if name == "" {
		for _, m := range p.meta.bodyTitle.FindAllStringSubmatch(d.prose, 20) {
			if n := trimLeadWords(m[1]); isAgencyName(n) && !isPhrase(n) {
				name = n
				break
			}
		}
	}
	if name == "" {
		if m := p.meta.preparer.FindStringSubmatch(d.prose); m != nil {
			name = preparerBody(m[1])
		}
	}
	if name == "" {
		if m := p.meta.contact.FindStringSubmatch(d.prose); m != nil {
			name = preparerBody(m[1])
		}
	}
	for _, h := range []string{publisher, source} {
		if name == "" && h != "" && isAgencyName(h) && !isHostingOffice(h) && !isPhrase(h) {
			name = h
		}
	}
	if name == "" {
		return ""
	}
	if isAbbreviated(name) {
		if full := p.expandAbbreviation(name, d.prose); full != "" {
			return full
		}
	}
	return canonicalAgency(name)
}

// agencyFromTitle takes the body's name from a title: the words before the
// year ("三滩镇2019年…"), or between the year and 政府信息公开
// ("2022年度螅镇政府信息公开…").
func agencyFromTitle(t string, p *Parser) string {
	if t == "" {
		return ""
	}
	loc := p.meta.titleYear.FindStringSubmatchIndex(t)
	if loc == nil {
		// "下河镇政府信息公开工作年度报告": the name before 信息公开.
		if !isYearlessTitle(t) {
			return ""
		}
		c := compact(t)
		i := strings.Index(c, "政务公开")
		if j := strings.Index(c, "信息公开"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		name := c[:i]
		if !strings.HasSuffix(name, "人民政府") {
			name = strings.TrimSuffix(name, "政府")
		}
		if name == "" || name == "人民政府" {
			return ""
		}
		return trimLeadWords(name)
	}
	start := loc[2]
	prefix := strings.TrimSpace(t[:start])
	prefix = strings.TrimRight(prefix, "(（《“\"")
	// "XX县人民政府办公室关于印发XX县2023年…": the body is the one named
	// after the verb.
	for _, verb := range []string{"关于印发", "关于公布", "关于发布", "关于", "印发", "公布"} {
		if i := strings.LastIndex(prefix, verb); i >= 0 {
			prefix = prefix[i+len(verb):]
			break
		}
	}
	// "XX镇政府信息公开工作年度报告(2023年)": the year comes last.
	if i := strings.Index(prefix, "信息公开"); i > 0 {
		prefix = strings.TrimSuffix(prefix[:i], "政府")
		if prefix == "" || prefix == "人民" {
			prefix = ""
		}
	}
	if prefix != "" {
		prefix = trimLeadWords(prefix)
		if isAgencyName(prefix) {
			return prefix
		}
	}
	// "(2020年)中河镇政府信息公开…": the year's closing bracket is not
	// part of the name.
	rest := strings.TrimLeft(t[loc[1]:], ")）]】」》 ")
	i := strings.Index(rest, "信息公开")
	if j := strings.Index(rest, "政务公开"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i <= 0 {
		return ""
	}
	name := trimLeadWords(strings.TrimSpace(rest[:i]))
	if isAgencyName(name) && name != "政府" && name != "人民政府" {
		return name
	}
	return ""
}

// isPhrase reports whether a candidate name is running text rather than a
// name: a self-reference (我局, 本镇) or words of a sentence.
func isPhrase(s string) bool {
	return containsAny(s, "我", "本", "向", "社会", "公布", "通知", "关于", "做好", "根据", "要求", "报告", "全", "各", "上级")
}

// selfLevel infers the level of an unnamed body from how the report refers
// to itself: 我镇/本乡/我街道 (township), 我局/本委/我办 (department), 我县,
// 我区 (county), 我市 (city). The most frequent wins.
func selfLevel(prose string) string {
	counts := map[string]int{}
	for _, pre := range []string{"我", "本", "全"} {
		for _, rule := range []struct{ unit, level string }{
			{"镇", LevelTownship}, {"乡", LevelTownship}, {"街道", LevelTownship},
			{"局", LevelDepartment}, {"委", LevelDepartment}, {"办", LevelDepartment}, {"厅", LevelDepartment}, {"中心", LevelDepartment},
			{"县", LevelCounty}, {"区", LevelCounty}, {"市", LevelCity}, {"省", LevelProvince},
		} {
			if pre == "全" && rule.level == LevelDepartment {
				continue
			}
			counts[rule.level] += strings.Count(prose, pre+rule.unit)
		}
	}
	best, bestN := "", 0
	for _, lv := range []string{LevelTownship, LevelDepartment, LevelCounty, LevelCity, LevelProvince} {
		if counts[lv] > bestN {
			best, bestN = lv, counts[lv]
		}
	}
	return best
}

// trimLeadWords removes function words that precede a name in running
// text.
func trimLeadWords(s string) string {
	for changed := true; changed; {
		changed = false
		for _, w := range []string{"关于", "印发", "编制了", "编制", "现将", "特将", "通过", "根据", "按照", "公布", "发布", "由", "在", "对", "经", "据", "是", "将", "从", "了", "的", "年", "度", "月", "日", "向"} {
			if strings.HasPrefix(s, w) && runeLen(s) > runeLen(w)+1 {
				s = s[len(w):]
				changed = true
			}
		}
	}
	return s
}

// preparerBody turns the office that prepared the report into the body it
// belongs to: "两城镇人民政府党政办公室" → "两城镇人民政府",
// "无锡市锡山区人民政府厚桥街道党政办公室综合科" → "厚桥街道".
func preparerBody(s string) string {
	units := []string{"人民政府", "街道办事处", "街道", "镇", "乡", "局", "委员会", "县", "市", "区"}
	best := -1
	for _, u := range units {
		for off := 0; ; {
			i := strings.Index(s[off:], u)
			if i < 0 {
				break
			}
			end := off + i + len(u)
			if end > best {
				best = end
			}
			off = end
		}
	}
	if best <= 0 {
		return ""
	}
	s = s[:best]
	if i := strings.LastIndex(s, "人民政府"); i >= 0 && i+len("人民政府") < len(s) {
		s = s[i+len("人民政府"):]
	}
	s = trimLeadWords(s)
	if !isAgencyName(s) {
		return ""
	}
	return s
}

// isHostingOffice reports whether a 发布机构 names an office that hosts
// the portal rather than the reporting body.
func isHostingOffice(s string) bool {
	return containsAny(s, "融媒体", "政务服务", "大数据", "数据局", "信息中心", "网站", "新闻", "宣传", "网信")
}

// isAbbreviated reports whether a name lacks its place: 县政府办, 市政府,
// 区人民政府办公室.
func isAbbreviated(s string) bool {
	for _, lv := range []string{"省", "市", "县", "区", "州", "旗"} {
		if strings.HasPrefix(s, lv+"政府") || strings.HasPrefix(s, lv+"人民政府") {
			return true
		}
	}
	return false
}

// expandAbbreviation finds the full name of an abbreviated body in the
// text: the first "<place><level>人民政府[办公室]" of the same level and
// kind.
func (p *Parser) expandAbbreviation(abbr, prose string) string {
	level := abbr[:len("县")]
	office := strings.Contains(abbr, "办")
	for _, m := range p.meta.fullName.FindAllStringSubmatch(prose, 50) {
		if m[2] != level || strings.Contains(m[3], "办") != office {
			continue
		}
		place := trimLeadWords(m[1])
		if runeLen(place) < 2 {
			continue
		}
		return place + m[2] + m[3]
	}
	return ""
}

// canonicalAgency completes a body's name to its formal form: 镇/乡 →
// 镇/乡人民政府, 街道 → 街道办事处, X镇政府 → X镇人民政府, a bare county or
// city → its 人民政府.
func canonicalAgency(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasSuffix(s, "人民政府") || strings.HasSuffix(s, "办事处"):
		return s
	case strings.HasSuffix(s, "政府") && !strings.HasSuffix(s, "人民政府"):
		base := strings.TrimSuffix(s, "政府")
		if endsWithPlace(base) {
			return base + "人民政府"
		}
		return s
	case strings.HasSuffix(s, "街道"):
		return s + "办事处"
	case endsWithPlace(s):
		return s + "人民政府"
	}
	return s
}

// endsWithPlace reports whether s ends with the level word of an
// administrative division.
func endsWithPlace(s string) bool {
	for _, suf := range []string{"镇", "乡", "苏木", "县", "市", "区", "旗", "州", "盟", "省", "自治区"} {
		if strings.HasSuffix(s, suf) && runeLen(s) > runeLen(suf) {
			return true
		}
	}
	return false
}

// levelOf classifies a body by its name.
func levelOf(agency string) string {
	a := agency
	switch {
	case a == "":
		return ""
	case strings.HasSuffix(a, "街道办事处") || strings.HasSuffix(a, "镇人民政府") || strings.HasSuffix(a, "乡人民政府") ||
		strings.HasSuffix(a, "苏木人民政府") || strings.HasSuffix(a, "街道") || strings.HasSuffix(a, "镇") || strings.HasSuffix(a, "乡"):
		return LevelTownship
	case !strings.HasSuffix(a, "人民政府") && !strings.HasSuffix(a, "政府") && isDepartmentName(a):
		return LevelDepartment
	}
	place := strings.TrimSuffix(strings.TrimSuffix(a, "人民政府"), "政府")
	switch {
	case strings.HasSuffix(place, "省") || strings.HasSuffix(place, "自治区") || isMunicipality(place):
		return LevelProvince
	case strings.HasSuffix(place, "自治州") || strings.HasSuffix(place, "市") || strings.HasSuffix(place, "盟") || strings.HasSuffix(place, "地区"):
		return LevelCity
	case strings.HasSuffix(place, "县") || strings.HasSuffix(place, "区") || strings.HasSuffix(place, "旗") || strings.HasSuffix(place, "州"):
		return LevelCounty
	}
	return ""
}

// isDepartmentName reports whether a name ends like a government
// department or office.
func isDepartmentName(a string) bool {
	for _, suf := range []string{"办公室", "办公厅", "局", "委员会", "委", "厅", "中心", "院", "署", "所", "站", "队", "馆", "处", "办", "公司", "会", "部"} {
		if strings.HasSuffix(a, suf) {
			return true
		}
	}
	return false
}

// isMunicipality reports whether place is one of the four
// province-level municipalities.
func isMunicipality(place string) bool {
	switch place {
	case "北京市", "天津市", "上海市", "重庆市":
		return true
	}
	return false
}
