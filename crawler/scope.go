package crawler

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
)

// scope decides which links a crawl follows: only on the sources' hosts,
// and only towards annual reports — the report column and its pagination,
// pages linked as reports, and their attachments. It is safe for
// concurrent use; columns found by following a column link are added.
type scope struct {
	hosts map[string]bool

	mu      sync.RWMutex
	columns map[string]map[string]bool // host → column directories
}

func newScope(idx *sourceIndex) *scope {
	s := &scope{hosts: make(map[string]bool), columns: make(map[string]map[string]bool)}
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

func (s *scope) addColumn(host, dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.columns[host] == nil {
		s.columns[host] = make(map[string]bool)
	}
	s.columns[host][dir] = true
}

func (s *scope) inColumn(u *url.URL) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for dir := range s.columns[u.Host] {
		if strings.HasPrefix(u.Path, dir) {
			return true
		}
	}
	return false
}

// reportWords match link text or URLs that lead to annual reports or their
// column.
var reportWords = regexp.MustCompile(`(?i)年报|年度报告|年度工作报告|zfxxgknb|xxgknb|xxgkndbg|ndbg|bmnb|gknb|xxgkannualreport`)

// columnPage matches URLs that look like a column's list page rather than
// an article.
var columnPage = regexp.MustCompile(`(?i)(/|/index(_\d+)?\.s?html?|/col/col\d+/index\.html|\.jsp)$`)

// skipExt are payloads never worth fetching for reports.
func skipExt(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".svg", ".ico", ".css", ".js", ".mp3", ".mp4", ".avi", ".flv", ".swf", ".zip", ".rar", ".7z", ".exe", ".apk":
		return true
	}
	return false
}

// follow reports whether to fetch l, found on page from.
func (s *scope) follow(from *url.URL, l link) bool {
	u := l.url
	if (u.Scheme != "http" && u.Scheme != "https") || !s.hosts[u.Host] || skipExt(u.Path) {
		return false
	}
	fromColumn := s.inColumn(from)
	switch {
	case s.inColumn(u):
		return true
	case attachmentExt(u.Path):
		return fromColumn || reportWords.MatchString(l.text)
	case reportWords.MatchString(l.text) || reportWords.MatchString(u.Path) || reportWords.MatchString(u.RawQuery):
		if columnPage.MatchString(u.Path) && !fromColumn {
			s.addColumn(u.Host, dirOf(u.Path))
		}
		return true
	}
	return false
}
