package archive_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/nianbao/nianbao/archive"
)

// Example archives one exchange, then finds it again by its Location and by
// scanning the directory, as a reparse does.
func Example() {
	dir, err := os.MkdirTemp("", "archive-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	cfg := archive.DefaultConfig()
	cfg.Dir = dir
	w, err := archive.NewWriter(cfg, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	loc, err := w.Write(ctx, archive.Exchange{
		URL:           "http://127.0.0.1/2025/report.html",
		Method:        http.MethodGet,
		RequestHeader: http.Header{"User-Agent": {"nianbao"}},
		FetchedAt:     time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		Status:        http.StatusOK,
		Proto:         "HTTP/1.1",
		Header:        http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:          []byte("<h1>2025年政府信息公开工作年度报告</h1>"),
		IP:            "127.0.0.1",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	rec, err := archive.ReadRecord(filepath.Join(dir, loc.File), loc.Offset)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Type, rec.Status, rec.TargetURI, rec.Date.Format(time.RFC3339))
	fmt.Println(rec.Header.Get("Content-Length"), rec.PayloadDigest == archive.PayloadDigest(rec.Body))

	err = archive.Scan(ctx, dir, func(r *archive.Record) error {
		fmt.Printf("%t %s\n", r.RecordID == loc.RecordID, r.Body)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// response 200 http://127.0.0.1/2025/report.html 2026-03-01T09:30:00Z
	// 52 true
	// true <h1>2025年政府信息公开工作年度报告</h1>
}
