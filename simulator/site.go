package simulator

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/simulator/render"
)

// Paths every TRS portal of the default layout serves.
const (
	reportColumn = "/zwgk/zfxxgknb/"
	startPath    = reportColumn + "index.html"
	adminPath    = "/admin/login.html"
	modulePath   = "/module/xxgk/xxgkAnnualReport.jsp"
	downloadPath = "/module/download/downfile.jsp"
)

// response is a page as the site would send it, before charset encoding.
type response struct {
	status int
	// plain marks a text/plain body (robots.txt); binary, when set, is
	// the Content-Type of an attachment. Others are HTML.
	plain    bool
	binary   string
	fileName string // an attachment's name, for Content-Disposition
	body     []byte
	// version and modified give a 200 response its validators (see
	// Simulator.etag and lastModified); a zero modified means none.
	version  int
	modified time.Time
}

// charsetLabel is what a page declares in its <meta> tag.
func (s *site) charsetLabel() string {
	if s.gbk {
		return "gb2312"
	}
	return "utf-8"
}

// Paths of a portal's columns, by CMS style.
func (s *site) zwgkPath() string {
	if s.style == StyleHanweb {
		return fmt.Sprintf("/col/col%d/index.html", s.zwgk)
	}
	return "/zwgk/index.html"
}

func (s *site) newsPath() string {
	if s.style == StyleHanweb {
		return fmt.Sprintf("/col/col%d/index.html", s.newsCol)
	}
	return "/xwdt/index.html"
}

func (s *site) noticesPath() string {
	if s.style == StyleHanweb {
		return fmt.Sprintf("/col/col%d/index.html", s.noticeCol)
	}
	return "/zwgk/tzgg/index.html"
}

// columnStart is the report column's first page (the form, on an xxgk
// module portal).
func (s *site) columnStart() string { return s.column + "index.html" }

// startURI is where a crawl of the portal starts.
func (s *site) startURI() string {
	if s.home {
		return "/index.html"
	}
	return s.columnStart()
}

// columnDir is the path prefix robots.txt disallows to block the column.
func (s *site) columnDir() string { return s.column }

// partToBlock is the path prefix robots.txt disallows to block part of
// the column: the directory of the oldest own report, /art/YEAR/, or the
// xxgk module.
func (s *site) partToBlock() string {
	switch {
	case s.module:
		return "/module/"
	case len(s.reports) == 0:
		return ""
	case s.style == StyleHanweb:
		return fmt.Sprintf("/art/%d/", s.reports[len(s.reports)-1].published.Year())
	}
	oldest := s.reports[0]
	for _, r := range s.reports {
		if r.stream == streamOwn && r.published.Before(oldest.published) {
			oldest = r
		}
	}
	return s.column + oldest.published.Format("200601") + "/"
}

// nav returns the banner links every page shows.
func (s *site) nav() []render.Link {
	return []render.Link{
		{Text: "首页", Href: "/index.html"},
		{Text: "新闻动态", Href: s.newsPath()},
		{Text: "政务公开", Href: s.zwgkPath()},
		{Text: "通知公告", Href: s.noticesPath()},
		{Text: s.columnText, Href: s.columnStart()},
	}
}

// notFound is the portal's 404 page.
func (s *site) notFound() response {
	return s.simple(http.StatusNotFound, "页面不存在", "<p>对不起，您访问的页面不存在或已被删除。</p><p><a href=\"/index.html\">返回首页</a></p>")
}

// route renders the page at path with query in generation gen.
func (sim *Simulator) route(s *site, path string, query url.Values, gen int) response {
	epoch := sim.epoch()
	ok := func(r response) response {
		if r.status == http.StatusOK && r.modified.IsZero() {
			r.modified = epoch
		}
		return r
	}
	switch path {
	case "/", "/index.html":
		return ok(s.homePage())
	case "/robots.txt":
		if s.robots.missing {
			return response{status: http.StatusNotFound, plain: true, body: []byte("404 page not found\n")}
		}
		return ok(response{status: http.StatusOK, plain: true, body: []byte(s.robots.text)})
	case s.zwgkPath(), strings.TrimSuffix(s.zwgkPath(), "index.html"):
		return ok(s.zwgkPage())
	case "/zwgk/xxgkzn/index.html":
		return ok(s.guide())
	case s.newsPath(), strings.TrimSuffix(s.newsPath(), "index.html"):
		return ok(s.articleList(columnNews, "新闻动态"))
	case s.noticesPath(), strings.TrimSuffix(s.noticesPath(), "index.html"):
		return ok(s.articleList(columnNotices, "通知公告"))
	case "/admin/", adminPath:
		return ok(s.simple(http.StatusOK, "后台管理", "<form method=\"post\" action=\"/admin/login.do\">用户名：<input name=\"u\"/> 密码：<input type=\"password\" name=\"p\"/></form>"))
	case s.column, s.columnStart():
		if s.module {
			return sim.moduleForm(s, gen)
		}
		k := 0
		if s.style == StyleHanweb {
			var good bool
			if k, good = sim.hanwebPage(s, query, gen); !good {
				return s.notFound()
			}
		}
		return sim.reportList(s, k, gen)
	case modulePath:
		if s.module {
			return sim.moduleReport(s, query, gen)
		}
	case downloadPath:
		if s.style == StyleHanweb {
			switch x := sim.byFile(s, query.Get("filename"), gen).(type) {
			case attachment:
				return sim.attachmentBody(s, x.r, gen)
			case *junkFile:
				return ok(x.response())
			}
		}
	}
	if s.style == StyleTRS {
		if n, found := strings.CutPrefix(path, s.column+"index_"); found {
			n, found = strings.CutSuffix(n, ".html")
			// index_1.html … index_{pages-1}.html; no index_0 or index_01.
			k, err := strconv.Atoi(n)
			if found && err == nil && k >= 1 && strconv.Itoa(k) == n && k < sim.listPages(s, gen) {
				return sim.reportList(s, k, gen)
			}
			return s.notFound()
		}
	}
	switch x := sim.byPath(s, path, gen).(type) {
	case *report:
		return sim.reportPage(s, x, gen)
	case attachment:
		return sim.attachmentBody(s, x.r, gen)
	case *junkFile:
		return ok(x.response())
	case *article:
		return ok(s.articlePage(x))
	}
	return s.notFound()
}

// byPath looks a detail, attachment, junk or article path up, among the
// first generation's and the later ones'.
func (sim *Simulator) byPath(s *site, path string, gen int) any {
	if x, ok := s.byPath[path]; ok {
		return x
	}
	for _, r := range sim.futuresAt(s, gen) {
		switch {
		case !s.module && r.path == path:
			return r
		case r.attach == path && r.attach != "":
			return attachment{r}
		}
	}
	return nil
}

// byFile looks a Hanweb download up by file name.
func (sim *Simulator) byFile(s *site, file string, gen int) any {
	if x, ok := s.byFile[file]; ok {
		return x
	}
	for _, r := range sim.futuresAt(s, gen) {
		if r.attach != "" && r.attachFile() == file {
			return attachment{r}
		}
	}
	return nil
}

// response serves a junk attachment: an OLE compound file header and
// filler, enough to look like an old Office file, not a report.
func (j *junkFile) response() response {
	body := append([]byte{}, j.magic...)
	for len(body) < 4096 {
		body = append(body, 0)
	}
	return response{status: http.StatusOK, binary: j.contentType, fileName: j.name, body: body}
}

// open starts a page with the portal's head and banner.
func (s *site) open(w *strings.Builder, title string) {
	render.PageStart(w, s.charsetLabel(), title+"_"+s.name, s.name, s.nav())
}

func (s *site) close(w *strings.Builder) { render.PageEnd(w, s.name) }

// simple is a page with a heading and some HTML.
func (s *site) simple(status int, title, bodyHTML string) response {
	var w strings.Builder
	s.open(&w, title)
	fmt.Fprintf(&w, "<h2>%s</h2>\n%s\n", html.EscapeString(title), bodyHTML)
	s.close(&w)
	return response{status: status, body: []byte(w.String())}
}

func (s *site) homePage() response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, "首页")
	fmt.Fprintf(&w, "<div class=\"block\"><h3><a href=\"%s\">新闻动态</a></h3><ul>\n", s.newsPath())
	for _, a := range s.articles {
		if a.column == columnNews {
			fmt.Fprintf(&w, "<li><a href=\"%s\">%s</a><span>%s</span></li>\n", a.path, esc(a.title), a.published.Format("2006-01-02"))
		}
	}
	fmt.Fprintf(&w, "</ul></div>\n<div class=\"block\"><h3><a href=\"%s\">政务公开</a></h3><ul>\n", s.zwgkPath())
	fmt.Fprintf(&w, "<li><a href=\"/zwgk/xxgkzn/index.html\">政府信息公开指南</a></li>\n<li><a href=\"%s\">%s</a></li>\n<li><a href=\"%s\">通知公告</a></li>\n", s.columnStart(), esc(s.columnText), s.noticesPath())
	w.WriteString("</ul></div>\n<div class=\"links\">")
	if s.countySite != nil && s.countySite.base != "" {
		fmt.Fprintf(&w, "上级政府：<a href=\"%s/index.html\" target=\"_blank\">%s</a>　", s.countySite.base, esc(s.countySite.name))
	}
	fmt.Fprintf(&w, "<a href=\"%s\">后台管理</a></div>\n", adminPath)
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String())}
}

func (s *site) zwgkPage() response {
	var w strings.Builder
	s.open(&w, "政务公开")
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; 政务公开</div>\n<ul class=\"columns\">\n<li><a href=\"/zwgk/xxgkzn/index.html\">政府信息公开指南</a></li>\n<li><a href=\"%s\">%s</a></li>\n<li><a href=\"%s\">通知公告</a></li>\n</ul>\n",
		s.columnStart(), html.EscapeString(s.columnText), s.noticesPath())
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String())}
}

// guide is the 政府信息公开指南: about disclosure requests, not a report.
func (s *site) guide() response {
	return s.simple(http.StatusOK, "政府信息公开指南", fmt.Sprintf(
		"<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p><p>公民、法人或者其他组织可以向%s提出政府信息公开申请，申请应当采用书面形式。本机关收到申请后，能够当场答复的当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。</p>",
		html.EscapeString(s.name)))
}

// listPages returns how many pages the report column has in gen.
func (sim *Simulator) listPages(s *site, gen int) int {
	return max(1, (len(sim.reportsAt(s, gen))+s.listSize-1)/s.listSize)
}

// listName returns the file name of TRS list page k: index.html,
// index_1.html…
func listName(k int) string {
	if k == 0 {
		return "index.html"
	}
	return fmt.Sprintf("index_%d.html", k)
}

// listURI returns the request URI of list page k.
func (s *site) listURI(k int) string {
	switch {
	case s.style == StyleHanweb && k > 0:
		return fmt.Sprintf("%sindex.html?uid=%d&pageNum=%d", s.column, s.uid, k+1)
	case s.style == StyleHanweb:
		return s.columnStart()
	}
	return s.column + listName(k)
}

// hanwebPage reads a Hanweb list page's number from its query: pageNum
// counts from 1, and a uid, when given, must be the column's.
func (sim *Simulator) hanwebPage(s *site, q url.Values, gen int) (int, bool) {
	if u := q.Get("uid"); q.Has("uid") && u != strconv.Itoa(s.uid) {
		return 0, false
	}
	if !q.Has("pageNum") {
		return 0, true
	}
	n := q.Get("pageNum")
	k, err := strconv.Atoi(n)
	if err != nil || strconv.Itoa(k) != n || k < 1 || k > sim.listPages(s, gen) {
		return 0, false
	}
	return k - 1, true
}

// pagerLinks returns the list pages page k of pages links to, in the
// order the pager shows them.
func (s *site) pagerLinks(k, pages int) []int {
	var out []int
	if !s.next {
		out = append(out, 0)
	}
	if k > 0 {
		out = append(out, k-1)
	}
	if k+1 < pages {
		out = append(out, k+1)
	}
	if !s.next {
		out = append(out, pages-1)
	}
	return out
}

// reportList is page k of the annual-report column.
func (sim *Simulator) reportList(s *site, k, gen int) response {
	esc := html.EscapeString
	all := sim.reportsAt(s, gen)
	var w strings.Builder
	s.open(&w, s.columnText)
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; <a href=\"%s\">政务公开</a> &gt; <a href=\"%s\">%s</a></div>\n<ul class=\"list\">\n",
		s.zwgkPath(), s.columnStart(), esc(s.columnText))
	size := s.listSize
	items := all[min(k*size, len(all)):min((k+1)*size, len(all))]
	if len(items) == 0 {
		w.WriteString("<li>暂无信息</li>\n")
	}
	for _, r := range items {
		title := r.spec.Title()
		href := r.path
		if s.style == StyleTRS {
			href = "." + strings.TrimPrefix(r.path, strings.TrimSuffix(s.column, "/"))
		}
		fmt.Fprintf(&w, "<li><a href=\"%s\" target=\"_blank\" title=\"%s\">%s</a><span class=\"date\">%s</span></li>\n",
			esc(href), esc(title), esc(title), r.published.Format("2006-01-02"))
	}
	w.WriteString("</ul>\n")
	pages := max(1, (len(all)+size-1)/size)
	switch {
	case s.next:
		w.WriteString("<div class=\"pages\">")
		if k > 0 {
			fmt.Fprintf(&w, "<a href=\"%s\">上一页</a> ", esc(s.listURI(k-1)))
		}
		if k+1 < pages {
			fmt.Fprintf(&w, "<a href=\"%s\">下一页</a>", esc(s.listURI(k+1)))
		}
		w.WriteString("</div>\n")
	case s.style == StyleHanweb:
		writeHanwebPager(&w, s, k, pages)
	default:
		writePager(&w, k, pages)
	}
	s.close(&w)
	newest := time.Time{}
	if len(all) > 0 {
		newest = all[0].published
	}
	v := sim.listVersion(s, gen)
	return response{status: http.StatusOK, body: []byte(w.String()), version: v, modified: sim.lastModified(maxTime(newest, sim.epoch()), v)}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// writePager writes TRS pagination: the createPageHTML call real sites make
// and the links it would produce.
func writePager(w *strings.Builder, k, pages int) {
	fmt.Fprintf(w, "<div class=\"page\">\n<script type=\"text/javascript\">var countPage = %d; var currentPage = %d; createPageHTML(%d, %d, \"index\", \"html\");</script>\n", pages, k, pages, k)
	fmt.Fprintf(w, "<span>共%d页</span> <a href=\"index.html\">首页</a> ", pages)
	if k > 0 {
		fmt.Fprintf(w, "<a href=\"%s\">上一页</a> ", listName(k-1))
	} else {
		w.WriteString("<span>上一页</span> ")
	}
	if k+1 < pages {
		fmt.Fprintf(w, "<a href=\"%s\">下一页</a> ", listName(k+1))
	} else {
		w.WriteString("<span>下一页</span> ")
	}
	fmt.Fprintf(w, "<a href=\"%s\">尾页</a> <span>当前第%d页</span>\n</div>\n", listName(pages-1), k+1)
}

// writeHanwebPager writes Hanweb pagination: pageNum links.
func writeHanwebPager(w *strings.Builder, s *site, k, pages int) {
	esc := html.EscapeString
	fmt.Fprintf(w, "<div class=\"default_pgContainer\" id=\"%d\">\n<span class=\"default_pgTotalPage\">共%d页</span> <a href=\"%s\">首页</a> ", s.uid, pages, esc(s.listURI(0)))
	if k > 0 {
		fmt.Fprintf(w, "<a href=\"%s\">上一页</a> ", esc(s.listURI(k-1)))
	}
	if k+1 < pages {
		fmt.Fprintf(w, "<a href=\"%s\">下一页</a> ", esc(s.listURI(k+1)))
	}
	fmt.Fprintf(w, "<a href=\"%s\">尾页</a>\n</div>\n", esc(s.listURI(pages-1)))
}

// orgs returns the bodies whose reports the portal publishes: its own and
// its departments', as (name, org code).
func (s *site) orgs() [][2]string {
	out := [][2]string{{s.name, s.orgCode}}
	for _, d := range s.depts {
		out = append(out, [2]string{d.name, d.orgCode})
	}
	return out
}

// moduleYears returns the years the xxgk module form offers in gen.
func (sim *Simulator) moduleYears(s *site, gen int) []int {
	last := sim.cfg.LastYear + len(sim.futuresAt(s, gen))
	var out []int
	for y := last; y >= sim.cfg.FirstYear; y-- {
		out = append(out, y)
	}
	return out
}

// moduleURI is the xxgk module URL of an organisation's report on year.
func moduleURI(org string, year int) string {
	return fmt.Sprintf("%s?area=%s&fbtime=%d", modulePath, org, year)
}

// moduleForm is the Hanweb xxgk module's annual-report page: a year
// selector and a link per organisation and year.
func (sim *Simulator) moduleForm(s *site, gen int) response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, s.columnText)
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; <a href=\"%s\">政务公开</a> &gt; %s</div>\n", s.zwgkPath(), esc(s.columnText))
	years := sim.moduleYears(s, gen)
	for _, org := range s.orgs() {
		fmt.Fprintf(&w, "<form name=\"nbform\" action=\"%s\" method=\"get\"><input type=\"hidden\" name=\"area\" value=\"%s\"/>%s：<select name=\"fbtime\">", modulePath, org[1], esc(org[0]))
		for _, y := range years {
			fmt.Fprintf(&w, "<option value=\"%d\">%d年</option>", y, y)
		}
		w.WriteString("</select></form>\n<ul class=\"nb-list\">\n")
		for _, y := range years {
			fmt.Fprintf(&w, "<li><a href=\"%s\" target=\"_blank\">%s%d年政府信息公开工作年度报告</a></li>\n", esc(moduleURI(org[1], y)), esc(org[0]), y)
		}
		w.WriteString("</ul>\n")
	}
	s.close(&w)
	v := sim.listVersion(s, gen)
	return response{status: http.StatusOK, body: []byte(w.String()), version: v, modified: sim.lastModified(sim.epoch(), v)}
}

// moduleReport answers xxgkAnnualReport.jsp: the report of an
// organisation and year, or a page saying there is none.
func (sim *Simulator) moduleReport(s *site, q url.Values, gen int) response {
	area, fb := q.Get("area"), q.Get("fbtime")
	year, err := strconv.Atoi(fb)
	known := false
	for _, o := range s.orgs() {
		known = known || o[1] == area
	}
	if !known || err != nil || strconv.Itoa(year) != fb || year < 2008 || year > 2100 {
		return s.notFound()
	}
	for _, r := range sim.reportsAt(s, gen) {
		if r.orgCode == area && r.spec.Year == year {
			return sim.reportPage(s, r, gen)
		}
	}
	resp := s.simple(http.StatusOK, "政府信息公开工作年度报告", fmt.Sprintf("<p>暂无%d年度政府信息公开工作年度报告。</p>", year))
	resp.modified = sim.epoch()
	return resp
}

// reportPage is a report's detail page: the report itself, or for a PDF
// or DOCX report a stub linking the attachment.
func (sim *Simulator) reportPage(s *site, r *report, gen int) response {
	doc, err := sim.build(s, r, gen)
	if err != nil { // the same report built in tests, so this does not happen
		return s.simple(http.StatusInternalServerError, "系统错误", "<p>"+html.EscapeString(err.Error())+"</p>")
	}
	var attach []render.Link
	if r.format != FormatHTML {
		doc = render.Doc{Title: doc.Title, Blocks: []render.Block{{Kind: render.Paragraph,
			Text: fmt.Sprintf("根据《中华人民共和国政府信息公开条例》规定，现将《%s》予以公布，详见附件。", doc.Title)}}}
		attach = append(attach, render.Link{Text: r.fileName, Href: r.attach})
	}
	if r.junk {
		for _, j := range s.junk {
			attach = append(attach, render.Link{Text: j.name, Href: j.path})
		}
	}
	host := s.county.Name + "融媒体中心"
	page := render.Page{
		Charset:      s.charsetLabel(),
		SiteName:     s.name,
		Nav:          s.nav(),
		Breadcrumb:   []render.Link{{Text: "首页", Href: "/index.html"}, {Text: "政务公开", Href: s.zwgkPath()}, {Text: s.columnText, Href: s.columnStart()}},
		HeaderLayout: s.layout,
		Meta: render.Meta{
			IndexNo: r.indexNo, Publisher: r.spec.Agency, Host: host, Topic: "政务公开",
			Keywords: "政府信息公开,年度报告", Generated: r.published,
		},
		Doc:         doc,
		Options:     render.HTMLOptions{WrapCells: s.wrap},
		Attachments: attach,
	}
	// A stub page stays the same when its attachment is edited.
	v := r.firstGen
	if r.format == FormatHTML {
		v = sim.version(s, r, gen)
	}
	return response{status: http.StatusOK, body: page.HTML(), version: v, modified: sim.lastModified(r.published, v)}
}

// attachmentBody renders a report's PDF or DOCX.
func (sim *Simulator) attachmentBody(s *site, r *report, gen int) response {
	v := sim.version(s, r, gen)
	modified := sim.lastModified(r.published, v)
	key := fmt.Sprintf("%d %s %d", s.idx, r.attach, v)
	body, ok := sim.cache.get(key)
	if !ok {
		doc, err := sim.build(s, r, gen)
		if err == nil {
			switch r.format {
			case FormatPDF:
				if sim.pdf == nil {
					err = fmt.Errorf("no PDF font loaded")
				} else {
					body, err = sim.pdf.Write(doc, modified)
				}
			default:
				body, err = doc.DOCX(modified)
			}
		}
		if err != nil {
			return s.simple(http.StatusInternalServerError, "系统错误", "<p>"+html.EscapeString(err.Error())+"</p>")
		}
		sim.cache.put(key, body)
	}
	ct := "application/pdf"
	if r.format == FormatDOCX {
		ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return response{status: http.StatusOK, binary: ct, fileName: r.fileName, body: body, version: v, modified: modified}
}

// articleList is a news or notice column: one page of its articles.
func (s *site) articleList(column, title string) response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, title)
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; %s</div>\n<ul class=\"list\">\n", esc(title))
	for _, a := range s.articles {
		if a.column == column {
			href := a.path
			if s.style == StyleTRS {
				href = "." + strings.TrimPrefix(a.path, "/"+column)
			}
			fmt.Fprintf(&w, "<li><a href=\"%s\" target=\"_blank\">%s</a><span class=\"date\">%s</span></li>\n", href, esc(a.title), a.published.Format("2006-01-02"))
		}
	}
	w.WriteString("</ul>\n")
	if s.style == StyleTRS {
		writePager(&w, 0, 1)
	}
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String())}
}

func (s *site) articlePage(a *article) response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, a.title)
	fmt.Fprintf(&w, "<div class=\"article\">\n<h1 class=\"title\">%s</h1>\n<div class=\"info\">发布时间：%s　来源：%s</div>\n<div class=\"TRS_Editor\">\n",
		esc(a.title), a.published.Format("2006-01-02 15:04"), esc(s.name))
	for _, p := range a.paras {
		fmt.Fprintf(&w, "<p style=\"text-indent:2em;\">%s</p>\n", esc(p))
	}
	w.WriteString("</div>\n</div>\n")
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String()), modified: a.published}
}
