package archive

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// reportHTML returns about n bytes of report-like HTML: a table of Chinese
// labels and figures, as compressible as the real pages.
func reportHTML(n int) []byte {
	var b strings.Builder
	b.WriteString("<html><head><meta charset=\"utf-8\"><title>2025年政府信息公开工作年度报告</title></head><body><table>")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "<tr><td>第%d项 主动公开政府信息情况</td><td>%d</td><td>%d</td></tr>\n", i, i*37%1000, i*101%977)
	}
	b.WriteString("</table></body></html>")
	return []byte(b.String())
}

func benchBodies() []struct {
	name string
	body []byte
} {
	return []struct {
		name string
		body []byte
	}{
		{"html-20KiB", reportHTML(20 << 10)},
		{"html-32KiB", reportHTML(32 << 10)},
		{"pdf-1MiB", binaryBody(1<<20, 9)},
	}
}

func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	for _, bb := range benchBodies() {
		b.Run(bb.name, func(b *testing.B) {
			w := newTestWriter(b, testConfig(b))
			ex := htmlExchange("http://127.0.0.1/bench", bb.body)
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.Write(ctx, ex); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
		})
		b.Run(bb.name+"-parallel", func(b *testing.B) {
			w := newTestWriter(b, testConfig(b))
			ex := htmlExchange("http://127.0.0.1/bench", bb.body)
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := w.Write(ctx, ex); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
		})
	}
}

func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	for _, bb := range benchBodies() {
		b.Run(bb.name, func(b *testing.B) {
			cfg := testConfig(b)
			w := newTestWriter(b, cfg)
			const n = 50
			for range n {
				if _, err := w.Write(ctx, htmlExchange("http://127.0.0.1/bench", bb.body)); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(n * len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				got := 0
				if err := Scan(ctx, cfg.Dir, func(*Record) error { got++; return nil }); err != nil || got != n {
					b.Fatalf("Scan = %v with %d records", err, got)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkWriteLevels writes a 20 KiB report page at each compression
// level and reports the bytes written per exchange, for choosing
// Config.CompressionLevel.
func BenchmarkWriteLevels(b *testing.B) {
	ctx := context.Background()
	body := reportHTML(20 << 10)
	for _, level := range []int{1, 2, 3, 4, 5, 6, 9} {
		b.Run(fmt.Sprintf("level-%d", level), func(b *testing.B) {
			cfg := testConfig(b)
			cfg.CompressionLevel = level
			w := newTestWriter(b, cfg)
			ex := htmlExchange("http://127.0.0.1/bench", body)
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := w.Write(ctx, ex); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.lock(ctx); err != nil {
				b.Fatal(err)
			}
			size := w.size
			w.unlock()
			b.ReportMetric(float64(size)/float64(b.N), "B/exchange")
		})
	}
}
