package crawler

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
)

// scope decides which links a crawl follows, and as what: only on the
// sources' hosts, and only towards annual reports — navigation pages on
// the way from a home page to the report column (a bounded number of
// hops), the column and its list pages, pages linked as reports, and their
// attachments. Columns found on the way are remembered per host. It is
// safe for concurrent use.
type scope struct {
	hosts map[string]bool

	mu      sync.RWMutex
	columns map[string]map[string]bool // host → column directories
	hanweb  map[string]map[string]bool // host → Hanweb column ids (col/col<ID>, art_<ID>_…)
}

// maxHubDepth bounds the navigation hops followed from a home page before
// the report column is found.
const maxHubDepth = 2

func newScope(idx *sourceIndex) *scope {
	s := &scope{hosts: make(map[string]bool), columns: make(map[string]map[string]bool), hanweb: make(map[string]map[string]bool)}
	for host, roots := range idx.byHost {
		s.hosts[host] = true
		for _, r := range roots {
			if r.dir != "/" {
				s.addColumn(host, r.dir)
			}
		}
	}
	return s
}

// hanwebColumn matches a Hanweb column directory, /col/col<ID>/.
var hanwebColumn = regexp.MustCompile(`^/col/col(\d+)/$`)

// hanwebArticle matches a Hanweb article, /art/YYYY/M/D/art_<col>_<id>.html.
var hanwebArticle = regexp.MustCompile(`^/art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_\d+\.s?html?$`)

func (s *scope) addColumn(host, dir string) {
	if dir == "/" || dir == "" {
		return // the whole site is never a column
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.columns[host] == nil {
		s.columns[host] = make(map[string]bool)
	}
	s.columns[host][dir] = true
	if m := hanwebColumn.FindStringSubmatch(dir); m != nil {
		if s.hanweb[host] == nil {
			s.hanweb[host] = make(map[string]bool)
		}
		s.hanweb[host][m[1]] = true
	}
}

func (s *scope) inColumn(u *url.URL) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for dir := range s.columns[u.Host] {
		if strings.HasPrefix(u.Path, dir) {
			return true
		}
	}
	if m := hanwebArticle.FindStringSubmatch(u.Path); m != nil && s.hanweb[u.Host][m[1]] {
		return true
	}
	return false
}

// startRole returns the role of a start URL: a column when it points
// below the site root, a home page otherwise.
func (s *scope) startRole(u *url.URL) role {
	if dirOf(u.Path) != "/" || reportWords.MatchString(u.Path) || reportWords.MatchString(u.RawQuery) {
		return roleColumn
	}
	return roleStart
}

// words is a set of keywords matched as substrings, ASCII ones without
// regard to case: cheaper than a regexp on every link of every page.
type words []string

// MatchString reports whether s contains any of the words.
func (w words) MatchString(s string) bool {
	if s == "" {
		return false
	}
	lower := s
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			lower = strings.ToLower(s)
			break
		}
	}
	for _, k := range w {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// reportWords match link text or URLs that lead to annual reports or their
// column (年度工作报告 contains 年度…报告 but not 年度报告, so it is listed).
var reportWords = words{"年报", "年度报告", "年度工作报告", "zfxxgknb", "xxgknb", "ndbg", "bmnb", "gknb", "annualreport"}

// hubWords match links to the disclosure sections a report column usually
// sits in.
var hubWords = words{"信息公开", "政务公开", "公开目录", "主动公开", "法定主动", "xxgk", "zwgk", "gkml"}

// columnPage matches URL paths that look like a column's list page rather
// than an article: a directory, index[_N].html, list[_N].html, or a .jsp.
var columnPage = lastSegment(regexp.MustCompile(`(?i)^(|index(_\d+)?\.(s?html?|jsp|php|aspx?)|list(_\d+)?\.s?html?|.*\.jsp)$`))

// lastSegmentMatcher matches a regexp, anchored at both ends, against the
// last segment of a path: cheaper than an unanchored regexp over the whole
// path, which is tried at every position.
type lastSegmentMatcher struct{ re *regexp.Regexp }

func lastSegment(re *regexp.Regexp) lastSegmentMatcher { return lastSegmentMatcher{re} }

// MatchString reports whether the last segment of path p matches.
func (m lastSegmentMatcher) MatchString(p string) bool {
	return m.re.MatchString(p[strings.LastIndexByte(p, '/')+1:])
}

// yearText matches link text naming a year, as report titles do.
var yearText = regexp.MustCompile(`(19|20)\d\d`)

// navText matches site navigation, never a report.
var navText = regexp.MustCompile(`^(首页|网站首页|返回首页|返回|登录|注册|更多|more|English|无障碍|关闭|打印)$`)

// pageText matches the text of pagination links.
var pageText = regexp.MustCompile(`^(下一页|下页|下一頁|尾页|末页|最后一页|上一页|上页|next|last|>|>>|»|›|\d{1,4})$`)

// pageParam matches query parameters that select a list page.
var pageParam = regexp.MustCompile(`(?i)(^|&)(pagenum|page|pageno|pageindex|currentpage|curpage|p|pn|start)=\d+`)

// indexPage matches TRS-style numbered list pages.
var indexPage = lastSegment(regexp.MustCompile(`(?i)^index_?\d*\.s?html?$`))

// skipExt are payloads never worth fetching for reports.
func skipExt(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".svg", ".ico", ".css", ".js", ".mp3", ".mp4", ".avi", ".flv", ".swf", ".zip", ".rar", ".7z", ".exe", ".apk", ".woff", ".woff2", ".ttf":
		return true
	}
	return false
}

// isPagination reports whether l, on list page from, leads to another
// page of the same list.
func isPagination(from *url.URL, l link) bool {
	u := l.url
	if u.Host != from.Host {
		return false
	}
	sameDir := dirOf(u.Path) == dirOf(from.Path)
	switch {
	case u.Path == from.Path && u.RawQuery != from.RawQuery && pageParam.MatchString(u.RawQuery):
		return true
	case sameDir && indexPage.MatchString(u.Path):
		return true
	case pageText.MatchString(l.text) && (sameDir || u.Path == from.Path):
		return true
	}
	return false
}

// follow decides whether to fetch link l, found on the page fetched as
// from (at fromURL), and returns the role and depth it is fetched with.
func (s *scope) follow(from entry, fromURL *url.URL, l link) (role, int, bool) {
	u := l.url
	if (u.Scheme != "http" && u.Scheme != "https") || !s.hosts[u.Host] || skipExt(u.Path) {
		return 0, 0, false
	}
	deeper := from.depth + 1
	listing := from.role == roleColumn
	text := l.text
	reportish := reportWords.MatchString(text) || reportWords.MatchString(u.Path) || reportWords.MatchString(u.RawQuery)
	switch {
	case attachmentLink(u, text):
		if listing || from.role == roleReport || reportWords.MatchString(text) || s.inColumn(u) {
			return roleFile, deeper, true
		}
		return 0, 0, false
	case listing && isPagination(fromURL, l):
		// Pagination does not deepen the crawl: a column's last page is
		// as close to the start as its first.
		return roleColumn, from.depth, true
	case s.inColumn(u):
		if columnPage.MatchString(u.Path) {
			return roleColumn, deeper, true
		}
		return roleReport, deeper, true
	case reportish:
		if columnPage.MatchString(u.Path) && !strings.Contains(strings.ToLower(u.Path), "annualreport") {
			s.addColumn(u.Host, dirOf(u.Path))
			return roleColumn, deeper, true
		}
		return roleReport, deeper, true
	case listing && yearText.MatchString(text) && !navText.MatchString(text):
		if columnPage.MatchString(u.Path) {
			return roleColumn, deeper, true
		}
		return roleReport, deeper, true
	case (from.role == roleStart || from.role == roleHub) && from.depth < maxHubDepth &&
		(hubWords.MatchString(text) || hubWords.MatchString(u.Path)):
		return roleHub, deeper, true
	}
	return 0, 0, false
}

// attachmentLink reports whether a link leads to a document attachment:
// by the extension of its path, of a file name in its query (Hanweb's
// downfile.jsp?filename=….pdf), or of its text.
func attachmentLink(u *url.URL, text string) bool {
	if attachmentExt(u.Path) {
		return true
	}
	if u.RawQuery != "" {
		for _, vs := range u.Query() {
			for _, v := range vs {
				if attachmentExt(v) {
					return true
				}
			}
		}
	}
	return attachmentExt(strings.TrimSpace(text))
}

// roleOf guesses the role of a URL known from an earlier run.
func roleOf(u *url.URL) role {
	switch {
	case u.Path == "/robots.txt":
		return roleRobots
	case attachmentExt(u.Path):
		return roleFile
	case columnPage.MatchString(u.Path):
		return roleColumn
	}
	return roleReport
}
