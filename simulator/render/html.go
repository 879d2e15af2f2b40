package render

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// HTMLOptions are the editor habits an HTML rendering imitates.
type HTMLOptions struct {
	// WrapCells writes each table cell's text inside <p><span>, with inline
	// styles, as word-processor pastes into TRS editors do.
	WrapCells bool
}

// HTML returns the report body as an HTML fragment: the content of the
// detail page's article element (the title is not included).
func (d Doc) HTML(o HTMLOptions) string {
	var w strings.Builder
	for _, b := range d.Blocks {
		switch b.Kind {
		case Heading:
			fmt.Fprintf(&w, "<p style=\"text-indent:2em;\"><strong>%s</strong></p>\n", html.EscapeString(b.Text))
		case Paragraph:
			fmt.Fprintf(&w, "<p style=\"text-indent:2em;\">%s</p>\n", html.EscapeString(b.Text))
		case TableBlock:
			writeTable(&w, b.Table, o)
		}
	}
	return w.String()
}

func writeTable(w *strings.Builder, t *Table, o HTMLOptions) {
	w.WriteString("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse:collapse;\">\n<tbody>\n")
	for _, row := range t.Rows {
		w.WriteString("<tr>")
		for _, c := range row {
			w.WriteString("<td")
			if c.RowSpan > 1 {
				fmt.Fprintf(w, " rowspan=\"%d\"", c.RowSpan)
			}
			if c.ColSpan > 1 {
				fmt.Fprintf(w, " colspan=\"%d\"", c.ColSpan)
			}
			w.WriteString(" valign=\"center\">")
			text := strings.ReplaceAll(html.EscapeString(c.Text), "\n", "<br/>")
			if o.WrapCells {
				fmt.Fprintf(w, "<p align=\"center\" style=\"text-align:center;\"><span style=\"font-family:宋体;font-size:14px;\">%s</span></p>", text)
			} else {
				w.WriteString(text)
			}
			w.WriteString("</td>")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n</table>\n")
}

// Link is a hyperlink.
type Link struct {
	Text, Href string
}

// Meta is the metadata header of a detail page (spec/domain.md §5.1).
type Meta struct {
	// IndexNo is the 索引号, e.g. "11620421013913016X/2022-00012".
	IndexNo string
	// Publisher is the 发布机构.
	Publisher string
	// Host is the 所属机构 some portals show: the office running the site,
	// e.g. "靖远县融媒体中心".
	Host string
	// Topic is the 主题分类, e.g. "政务公开".
	Topic string
	// DocNo is the 文号; usually empty for annual reports.
	DocNo string
	// Keywords is the 关键字 field.
	Keywords string
	// Generated is the 生成日期 and 发布时间.
	Generated time.Time
}

// Header layouts of a detail page's metadata.
const (
	// HeaderTable is a bordered 索引号 table, two fields a row.
	HeaderTable = iota
	// HeaderInline is the label: value run of corpus 000 (索  引  号: … 生成日期: …).
	HeaderInline
	headerLayouts
)

// Page is a whole report detail page.
type Page struct {
	// Charset is the label the page declares in its <meta> Content-Type, e.g.
	// "utf-8" or "gb2312". The bytes Page returns are UTF-8 whatever it says:
	// encoding is the server's job.
	Charset string
	// SiteName is the portal's name in the banner, e.g. "三滩镇人民政府".
	SiteName string
	// Nav are the banner's links.
	Nav []Link
	// Breadcrumb is the 当前位置 trail, home first.
	Breadcrumb []Link
	// HeaderLayout is HeaderTable or HeaderInline.
	HeaderLayout int
	Meta         Meta
	Doc          Doc
	// Options shape the body's HTML.
	Options HTMLOptions
	// Attachments are listed after the body as 附件 links, e.g. the PDF
	// a stub page publishes.
	Attachments []Link
}

// HTML returns the page as UTF-8 HTML.
func (p Page) HTML() []byte {
	var w strings.Builder
	esc := html.EscapeString
	PageStart(&w, p.Charset, p.Doc.Title+"_"+p.SiteName, p.SiteName, p.Nav)
	w.WriteString("<div class=\"position\">当前位置：")
	for i, l := range p.Breadcrumb {
		if i > 0 {
			w.WriteString(" &gt; ")
		}
		fmt.Fprintf(&w, "<a href=\"%s\">%s</a>", esc(l.Href), esc(l.Text))
	}
	w.WriteString("</div>\n")
	m := p.Meta
	date := m.Generated.Format("2006-01-02")
	switch p.HeaderLayout % headerLayouts {
	case HeaderInline:
		fmt.Fprintf(&w, "<div class=\"xxgk_head\">\n<span>索  引  号: %s</span> <span>生成日期: %s</span><br/>\n<span>文       号: %s</span> <span>关键字: %s</span><br/>\n<span>所属机构: %s</span> <span>发布机构:</span><br/>\n<span>%s</span><br/>\n<span>发布时间:%s</span>\n</div>\n",
			esc(m.IndexNo), date, esc(m.DocNo), esc(m.Keywords), esc(m.Host), esc(m.Publisher), m.Generated.Format("2006-01-02 15:04"))
	default:
		fmt.Fprintf(&w, "<table class=\"xxgk_table\" border=\"1\" cellspacing=\"0\">\n<tr><th>索 引 号：</th><td>%s</td><th>主题分类：</th><td>%s</td></tr>\n<tr><th>发布机构：</th><td>%s</td><th>生成日期：</th><td>%s</td></tr>\n<tr><th>文　　号：</th><td>%s</td><th>关 键 字：</th><td>%s</td></tr>\n<tr><th>标　　题：</th><td colspan=\"3\">%s</td></tr>\n</table>\n",
			esc(m.IndexNo), esc(m.Topic), esc(m.Publisher), date, esc(m.DocNo), esc(m.Keywords), esc(p.Doc.Title))
	}
	fmt.Fprintf(&w, "<div class=\"article\">\n<h1 class=\"title\">%s</h1>\n<div class=\"info\">发布时间：%s　来源：%s</div>\n<div class=\"TRS_Editor\">\n%s</div>\n</div>\n",
		esc(p.Doc.Title), m.Generated.Format("2006-01-02 15:04"), esc(m.Publisher), p.Doc.HTML(p.Options))
	if len(p.Attachments) > 0 {
		w.WriteString("<div class=\"attachments\">\n")
		for i, l := range p.Attachments {
			label := "附件："
			if i > 0 {
				label = "　　　"
			}
			fmt.Fprintf(&w, "<p>%s<a href=\"%s\" target=\"_blank\">%s</a></p>\n", label, esc(l.Href), esc(l.Text))
		}
		w.WriteString("</div>\n")
	}
	w.WriteString("<div class=\"tools\"><a href=\"javascript:window.print()\">打印本页</a> <a href=\"javascript:window.close()\">关闭窗口</a></div>\n")
	PageEnd(&w, p.SiteName)
	return []byte(w.String())
}

// PageStart writes the head and banner every page of a portal shares: the
// Content-Type <meta> declaring charset, the title, the site name and the
// navigation links.
func PageStart(w *strings.Builder, charset, title, siteName string, nav []Link) {
	esc := html.EscapeString
	fmt.Fprintf(w, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\" />\n<title>%s</title>\n</head>\n<body>\n", esc(charset), esc(title))
	fmt.Fprintf(w, "<div class=\"header\"><div class=\"logo\">%s</div>\n<ul class=\"nav\">", esc(siteName))
	for _, l := range nav {
		fmt.Fprintf(w, "<li><a href=\"%s\">%s</a></li>", esc(l.Href), esc(l.Text))
	}
	w.WriteString("</ul></div>\n<div class=\"main\">\n")
}

// PageEnd writes the footer every page of a portal shares and closes the
// document PageStart began.
func PageEnd(w *strings.Builder, siteName string) {
	fmt.Fprintf(w, "</div>\n<div class=\"footer\">主办单位：%s　技术支持：县融媒体中心</div>\n</body>\n</html>\n", html.EscapeString(siteName))
}
