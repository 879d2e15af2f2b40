package simulator

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/simulator/render"
)

// Paths every portal serves.
const (
	reportColumn = "/zwgk/zfxxgknb/"
	startPath    = reportColumn + "index.html"
	adminPath    = "/admin/login.html"
)

// response is a page as the site would send it, before charset encoding.
type response struct {
	status int
	// plain marks a text/plain body (robots.txt); others are HTML.
	plain bool
	body  []byte
}

// charsetLabel is what a page declares in its <meta> tag.
func (s *site) charsetLabel() string {
	if s.gbk {
		return "gb2312"
	}
	return "utf-8"
}

// nav returns the banner links every page shows.
func nav() []render.Link {
	return []render.Link{
		{Text: "首页", Href: "/index.html"},
		{Text: "新闻动态", Href: "/xwdt/index.html"},
		{Text: "政务公开", Href: "/zwgk/index.html"},
		{Text: "通知公告", Href: "/zwgk/tzgg/index.html"},
		{Text: "政府信息公开年报", Href: startPath},
	}
}

// route renders the page at path. It is a pure function of the site.
func (s *site) route(path string) response {
	switch path {
	case "/", "/index.html":
		return s.home()
	case "/robots.txt":
		return response{status: http.StatusOK, plain: true, body: []byte(robotsTxt)}
	case "/zwgk/", "/zwgk/index.html":
		return s.zwgk()
	case "/zwgk/xxgkzn/index.html":
		return s.guide()
	case "/xwdt/", "/xwdt/index.html":
		return s.articleList(columnNews, "新闻动态")
	case "/zwgk/tzgg/", "/zwgk/tzgg/index.html":
		return s.articleList(columnNotices, "通知公告")
	case "/admin/", adminPath:
		return s.simple(http.StatusOK, "后台管理", "<form method=\"post\" action=\"/admin/login.do\">用户名：<input name=\"u\"/> 密码：<input type=\"password\" name=\"p\"/></form>")
	case reportColumn, startPath:
		return s.reportList(0)
	}
	if n, ok := strings.CutPrefix(path, reportColumn+"index_"); ok {
		n, ok = strings.CutSuffix(n, ".html")
		// index_1.html … index_{pages-1}.html; no index_0 or index_01.
		if k, err := strconv.Atoi(n); ok && err == nil && k >= 1 && k < s.listPages() && strconv.Itoa(k) == n {
			return s.reportList(k)
		}
	}
	switch x := s.byPath[path].(type) {
	case *report:
		return s.reportPage(x)
	case *article:
		return s.articlePage(x)
	}
	return s.simple(http.StatusNotFound, "页面不存在", "<p>对不起，您访问的页面不存在或已被删除。</p><p><a href=\"/index.html\">返回首页</a></p>")
}

// robotsTxt allows the public columns and disallows the admin area.
const robotsTxt = "User-agent: *\nAllow: /zwgk/\nAllow: /xwdt/\nDisallow: /admin/\n"

// open starts a page with the portal's head and banner.
func (s *site) open(w *strings.Builder, title string) {
	render.PageStart(w, s.charsetLabel(), title+"_"+s.name, s.name, nav())
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

func (s *site) home() response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, "首页")
	w.WriteString("<div class=\"block\"><h3><a href=\"/xwdt/index.html\">新闻动态</a></h3><ul>\n")
	for _, a := range s.articles {
		if a.column == columnNews {
			fmt.Fprintf(&w, "<li><a href=\"%s\">%s</a><span>%s</span></li>\n", a.path, esc(a.title), a.published.Format("2006-01-02"))
		}
	}
	w.WriteString("</ul></div>\n<div class=\"block\"><h3><a href=\"/zwgk/index.html\">政务公开</a></h3><ul>\n")
	fmt.Fprintf(&w, "<li><a href=\"/zwgk/xxgkzn/index.html\">政府信息公开指南</a></li>\n<li><a href=\"%s\">政府信息公开年报</a></li>\n<li><a href=\"/zwgk/tzgg/index.html\">通知公告</a></li>\n", startPath)
	w.WriteString("</ul></div>\n<div class=\"links\">")
	if s.countySite != nil && s.countySite.base != "" {
		fmt.Fprintf(&w, "上级政府：<a href=\"%s/index.html\" target=\"_blank\">%s</a>　", s.countySite.base, esc(s.countySite.name))
	}
	fmt.Fprintf(&w, "<a href=\"%s\">后台管理</a></div>\n", adminPath)
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String())}
}

func (s *site) zwgk() response {
	var w strings.Builder
	s.open(&w, "政务公开")
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; 政务公开</div>\n<ul class=\"columns\">\n<li><a href=\"/zwgk/xxgkzn/index.html\">政府信息公开指南</a></li>\n<li><a href=\"%s\">政府信息公开年报</a></li>\n<li><a href=\"/zwgk/tzgg/index.html\">通知公告</a></li>\n</ul>\n", startPath)
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String())}
}

// guide is the 政府信息公开指南: about disclosure requests, not a report.
func (s *site) guide() response {
	return s.simple(http.StatusOK, "政府信息公开指南", fmt.Sprintf(
		"<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p><p>公民、法人或者其他组织可以向%s提出政府信息公开申请，申请应当采用书面形式。本机关收到申请后，能够当场答复的当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。</p>",
		html.EscapeString(s.name)))
}

// listPages returns how many pages the report column has.
func (s *site) listPages() int {
	return max(1, (len(s.reports)+s.listSize-1)/s.listSize)
}

// listName returns the file name of list page k: index.html, index_1.html…
func listName(k int) string {
	if k == 0 {
		return "index.html"
	}
	return fmt.Sprintf("index_%d.html", k)
}

// reportList is page k of the annual-report column, TRS style.
func (s *site) reportList(k int) response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, "政府信息公开年报")
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; <a href=\"/zwgk/index.html\">政务公开</a> &gt; <a href=\"%s\">政府信息公开年报</a></div>\n<ul class=\"list\">\n", startPath)
	size := s.listSize
	items := s.reports[min(k*size, len(s.reports)):min((k+1)*size, len(s.reports))]
	if len(items) == 0 {
		w.WriteString("<li>暂无信息</li>\n")
	}
	for _, r := range items {
		title := r.spec.Title()
		fmt.Fprintf(&w, "<li><a href=\".%s\" target=\"_blank\" title=\"%s\">%s</a><span class=\"date\">%s</span></li>\n",
			strings.TrimPrefix(r.path, strings.TrimSuffix(reportColumn, "/")), esc(title), esc(title), r.published.Format("2006-01-02"))
	}
	w.WriteString("</ul>\n")
	writePager(&w, k, s.listPages())
	s.close(&w)
	return response{status: http.StatusOK, body: []byte(w.String())}
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

func (s *site) reportPage(r *report) response {
	doc, err := render.Build(r.spec)
	if err != nil { // built once already in newSite, so this does not happen
		return s.simple(http.StatusInternalServerError, "系统错误", "<p>"+html.EscapeString(err.Error())+"</p>")
	}
	host := s.county.Name + "融媒体中心"
	page := render.Page{
		Charset:      s.charsetLabel(),
		SiteName:     s.name,
		Nav:          nav(),
		Breadcrumb:   []render.Link{{Text: "首页", Href: "/index.html"}, {Text: "政务公开", Href: "/zwgk/index.html"}, {Text: "政府信息公开年报", Href: startPath}},
		HeaderLayout: s.layout,
		Meta: render.Meta{
			IndexNo: r.indexNo, Publisher: s.name, Host: host, Topic: "政务公开",
			Keywords: "政府信息公开,年度报告", Generated: r.published,
		},
		Doc:     doc,
		Options: render.HTMLOptions{WrapCells: s.wrap},
	}
	return response{status: http.StatusOK, body: page.HTML()}
}

// articleList is a news or notice column: one page of its articles.
func (s *site) articleList(column, title string) response {
	esc := html.EscapeString
	var w strings.Builder
	s.open(&w, title)
	fmt.Fprintf(&w, "<div class=\"position\">当前位置：<a href=\"/index.html\">首页</a> &gt; %s</div>\n<ul class=\"list\">\n", esc(title))
	for _, a := range s.articles {
		if a.column == column {
			fmt.Fprintf(&w, "<li><a href=\".%s\" target=\"_blank\">%s</a><span class=\"date\">%s</span></li>\n",
				strings.TrimPrefix(a.path, "/"+column), esc(a.title), a.published.Format("2006-01-02"))
		}
	}
	w.WriteString("</ul>\n")
	writePager(&w, 0, 1)
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
	return response{status: http.StatusOK, body: []byte(w.String())}
}
