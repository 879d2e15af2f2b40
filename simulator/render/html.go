package render

import (
	"strconv"
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
	d.writeHTML(&w, o)
	return w.String()
}

// writeHTML writes what HTML returns.
func (d Doc) writeHTML(w *strings.Builder, o HTMLOptions) {
	for _, b := range d.Blocks {
		switch b.Kind {
		case Heading:
			w.WriteString("<p style=\"text-indent:2em;\"><strong>")
			writeEscaped(w, b.Text, false)
			w.WriteString("</strong></p>\n")
		case Paragraph:
			w.WriteString("<p style=\"text-indent:2em;\">")
			writeEscaped(w, b.Text, false)
			w.WriteString("</p>\n")
		case TableBlock:
			writeTable(w, b.Table, o)
		}
	}
}

func writeTable(w *strings.Builder, t *Table, o HTMLOptions) {
	w.WriteString("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse:collapse;\">\n<tbody>\n")
	for _, row := range t.Rows {
		w.WriteString("<tr>")
		for _, c := range row {
			w.WriteString("<td")
			if c.RowSpan > 1 {
				w.WriteString(" rowspan=\"")
				w.WriteString(strconv.Itoa(c.RowSpan))
				w.WriteByte('"')
			}
			if c.ColSpan > 1 {
				w.WriteString(" colspan=\"")
				w.WriteString(strconv.Itoa(c.ColSpan))
				w.WriteByte('"')
			}
			w.WriteString(" valign=\"center\">")
			if o.WrapCells {
				w.WriteString("<p align=\"center\" style=\"text-align:center;\"><span style=\"font-family:宋体;font-size:14px;\">")
				writeEscaped(w, c.Text, true)
				w.WriteString("</span></p>")
			} else {
				writeEscaped(w, c.Text, true)
			}
			w.WriteString("</td>")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n</table>\n")
}

// writeEscaped writes s to w escaped as html.EscapeString escapes it, and
// with br each line break as <br/>. Pages are rendered for every request,
// so this writes in place rather than building escaped copies.
func writeEscaped(w *strings.Builder, s string, br bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\n':
			if !br {
				continue
			}
			rep = "<br/>"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(rep)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// writeLink writes <a href="href">text</a>, both escaped.
func writeLink(w *strings.Builder, l Link) {
	w.WriteString("<a href=\"")
	writeEscaped(w, l.Href, false)
	w.WriteString("\">")
	writeEscaped(w, l.Text, false)
	w.WriteString("</a>")
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
	w.Grow(8 << 10)
	PageStart(&w, p.Charset, p.Doc.Title+"_"+p.SiteName, p.SiteName, p.Nav)
	w.WriteString("<div class=\"position\">当前位置：")
	for i, l := range p.Breadcrumb {
		if i > 0 {
			w.WriteString(" &gt; ")
		}
		writeLink(&w, l)
	}
	w.WriteString("</div>\n")
	m := p.Meta
	date := m.Generated.Format("2006-01-02")
	// fields writes parts, escaping the odd ones (the values between the
	// fixed markup).
	fields := func(parts ...string) {
		for i, s := range parts {
			if i%2 == 0 {
				w.WriteString(s)
			} else {
				writeEscaped(&w, s, false)
			}
		}
	}
	switch p.HeaderLayout % headerLayouts {
	case HeaderInline:
		fields("<div class=\"xxgk_head\">\n<span>索  引  号: ", m.IndexNo, "</span> <span>生成日期: "+date+"</span><br/>\n<span>文       号: ", m.DocNo,
			"</span> <span>关键字: ", m.Keywords, "</span><br/>\n<span>所属机构: ", m.Host, "</span> <span>发布机构:</span><br/>\n<span>", m.Publisher,
			"</span><br/>\n<span>发布时间:"+m.Generated.Format("2006-01-02 15:04")+"</span>\n</div>\n")
	default:
		fields("<table class=\"xxgk_table\" border=\"1\" cellspacing=\"0\">\n<tr><th>索 引 号：</th><td>", m.IndexNo, "</td><th>主题分类：</th><td>", m.Topic,
			"</td></tr>\n<tr><th>发布机构：</th><td>", m.Publisher, "</td><th>生成日期：</th><td>"+date+"</td></tr>\n<tr><th>文　　号：</th><td>", m.DocNo,
			"</td><th>关 键 字：</th><td>", m.Keywords, "</td></tr>\n<tr><th>标　　题：</th><td colspan=\"3\">", p.Doc.Title, "</td></tr>\n</table>\n")
	}
	fields("<div class=\"article\">\n<h1 class=\"title\">", p.Doc.Title, "</h1>\n<div class=\"info\">发布时间："+m.Generated.Format("2006-01-02 15:04")+"　来源：", m.Publisher,
		"</div>\n<div class=\"TRS_Editor\">\n")
	p.Doc.writeHTML(&w, p.Options)
	w.WriteString("</div>\n</div>\n")
	if len(p.Attachments) > 0 {
		w.WriteString("<div class=\"attachments\">\n")
		for i, l := range p.Attachments {
			label := "附件："
			if i > 0 {
				label = "　　　"
			}
			w.WriteString("<p>")
			w.WriteString(label)
			fields("<a href=\"", l.Href, "\" target=\"_blank\">", l.Text, "</a></p>\n")
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
	w.WriteString("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=")
	writeEscaped(w, charset, false)
	w.WriteString("\" />\n<title>")
	writeEscaped(w, title, false)
	w.WriteString("</title>\n</head>\n<body>\n<div class=\"header\"><div class=\"logo\">")
	writeEscaped(w, siteName, false)
	w.WriteString("</div>\n<ul class=\"nav\">")
	for _, l := range nav {
		w.WriteString("<li>")
		writeLink(w, l)
		w.WriteString("</li>")
	}
	w.WriteString("</ul></div>\n<div class=\"main\">\n")
}

// PageEnd writes the footer every page of a portal shares and closes the
// document PageStart began.
func PageEnd(w *strings.Builder, siteName string) {
	w.WriteString("</div>\n<div class=\"footer\">主办单位：")
	writeEscaped(w, siteName, false)
	w.WriteString("　技术支持：县融媒体中心</div>\n</body>\n</html>\n")
}
