package crawler

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

// fetched returns the request URIs a site answered, sorted.
func (s *site) fetched() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for p := range s.starts {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// A Hanweb portal crawled from its home page: the column is two hops
// away, its entries sit in a <script type="text/xml"> data store, pages
// go by pageNum, reports link attachments, and the annual-report module
// is enumerated by year.
func TestDiscoveryHanwebFromHomePage(t *testing.T) {
	record := func(href, title string) string {
		return fmt.Sprintf(`<record><![CDATA[<li><a href="%s" title="%s" target="_blank">%s</a><span>2023-01-18</span></li>]]></record>`, href, title, title)
	}
	routes := map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: *\nDisallow: /admin/\n"),
		"/": page(`<a href="/">首页</a><a href="/col/col1/index.html">新闻动态</a><a href="/xxgk/index.html">政府信息公开</a>
<a href="/admin/login.html">管理</a><img src="/logo.png">`),
		"/xxgk/index.html": page(`<a href="/">首页</a><a href="/col/col2/index.html">通知公告</a>
<a href="/col/col1229/index.html">政府信息公开年报</a>`),
		"/col/col1229/index.html": page(`<div id="list"><script type="text/xml"><datastore><recordset>` +
			record("/art/2023/1/18/art_1229_101.html", "三滩镇2022年政府信息公开工作年度报告") +
			record("/art/2022/1/20/art_1229_100.html", "三滩镇2021年政府信息公开工作年度报告") +
			`</recordset></datastore></script></div><a href="/col/col1229/index.html?uid=5&amp;pageNum=2">下一页</a>`),
		"/col/col1229/index.html?pageNum=2&uid=5": page(`<script type="text/xml"><datastore><recordset>` +
			record("/art/2021/1/25/art_1229_99.html", "2020年政府信息公开工作年度报告") +
			`</recordset></datastore></script><a href="/col/col1229/index.html">首页</a>
<a href="/module/xxgk/xxgkAnnualReport.jsp?area=11370883004325769B&amp;fbtime=2019">2019年度报告</a>`),
		"/art/2023/1/18/art_1229_101.html": page(`报告正文 <a href="/picture/0/2301.docx">附件：报告.docx</a><a href="/picture/0/2301.wps">WPS版</a>
<img src="/picture/0/x.png"><a href="/art/2022/1/20/art_1229_100.html">上一篇</a><a href="/col/col1/index.html">新闻动态</a>`),
		"/art/2022/1/20/art_1229_100.html": page(`报告正文 <a href="/picture/0/2201.pdf">下载</a>`),
		"/art/2021/1/25/art_1229_99.html":  page(`报告正文 <a href="/picture/0/2101.xlsx">统计表</a>`),
		"/module/xxgk/xxgkAnnualReport.jsp": func(w http.ResponseWriter, r *http.Request) {
			if y := r.URL.Query().Get("fbtime"); y == "2019" || y == "2016" {
				page("年度报告 "+y)(w, r)
				return
			}
			http.NotFound(w, r)
		},
		"/picture/0/2301.docx": text("docx"),
		"/picture/0/2301.wps":  text("wps"),
		"/picture/0/2201.pdf":  text("%PDF"),
		"/picture/0/2101.xlsx": text("xlsx"),
		"/col/col1/index.html": page(`<a href="/art/2023/1/1/art_1_1.html">新闻</a>`),
	}
	s, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.Delay = 0
	cfg.ReportYears = 10
	crawl(t, cfg, RunOptions{}, src(srv.URL+"/"))

	got := s.fetched()
	for _, want := range []string{
		"/art/2023/1/18/art_1229_101.html", "/art/2022/1/20/art_1229_100.html", "/art/2021/1/25/art_1229_99.html",
		"/picture/0/2301.docx", "/picture/0/2301.wps", "/picture/0/2201.pdf", "/picture/0/2101.xlsx",
		"/col/col1229/index.html?pageNum=2&uid=5",
		"/module/xxgk/xxgkAnnualReport.jsp?area=11370883004325769B&fbtime=2019",
		"/module/xxgk/xxgkAnnualReport.jsp?area=11370883004325769B&fbtime=2016",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("%s not fetched", want)
		}
	}
	for _, p := range got {
		if strings.Contains(p, "col1/") || strings.Contains(p, "col2/") || strings.Contains(p, "admin") || strings.HasSuffix(p, ".png") {
			t.Errorf("fetched %s, which leads to no report", p)
		}
	}
	if t.Failed() {
		t.Logf("fetched:\n%s", strings.Join(got, "\n"))
	}
}

// A column whose pages only link the next one ("下一页") is followed to
// its end whatever the depth limit: pagination does not deepen a crawl.
func TestDiscoveryNextPageChain(t *testing.T) {
	routes := map[string]http.HandlerFunc{"/robots.txt": text("")}
	const pages = 9
	for i := range pages {
		name := "index.html"
		if i > 0 {
			name = fmt.Sprintf("index_%d.html", i)
		}
		body := fmt.Sprintf(`<a href="/">首页</a><a href="./%d/t%d.html">通知 %d</a><a href="%d/t%d_1.html">2022年度 %d</a>`, i, i, i, i, i, i)
		if i+1 < pages {
			body += fmt.Sprintf(`<a href="index_%d.html">下一页</a>`, i+1)
		}
		routes["/xxgk/ndbg/"+name] = page(body)
		routes[fmt.Sprintf("/xxgk/ndbg/%d/t%d_1.html", i, i)] = page("报告")
	}
	routes["/"] = page(`<a href="/xxgk/ndbg/index.html">年度报告</a>`)
	s, srv := newSite(routes)
	defer srv.Close()
	cfg := testConfig()
	cfg.Delay = 0
	cfg.MaxDepth = 3
	crawl(t, cfg, RunOptions{}, src(srv.URL+"/"))
	for i := range pages {
		if p := fmt.Sprintf("/xxgk/ndbg/%d/t%d_1.html", i, i); s.count(p) != 1 {
			t.Errorf("%s fetched %d times, want once", p, s.count(p))
		}
	}
}

func TestNormalizeDedup(t *testing.T) {
	base, _ := normalizeString("http://Gov.Test:80/a/./b/../c.html;jsessionid=ABC?b=2&a=1#x")
	if base != "http://gov.test/a/c.html?a=1&b=2" {
		t.Errorf("normalize = %s", base)
	}
}

func normalizeString(raw string) (string, error) {
	u, err := parseStartURL(raw)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}
