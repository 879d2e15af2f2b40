package simulator

import (
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkNew measures laying out the default portals: drawing and
// rendering every report once.
func BenchmarkNew(b *testing.B) {
	gaz := loadGazetteer(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(DefaultConfig(), gaz, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartClose measures binding and releasing the default portals'
// listeners.
func BenchmarkStartClose(b *testing.B) {
	gaz := loadGazetteer(b)
	sim, err := New(DefaultConfig(), gaz, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		s := &Simulator{cfg: sim.cfg, logger: sim.logger, sites: sim.sites, cache: sim.cache, done: make(chan struct{})}
		b.StartTimer()
		if err := s.Start(b.Context()); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportPage measures rendering one table report page, the work
// of each detail request.
func BenchmarkReportPage(b *testing.B) {
	sim, err := New(DefaultConfig(), loadGazetteer(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	st := sim.sites[0]
	r := st.reports[0]
	b.ReportAllocs()
	for b.Loop() {
		if resp := sim.route(st, r.path, nil, 0); resp.status != 200 {
			b.Fatal(resp.status)
		}
	}
}

// BenchmarkServe measures the pages a second the simulator serves on
// loopback to 8 keep-alive clients fetching the "bench" profile's report
// pages (narrative reports padded to 20 KB) round-robin over 50 portals.
func BenchmarkServe(b *testing.B) {
	cfg, err := Profile("bench")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Hosts = 50
	cfg.FirstAddr = "127.3.0.1"
	sim := start(b, cfg)
	var urls []string
	for _, tr := range sim.Truth() {
		urls = append(urls, tr.URL)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 8}
	b.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{Transport: transport}
	var next atomic.Int64
	var bytes atomic.Int64
	b.SetParallelism(4) // 4 × GOMAXPROCS (2) = 8 clients
	b.ResetTimer()
	begin := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := urls[int(next.Add(1))%len(urls)]
			resp, err := client.Get(u)
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			bytes.Add(n)
		}
	})
	elapsed := time.Since(begin)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(bytes.Load())/float64(b.N), "B/page")
}
