package parser

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/numerals"
)

// num is the pattern of a figure in prose: digits (with thousands
// separators) or a Chinese numeral.
const num = `(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二两三四五六七八九十百千万零〇○]+)`

// patterns are the compiled regular expressions of the prose rules. They
// are built once per Parser.
type patterns struct {
	proactive   *regexp.Regexp
	reqCount    *regexp.Regexp
	reqDirect   *regexp.Regexp
	reqNone     *regexp.Regexp
	reqZero     *regexp.Regexp
	closed      *regexp.Regexp
	quoted      *regexp.Regexp
	reviewCount *regexp.Regexp
	suitCount   *regexp.Regexp
	feeCount    *regexp.Regexp
}

func newPatterns() *patterns {
	return &patterns{
		// "共公开政府信息82条", "主动公开政务文件11份", "主动公开信息的有5条",
		// "主动公开各类政府信息 5500 余条", "公开信息历年累计52条".
		proactive: regexp.MustCompile(`(共|合计|总计|累计)?(?:主动)?(?:公开|发布|公布)(?:了)?([^,，。;；:：\d()（）]{0,15}?)(?:信息|文件)([^,，。;；\d()（）]{0,6}?)(共|合计)?\s*` + num + `\s*(余|多)?\s*(条|份|件|篇)`),
		// "共受理信息公开申请10件", "收到政府信息公开申请一件", "收到申请公开21条".
		reqCount: regexp.MustCompile(`(?:受理|收到|接到|接收|收悉)(?:了|过)?([^,，。;；\d]{0,15}?)申请(?:公开)?(?:共|总计|合计)?\s*` + num + `\s*(余|多)?\s*(件|条|宗|个|份|起|次)`),
		// "依申请公开0件".
		reqDirect: regexp.MustCompile(`依申请公开(?:政府信息)?(?:申请)?\s*` + num + `\s*(件|条|宗|个)`),
		// "没有收到政府信息公开申请", "没有公民、法人或其他组织提出政府信息公开申请",
		// "未发生依申请…", "没有依申请公开信息的情况".
		reqNone: regexp.MustCompile(`(?:没有|未曾|未|无)([^,，。;；]{0,26}?)申请`),
		// "依申请办理事项为零".
		reqZero: regexp.MustCompile(`依申请[^,，。;；]{0,10}?(?:为零|为0|是零)`),
		// "办结21条".
		closed: regexp.MustCompile(`办结\s*` + num + `\s*(件|条|宗)`),
		// "“同意公开”的7件" (old outcome vocabulary, quoted).
		quoted: regexp.MustCompile(`[“"]\s*(同意公开|予以公开|同意部分公开|部分公开|不予公开)\s*[”"]\s*(?:的)?\s*` + num + `\s*(件|条|宗)`),
		// "行政复议 351 件", "行政复议案0件", "行政復議案共1起".
		reviewCount: regexp.MustCompile(`行政复议(?:案件|案)?(?:共|总计|合计)?\s*` + num + `\s*(件|起|宗|个|次)`),
		suitCount:   regexp.MustCompile(`行政诉讼(?:案件|案)?(?:共|总计|合计)?\s*` + num + `\s*(件|起|宗|个|次)`),
		// "收取政府信息公开信息处理费 3940 元", "收取的费用(…)为0元".
		feeCount: regexp.MustCompile(`(?:收取|收费)[^,，。;；]{0,24}?` + num + `\s*(万元|元)`),
	}
}

// sentence is a span of prose between sentence breaks.
type sentence struct {
	start int // byte offset in prose
	text  string
}

// nextSentence returns the sentence of prose that starts at or after byte
// offset from, split at 。;!? and line breaks, and the offset after it; ok
// is false when none is left.
func nextSentence(prose string, from int) (s sentence, next int, ok bool) {
	start := from
	for i := from; i < len(prose); {
		if !mayBreak(prose[i]) {
			i++
			continue
		}
		size := sentenceBreak(prose, i)
		if size == 0 {
			i++
			continue
		}
		if i > start {
			return sentence{start, prose[start:i]}, i + size, true
		}
		i += size
		start = i
	}
	if start < len(prose) {
		return sentence{start, prose[start:]}, len(prose), true
	}
	return sentence{}, len(prose), false
}

// mayBreak reports whether a sentence break can start with byte c.
func mayBreak(c byte) bool {
	return c == ';' || c == '!' || c == '?' || c == '\n' || c == 0xE3 || c == 0xEF
}

// sentenceBreak returns the length of the sentence break (。;；!?！？ or a
// line break) at prose[i:], or 0. It compares bytes: the full-width
// marks are 。 E3 80 82 and ；！？ EF BC 9B/81/9F.
func sentenceBreak(prose string, i int) int {
	switch prose[i] {
	case ';', '!', '?', '\n':
		return 1
	case 0xE3:
		if i+2 < len(prose) && prose[i+1] == 0x80 && prose[i+2] == 0x82 {
			return 3
		}
	case 0xEF:
		if i+2 < len(prose) && prose[i+1] == 0xBC {
			switch prose[i+2] {
			case 0x9B, 0x81, 0x9F:
				return 3
			}
		}
	}
	return 0
}

// sentences splits prose at 。;!? and line breaks.
func sentences(prose string) []sentence {
	var out []sentence
	for i := 0; ; {
		s, next, ok := nextSentence(prose, i)
		if !ok {
			return out
		}
		out = append(out, s)
		i = next
	}
}

// narrative reads the figures stated in prose. Facts already read from
// tables win; a prose figure for the same metric becomes an alternate.
type narrative struct {
	p     *patterns
	prose string
	year  int
	col   *collector
	// seen records metrics already taken from prose: the first statement
	// in reading order counts.
	seen []string
	// runeAt caches a byte offset of prose and its rune offset, so that
	// locators are counted from the previous one rather than from the
	// start.
	byteAt, runeAt int
}

func (n *narrative) run() {
	n.seen = n.seen[:0]
	// Where the keywords that route a sentence occur, found in one scan
	// of the prose each rather than one per sentence.
	requests := newOccurrences(n.prose, "申请")
	reviews := newOccurrences(n.prose, "行政复议")
	suits := newOccurrences(n.prose, "行政诉讼")
	fees := newOccurrences(n.prose, "费")
	for i := 0; ; {
		s, next, ok := nextSentence(n.prose, i)
		if !ok {
			break
		}
		i = next
		end := s.start + len(s.text)
		n.proactive(s)
		if requests.within(s.start, end) {
			n.requests(s)
		}
		if reviews.within(s.start, end) || suits.within(s.start, end) {
			n.reviews(s)
		}
		if fees.within(s.start, end) {
			n.fees(s)
		}
	}
}

// occurrences are the offsets of a keyword in a text, consumed in order
// by queries over increasing spans.
type occurrences struct {
	at  []int
	key int // the keyword's length
}

func newOccurrences(text, key string) *occurrences {
	o := &occurrences{key: len(key)}
	for off := 0; ; {
		i := strings.Index(text[off:], key)
		if i < 0 {
			return o
		}
		o.at = append(o.at, off+i)
		off += i + len(key)
	}
}

// within reports whether the keyword occurs wholly in text[start:end].
// Successive calls must not decrease start.
func (o *occurrences) within(start, end int) bool {
	for len(o.at) > 0 && o.at[0] < start {
		o.at = o.at[1:]
	}
	return len(o.at) > 0 && o.at[0]+o.key <= end
}

// stale reports whether a sentence is about another year than the report's
// ("2019年，我镇…" inside a 2020 report) or the previous one (上年, 去年).
func (n *narrative) stale(s string) bool {
	if strings.Contains(s, "去年") || strings.Contains(s, "上一年度") {
		return true
	}
	if n.year == 0 || !strings.Contains(s, "年") {
		return false
	}
	for off := 0; ; {
		i := strings.Index(s[off:], "年")
		if i < 0 {
			return false
		}
		i += off
		off = i + len("年")
		j := i
		for j > 0 && s[j-1] == ' ' {
			j--
		}
		k := j
		for k > 0 && s[k-1] >= '0' && s[k-1] <= '9' {
			k--
		}
		if j-k != 4 {
			continue
		}
		y, err := strconv.Atoi(s[k:j])
		if err == nil && y >= 1990 && y <= 2100 && y != n.year {
			return true
		}
	}
}

// emit records a prose fact for metric from the byte span [start, end) of
// prose, once per metric, unless the sentence up to the figure is about
// another year.
func (n *narrative) emit(metric string, f numerals.Figure, start, end int) {
	if n.has(metric) {
		return
	}
	sStart := strings.LastIndexAny(n.prose[:start], "。;；!?！？\n") + 1
	if n.stale(n.prose[sStart:end]) {
		return
	}
	n.seen = append(n.seen, metric)
	rs := n.runeOffset(start)
	re := rs + utf8.RuneCountInString(n.prose[start:end])
	n.col.add(Fact{Metric: metric, Applicant: metrics.Total, Value: f.Value, Approximate: f.Approximate,
		Locator: Locator{Start: rs, End: re, Text: n.prose[start:end]}})
}

// has reports whether metric was already taken from prose.
func (n *narrative) has(metric string) bool {
	for _, m := range n.seen {
		if m == metric {
			return true
		}
	}
	return false
}

// runeOffset returns the rune offset in prose of byte offset i.
func (n *narrative) runeOffset(i int) int {
	if i < n.byteAt {
		n.byteAt, n.runeAt = 0, 0
	}
	n.runeAt += runeCount(n.prose[n.byteAt:i])
	n.byteAt = i
	return n.runeAt
}

// runeCount is utf8.RuneCountInString, counting the bytes that start a
// character when s is valid UTF-8 (as normalised text is).
func runeCount(s string) int {
	if !utf8.ValidString(s) {
		return utf8.RuneCountInString(s)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// figure reads the number of a match group, with the approximation marker
// that may follow it.
func figure(numText, approx string) (numerals.Figure, bool) {
	f, ok := numerals.Parse(numText)
	if !ok {
		return f, false
	}
	if approx != "" {
		f.Approximate = true
	}
	return f, true
}

// precededBy reports whether s[:i] ends with one of the words.
func precededBy(s string, i int, words ...string) bool {
	for _, w := range words {
		if strings.HasSuffix(s[:i], w) {
			return true
		}
	}
	return false
}

// proactive reads proactive.items: the one count of items disclosed in the
// year. Cumulative counts (历年累计), breakdowns after 其中/包括, withheld
// items (不予公开) and per-channel counts with no stated total are skipped.
func (n *narrative) proactive(s sentence) {
	if n.has(metrics.ProactiveItems) || !(strings.Contains(s.text, "公开") || strings.Contains(s.text, "发布") || strings.Contains(s.text, "公布")) ||
		!containsAny(s.text, "条", "份", "件", "篇") || !(strings.Contains(s.text, "信息") || strings.Contains(s.text, "文件")) {
		return
	}
	if !mayStateProactive(s.text) {
		return
	}
	ms := n.p.proactive.FindAllStringSubmatchIndex(s.text, -1)
	if len(ms) == 0 {
		return
	}
	type clause struct {
		m     []int
		total bool
	}
	var kept []clause
	prevEnd := 0
	for _, m := range ms {
		verb := m[0]
		if m[2] >= 0 {
			verb = m[3]
		}
		whole := s.text[m[0]:m[1]]
		before := s.text[:m[0]]
		switch {
		case precededBy(s.text, verb, "不予", "依申请", "申请", "不"):
			continue
		case strings.Contains(whole, "历年") || strings.Contains(whole, "累计") && (strings.Contains(before, "截至") || strings.Contains(before, "截止")):
			continue
		}
		if len(kept) > 0 {
			between := s.text[prevEnd:m[0]]
			if strings.Contains(between, "其中") || strings.Contains(between, "包括") || strings.Contains(between, "分别") {
				break
			}
		}
		total := m[2] >= 0 || m[8] >= 0 || strings.HasSuffix(before, "共") || strings.HasSuffix(before, "全年")
		kept = append(kept, clause{m, total})
		prevEnd = m[1]
	}
	if len(kept) == 0 || len(kept) > 1 && !kept[0].total {
		return
	}
	m := kept[0].m
	gap := s.text[m[6]:m[7]]
	f, ok := figure(s.text[m[10]:m[11]], s.text[max(m[12], 0):max(m[13], 0)])
	if !ok {
		return
	}
	if strings.HasSuffix(gap, "近") || strings.HasSuffix(gap, "超过") || strings.HasSuffix(gap, "约") || strings.HasSuffix(gap, "逾") {
		f.Approximate = true
	}
	n.emit(metrics.ProactiveItems, f, s.start+m[0], s.start+m[1])
}

// mayStateProactive reports whether the proactive pattern can match s: a
// verb 公开, 发布 or 公布 followed, within 15 characters free of
// punctuation, digits and brackets (the pattern's gap), by 信息 or 文件. It
// is a necessary condition checked without the regular expression, which
// is slow on the many sentences that mention disclosure without a count.
func mayStateProactive(s string) bool {
	for off := 0; off < len(s); {
		i := indexVerb(s[off:])
		if i < 0 {
			return false
		}
		j := off + i + len("公开")
		off = j
		if strings.HasPrefix(s[j:], "了") {
			j += len("了")
		}
		for k := 0; k <= 15 && j < len(s); k++ {
			if strings.HasPrefix(s[j:], "信息") || strings.HasPrefix(s[j:], "文件") {
				return true
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			if r >= '0' && r <= '9' || strings.ContainsRune(",，。;；:：()（）", r) {
				break
			}
			j += size
		}
	}
	return false
}

// indexVerb returns the index of the first 公开, 发布 or 公布 in s, or -1.
func indexVerb(s string) int {
	best := -1
	for _, v := range [...]string{"公开", "发布", "公布"} {
		if i := strings.Index(s, v); i >= 0 && (best < 0 || i < best) {
			best = i
			s = s[:i+len(v)]
		}
	}
	return best
}

// requests reads requests.new, its stated zeros, outcome.total from 办结
// and the quoted outcomes of old reports.
func (n *narrative) requests(s sentence) {
	t := s.text
	if strings.Contains(t, "咨询") {
		return
	}
	if !n.has(metrics.RequestsNew) {
		var m []int
		if containsAny(t, "受理", "收到", "接到", "接收", "收悉") {
			m = n.p.reqCount.FindStringSubmatchIndex(t)
		}
		if m != nil && !containsAny(t[m[2]:m[3]], "复议", "诉讼", "咨询", "行政") {
			if f, ok := figure(t[m[4]:m[5]], t[max(m[6], 0):max(m[7], 0)]); ok {
				n.emit(metrics.RequestsNew, f, s.start+m[0], s.start+m[1])
			}
		} else if m := findIf(t, "依申请公开", n.p.reqDirect); m != nil {
			if f, ok := figure(t[m[2]:m[3]], ""); ok {
				n.emit(metrics.RequestsNew, f, s.start+m[0], s.start+m[1])
			}
		} else if m := findIf(t, "依申请", n.p.reqZero); m != nil {
			n.emit(metrics.RequestsNew, numerals.Figure{}, s.start+m[0], s.start+m[1])
		} else if containsAny(t, "没有", "未", "无") {
			for _, m := range n.p.reqNone.FindAllStringSubmatchIndex(t, -1) {
				if noneOfRequests(t, m) {
					n.emit(metrics.RequestsNew, numerals.Figure{}, s.start+m[0], s.start+m[1])
					break
				}
			}
		}
	}
	if n.has(metrics.RequestsNew) && !n.has(metrics.OutcomeTotal) {
		if m := findIf(t, "办结", n.p.closed); m != nil {
			if f, ok := figure(t[m[2]:m[3]], ""); ok {
				n.emit(metrics.OutcomeTotal, f, s.start+m[0], s.start+m[1])
			}
		}
	}
}

// noneOfRequests checks a reqNone match: the negation must govern receiving
// requests (没有收到…申请, 没有公民…提出…申请, 未发生依申请), not a
// table label (无正当理由…申请, 未按收费通知…) nor a review (申请行政复议).
func noneOfRequests(t string, m []int) bool {
	gap := t[m[2]:m[3]]
	if containsAny(gap, "复议", "诉讼", "收费", "费用", "咨询", "正当理由", "按", "经") {
		return false
	}
	after := t[m[1]:]
	if strings.HasPrefix(after, "行政复议") || strings.HasPrefix(after, "复议") || strings.HasPrefix(after, "人") && !strings.HasPrefix(gap, "收到") {
		return false
	}
	if gap == "" {
		return true
	}
	first, _ := utf8.DecodeRuneInString(gap)
	return strings.ContainsRune("收接受发出产有公群人依相任过提单个组政信申关", first)
}

// quotedOutcomes reads the old outcome vocabulary when quoted as
// categories ("“同意公开”的7件"); unquoted "不予公开…条" is about
// proactive disclosure and is not read.
func (n *narrative) quotedOutcomes() {
	if !hasQuotedOutcome(n.prose) {
		return
	}
	for _, m := range n.p.quoted.FindAllStringSubmatchIndex(n.prose, -1) {
		var metric string
		switch n.prose[m[2]:m[3]] {
		case "同意公开", "予以公开":
			metric = metrics.OutcomeGranted
		case "同意部分公开", "部分公开":
			metric = metrics.OutcomePartial
		case "不予公开":
			metric = metrics.OutcomeRefused
		}
		if f, ok := figure(n.prose[m[4]:m[5]], ""); ok {
			n.emit(metric, f, m[0], m[1])
		}
	}
}

// hasQuotedOutcome reports whether s quotes an outcome category: 同意公开,
// 予以公开, 部分公开 or 不予公开 before a closing quote.
func hasQuotedOutcome(s string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], "公开")
		if i < 0 {
			return false
		}
		i += off
		off = i + len("公开")
		if !strings.HasPrefix(s[off:], "”") && !strings.HasPrefix(s[off:], "\"") {
			continue
		}
		before := s[:i]
		if strings.HasSuffix(before, "同意") || strings.HasSuffix(before, "予以") || strings.HasSuffix(before, "部分") || strings.HasSuffix(before, "不予") {
			return true
		}
	}
}

// negatesReview reports whether a clause says a review or lawsuit did not
// happen.
func negatesReview(c string) bool {
	return containsAny(c, "没有", "未发生", "未出现", "未产生", "未收到", "未接到", "未有", "未曾", "均未", "无", "为零", "未被")
}

// reviews reads reviews.total and lawsuits.total, counts or stated zeros,
// clause by clause.
func (n *narrative) reviews(s sentence) {
	t := s.text
	for _, rule := range []struct {
		metric string
		re     *regexp.Regexp
		key    string
	}{
		{metrics.ReviewsTotal, n.p.reviewCount, "行政复议"},
		{metrics.LawsuitsTotal, n.p.suitCount, "行政诉讼"},
	} {
		if n.has(rule.metric) || !strings.Contains(t, rule.key) {
			continue
		}
		if m := rule.re.FindStringSubmatchIndex(t); m != nil {
			if f, ok := figure(t[m[2]:m[3]], ""); ok {
				n.emit(rule.metric, f, s.start+m[0], s.start+m[1])
			}
			continue
		}
		// A stated zero: a clause that negates the review or lawsuit.
		off := 0
		for _, c := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == '，' || r == ':' || r == '：' }) {
			i := strings.Index(t[off:], c) + off
			off = i + len(c)
			if !strings.Contains(c, rule.key) || strings.Contains(c, "尚未") {
				continue
			}
			if negatesReview(c) {
				n.emit(rule.metric, numerals.Figure{}, s.start+i, s.start+i+len(c))
				break
			}
		}
	}
}

// fees reads fees.amount in yuan: "收取…费 3940 元", or a stated zero
// ("无政府信息公开收费及减免情况", "收费和减免为零").
func (n *narrative) fees(s sentence) {
	t := s.text
	if n.has(metrics.FeesAmount) || containsAny(t, "行政事业性收费", "通知", "逾期", "缴纳费用", "收费金额") {
		return
	}
	if m := n.p.feeCount.FindStringSubmatchIndex(t); m != nil {
		if f, ok := figure(t[m[2]:m[3]], ""); ok {
			if t[m[4]:m[5]] == "万元" {
				f.Value *= 10000
			}
			n.emit(metrics.FeesAmount, f, s.start+m[0], s.start+m[1])
		}
		return
	}
	if !containsAny(t, "收费", "收取", "费用") {
		return
	}
	for _, neg := range []string{"无政府信息公开收费", "没有", "未收取", "无收费", "为零", "为0", "不收取", "免费"} {
		if strings.Contains(t, neg) {
			n.emit(metrics.FeesAmount, numerals.Figure{}, s.start, s.start+len(t))
			return
		}
	}
}

// findIf runs re on s only when s contains key, which every match holds.
func findIf(s, key string, re *regexp.Regexp) []int {
	if !strings.Contains(s, key) {
		return nil
	}
	return re.FindStringSubmatchIndex(s)
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
