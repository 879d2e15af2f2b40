package crawler

import (
	"net/url"
	"os"
	"reflect"
	"testing"
	"time"
)

func TestExtractLinks(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.9:8080/zwgk/zfxxgknb/index.html")
	body := []byte(`<html><head><link rel="next" href="index_1.html"></head><body>
<a href="./202301/t20230118_1.html#top" title="三滩镇2022年报">三滩镇
  2022年 年度报告</a>
<a href="javascript:void(0)">x</a><a href="#a">y</a><a href="mailto:a@b">z</a>
<a href="HTTP://127.0.0.9:8080/a/../b/c.html">c</a>
<iframe src="/frame.html"></iframe>
<script>createPageHTML(3, 0, "index", "shtml");</script>
</body></html>`)
	var got []string
	for _, l := range extractLinks(body, base) {
		got = append(got, l.url.String()+" | "+l.text)
	}
	want := []string{
		"http://127.0.0.9:8080/zwgk/zfxxgknb/index_1.html | 下一页",
		"http://127.0.0.9:8080/zwgk/zfxxgknb/202301/t20230118_1.html | 三滩镇2022年报 三滩镇 2022年 年度报告",
		"http://127.0.0.9:8080/b/c.html | c",
		"http://127.0.0.9:8080/frame.html | ",
		"http://127.0.0.9:8080/zwgk/zfxxgknb/index_1.shtml | 下一页",
		"http://127.0.0.9:8080/zwgk/zfxxgknb/index_2.shtml | 下一页",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extractLinks:\n%q\nwant\n%q", got, want)
	}
}

func TestScopeFollow(t *testing.T) {
	idx := newSourceIndex([]Source{{Name: "a", Level: "county", StartURLs: []string{"http://gov.test/"}}})
	sc := newScope(idx)
	home, _ := url.Parse("http://gov.test/")
	from := entry{url: home.String(), role: roleStart}
	mk := func(raw, text string) link {
		u, _ := url.Parse(raw)
		return link{url: normalize(u), text: text}
	}
	tests := []struct {
		l    link
		want bool
	}{
		{mk("http://gov.test/news/1.html", "要闻"), false},
		{mk("http://other.test/zfxxgknb/index.html", "年报"), false},
		{mk("http://gov.test/logo.png", "年报"), false},
		{mk("http://gov.test/zwgk/zfxxgknb/index.html", "政府信息公开年报"), true},
		// The column found above is now in scope, whatever the link text.
		{mk("http://gov.test/zwgk/zfxxgknb/202301/t20230118_1.html", "三滩镇"), true},
		{mk("http://gov.test/module/xxgk/xxgkAnnualReport.jsp?area=1&fbtime=2010", ""), true},
		{mk("http://gov.test/files/a.pdf", "通知"), false},
		{mk("http://gov.test/files/b.pdf", "2022年度报告"), true},
		{mk("http://gov.test/module/download/downfile.jsp?classid=0&filename=P02.docx", "附件"), false},
	}
	for _, tt := range tests {
		if _, _, got := sc.follow(from, home, tt.l); got != tt.want {
			t.Errorf("follow(%s %q) = %v, want %v", tt.l.url, tt.l.text, got, tt.want)
		}
	}
	// From a report page every attachment is followed, whatever its path
	// looks like.
	report := entry{url: "http://gov.test/art/2023/1/1/art_9_1.html", role: roleReport, depth: 2}
	ru, _ := url.Parse(report.url)
	for _, l := range []link{
		mk("http://gov.test/module/download/downfile.jsp?classid=0&filename=P02.docx&showname=x", "附件"),
		mk("http://gov.test/picture/0/a.wps", "下载"),
		mk("http://gov.test/download?id=7", "统计表.xlsx"),
	} {
		ro, depth, ok := sc.follow(report, ru, l)
		if !ok || ro != roleFile || depth != 3 {
			t.Errorf("follow(%s) from a report = %c, %d, %v; want an attachment at depth 3", l.url, ro, depth, ok)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"-1", 0},
		{"Thu, 01 Jan 2026 00:00:30 GMT", 30 * time.Second},
		{"Wed, 31 Dec 2025 00:00:00 GMT", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// BenchmarkExtractLinks reads the links of a 20 KB column page from the
// simulator's benchmark profile.
func BenchmarkExtractLinks(b *testing.B) {
	body, err := os.ReadFile("testdata/list-20k.html")
	if err != nil {
		b.Fatal(err)
	}
	base, _ := url.Parse("http://127.0.1.7:8080/zwgk/zfxxgknb/index_2.html")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if len(extractLinks(body, base)) == 0 {
			b.Fatal("no links")
		}
	}
}

// BenchmarkFollow decides the links of the same page.
func BenchmarkFollow(b *testing.B) {
	body, err := os.ReadFile("testdata/list-20k.html")
	if err != nil {
		b.Fatal(err)
	}
	base, _ := url.Parse("http://127.0.1.7:8080/zwgk/zfxxgknb/index_2.html")
	links := extractLinks(body, base)
	sc := newScope(newSourceIndex([]Source{{Name: "a", Level: "county", StartURLs: []string{base.String()}}}))
	from := entry{url: base.String(), role: roleColumn, depth: 1}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range links {
			sc.follow(from, base, l)
		}
	}
}
