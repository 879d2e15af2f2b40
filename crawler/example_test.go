package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao/crawler"
)

// paths is a Sink that keeps the path and status of every capture.
type paths struct {
	mu  sync.Mutex
	got []string
}

func (p *paths) Capture(_ context.Context, c *crawler.Capture) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, fmt.Sprintf("%s %d %s", c.URL[strings.Index(c.URL[7:], "/")+7:], c.Status, c.Kind))
	return nil
}

// A portal's home page leads to its annual-report column, whose report
// links an attachment; robots.txt is read first and the news is left alone.
func Example() {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body>"+body+"</body></html>")
		}
	}
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n") })
	mux.HandleFunc("/{$}", page(`<a href="/xwdt/">新闻</a><a href="/zwgk/zfxxgknb/">政府信息公开年报</a><a href="/admin/">管理</a>`))
	mux.HandleFunc("/zwgk/zfxxgknb/{$}", page(`<a href="202401/t20240126_1.html">2023年政府信息公开工作年度报告</a>`))
	mux.HandleFunc("/zwgk/zfxxgknb/202401/t20240126_1.html", page(`详见附件：<a href="P0201.pdf">年度报告.pdf</a>`))
	mux.HandleFunc("/zwgk/zfxxgknb/202401/P0201.pdf", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.7")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cfg := crawler.DefaultConfig()
	cfg.Delay = 10 * time.Millisecond
	sink := &paths{}
	c, err := crawler.New(cfg, sink, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	src := crawler.Source{Name: "三滩镇人民政府", Level: "township", StartURLs: []string{srv.URL + "/"}}
	sum, err := c.Run(context.Background(), []crawler.Source{src}, crawler.RunOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	sort.Strings(sink.got)
	for _, p := range sink.got {
		fmt.Println(p)
	}
	fmt.Println(sum.Pages, "pages")
	// Output:
	// / 200 page
	// /robots.txt 200 robots
	// /zwgk/zfxxgknb/ 200 page
	// /zwgk/zfxxgknb/202401/P0201.pdf 200 attachment
	// /zwgk/zfxxgknb/202401/t20240126_1.html 200 page
	// 4 pages
}
