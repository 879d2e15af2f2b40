// Command crawl-bench crawls a sources registry with the crawler alone —
// Colly and nianbao's transport, frontier and politeness, every exchange
// written to a WARC archive (or discarded) — without parsing or loading,
// and prints what it measured as one JSON object: pages, requests, bytes,
// wall time, pages per second, CPU seconds, peak RSS, and RSS sampled as
// the crawl grows. The crawl-p1, crawl-p2 and crawl-p6 scripts run it
// against `nianbao simulate`.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
)

// result is what one benchmark crawl measured.
type result struct {
	Sources     int     `json:"sources"`
	Pages       int64   `json:"pages"`
	Requests    int64   `json:"requests"`
	Bytes       int64   `json:"bytes"`
	Failures    int64   `json:"failures"`
	WallSeconds float64 `json:"wall_seconds"`
	PagesPerSec float64 `json:"pages_per_second"`
	CPUSeconds  float64 `json:"cpu_seconds"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	// RSSMB samples resident memory each time another tenth of the pages
	// expected (--expect) is done: flat means memory does not grow with
	// the crawl.
	RSSMB     []rssSample `json:"rss_mb"`
	Archive   bool        `json:"archive"`
	GzipLevel int         `json:"gzip_level"`
	Delay     string      `json:"delay"`
	GoMaxProc int         `json:"gomaxprocs"`
}

type rssSample struct {
	Pages int64   `json:"pages"`
	MB    float64 `json:"mb"`
}

// archiveSink writes every capture to the archive.
type archiveSink struct {
	w *archive.Writer
	n atomic.Int64
}

func (s *archiveSink) Capture(ctx context.Context, c *crawler.Capture) error {
	s.n.Add(1)
	if s.w == nil {
		return nil
	}
	_, err := s.w.Write(ctx, archive.Exchange{
		URL: c.URL, Method: c.Method, RequestHeader: c.RequestHeader, FetchedAt: c.FetchedAt,
		Status: c.Status, Proto: c.Proto, Header: c.Header, Body: c.Body, IP: c.RemoteIP,
	})
	return err
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "crawl-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	sourcesFile := flag.String("sources", "sources.yaml", "sources registry")
	delay := flag.Duration("delay", 0, "per-host delay between request starts")
	concurrency := flag.Int("concurrency", 64, "requests in flight across hosts")
	archiveDir := flag.String("archive", "", "write WARC files here (empty: discard captures)")
	expect := flag.Int64("expect", 0, "pages expected, for RSS samples at each tenth")
	ignoreRobots := flag.Bool("ignore-robots", false, "do not read robots.txt")
	gzipLevel := flag.Int("gzip-level", archive.DefaultConfig().CompressionLevel, "WARC gzip level (1 fastest … 9 smallest, -1 default)")
	limit := flag.Int("limit", 0, "crawl only the first N sources (0: all)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	memProfile := flag.String("memprofile", "", "write a heap profile (allocations over the whole crawl) here")
	flag.Parse()

	sources, err := config.LoadSources(*sourcesFile)
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(sources) {
		sources = sources[:*limit]
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// The garbage collector as `nianbao crawl` sets it (config.Runtime).
	defer config.DefaultRuntime().Apply(os.Getenv)()
	cfg := crawler.DefaultConfig()
	cfg.Delay = *delay
	cfg.Concurrency = *concurrency
	cfg.RequestTimeout = 30 * time.Second
	cfg.IgnoreRobots = *ignoreRobots
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sink := &archiveSink{}
	if *archiveDir != "" {
		acfg := archive.DefaultConfig()
		acfg.Dir = *archiveDir
		acfg.CompressionLevel = *gzipLevel
		w, err := archive.NewWriter(acfg, logger)
		if err != nil {
			return err
		}
		defer w.Close()
		sink.w = w
	}
	c, err := crawler.New(cfg, sink, logger)
	if err != nil {
		return err
	}
	res := result{Sources: len(sources), Archive: sink.w != nil, GzipLevel: *gzipLevel, Delay: delay.String(), GoMaxProc: runtime.GOMAXPROCS(0)}
	cctx, cancel := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() { // ends when the crawl does
		defer close(sampled)
		next := int64(1)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-cctx.Done():
				return
			case <-t.C:
			}
			p := c.Progress()
			if *expect > 0 && p.Pages >= next**expect/10 && next <= 10 {
				res.RSSMB = append(res.RSSMB, rssSample{Pages: p.Pages, MB: rssMB("VmRSS")})
				next++
			}
		}
	}()
	start := time.Now()
	sum, err := c.Run(cctx, sources, crawler.RunOptions{RunID: "bench"})
	wall := time.Since(start)
	cancel()
	<-sampled
	if err != nil {
		return err
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	res.Pages, res.Requests, res.Bytes, res.Failures = sum.Pages, sum.Requests, sum.Bytes, sum.Failures
	res.WallSeconds = wall.Seconds()
	res.PagesPerSec = float64(sum.Pages) / wall.Seconds()
	res.CPUSeconds = tv(ru.Utime) + tv(ru.Stime)
	res.PeakRSSMB = rssMB("VmHWM")
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// writeHeapProfile writes the heap profile to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// rssMB reads a memory figure (VmRSS, VmHWM) of this process in MB.
func rssMB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
