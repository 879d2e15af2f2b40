package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	valid := func() Config {
		c := DefaultConfig()
		c.Dir = "/var/lib/nianbao/warc"
		return c
	}
	tests := []struct {
		name    string
		edit    func(*Config)
		wantErr string // substring; empty means valid
	}{
		{"default with dir", func(c *Config) {}, ""},
		{"fastest compression", func(c *Config) { c.CompressionLevel = 1 }, ""},
		{"operator and sync", func(c *Config) { c.Operator = "nianbao project <ops@example.org>"; c.Sync = true }, ""},
		{"no dir", func(c *Config) { c.Dir = " " }, "archive.dir"},
		{"empty prefix", func(c *Config) { c.Prefix = "" }, "archive.prefix"},
		{"prefix with slash", func(c *Config) { c.Prefix = "../x" }, "archive.prefix"},
		{"tiny max size", func(c *Config) { c.MaxFileSize = 100 }, "archive.max_file_size"},
		{"compression 0", func(c *Config) { c.CompressionLevel = 0 }, "archive.compression_level"},
		{"compression 10", func(c *Config) { c.CompressionLevel = 10 }, "archive.compression_level"},
		{"no software", func(c *Config) { c.Software = "" }, "archive.software"},
		{"operator with newline", func(c *Config) { c.Operator = "a\r\nWARC-Type: x" }, "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{}.Validate()
	if err == nil {
		t.Fatal("Validate() of zero Config = nil")
	}
	for _, field := range []string{"archive.dir", "archive.prefix", "archive.max_file_size", "archive.compression_level", "archive.software"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("Validate() = %v, missing %s", err, field)
		}
	}
}

// finalName is the form of a sealed file's name.
var finalName = regexp.MustCompile(`^nianbao-(\d{14})-(\d{5})\.warc\.gz$`)

func TestRotationBySize(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxFileSize = 64 << 10
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	const n = 40
	var locs []Location
	for i := range n {
		ex := htmlExchange(fmt.Sprintf("http://127.0.0.1/doc/%d.pdf", i), binaryBody(10<<10, uint64(i)))
		loc, err := w.Write(ctx, ex)
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	names := listDir(t, cfg.Dir)
	if len(names) < 5 {
		t.Fatalf("%d files after %d writes of ~10 KiB with a 64 KiB limit, want at least 5: %q", len(names), n, names)
	}
	var run string
	for i, name := range names {
		m := finalName.FindStringSubmatch(name)
		if m == nil {
			t.Fatalf("file %q: not a sealed WARC file name", name)
		}
		if run == "" {
			run = m[1]
		}
		if m[1] != run || m[2] != fmt.Sprintf("%05d", i+1) {
			t.Errorf("file %q: want run %s, sequence %05d", name, run, i+1)
		}
		fi, err := os.Stat(filepath.Join(cfg.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > cfg.MaxFileSize {
			t.Errorf("file %s is %d bytes, over the %d limit", name, fi.Size(), cfg.MaxFileSize)
		}
	}

	ia := iaCheckDir(t, cfg.Dir)
	for _, loc := range locs {
		if r, ok := ia[loc.RecordID]; !ok || r.file != loc.File || r.offset != loc.Offset {
			t.Errorf("Location %s@%d: independent reader has %s@%d", loc.File, loc.Offset, r.file, r.offset)
		}
	}

	// Scan visits records in writing order across files.
	i := 0
	err := Scan(ctx, cfg.Dir, func(r *Record) error {
		if i < len(locs) && r.Location != locs[i] {
			t.Errorf("Scan record %d: %s@%d, want %s@%d", i, r.File, r.Offset, locs[i].File, locs[i].Offset)
		}
		i++
		return nil
	})
	if err != nil || i != n {
		t.Errorf("Scan = %v after %d records, want nil after %d", err, i, n)
	}
}

func TestOversizedExchangeGetsItsOwnFile(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxFileSize = 16 << 10
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	small1, err := w.Write(ctx, htmlExchange("http://127.0.0.1/a", []byte("small")))
	if err != nil {
		t.Fatal(err)
	}
	big, err := w.Write(ctx, htmlExchange("http://127.0.0.1/big", binaryBody(64<<10, 7)))
	if err != nil {
		t.Fatal(err)
	}
	small2, err := w.Write(ctx, htmlExchange("http://127.0.0.1/b", []byte("small")))
	if err != nil {
		t.Fatal(err)
	}
	if small1.File == big.File || big.File == small2.File || small1.File == small2.File {
		t.Errorf("files %s, %s, %s: want the big exchange alone in the middle one", small1.File, big.File, small2.File)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRecord(filepath.Join(cfg.Dir, big.File), big.Offset)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Body) != 64<<10 {
		t.Errorf("big body read back with %d bytes", len(got.Body))
	}
	iaCheckDir(t, cfg.Dir)
}

func TestFileNamesNeverCollide(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	a, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	locA, err := a.Write(ctx, htmlExchange("http://127.0.0.1/a", []byte("a")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, locA.File+openSuffix)); err != nil {
		t.Errorf("open file not under its .open name: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, locA.File)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("final name exists before Close: %v", err)
	}

	// b runs in the same second as a: while a's file is open, and after it
	// is sealed, b must pick other names.
	b, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.run = a.run
	locB, err := b.Write(ctx, htmlExchange("http://127.0.0.1/b", []byte("b")))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.run = a.run
	locC, err := c.Write(ctx, htmlExchange("http://127.0.0.1/c", []byte("c")))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []*Writer{b, c} {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if locA.File == locB.File || locB.File == locC.File || locA.File == locC.File {
		t.Fatalf("names collide: %s, %s, %s", locA.File, locB.File, locC.File)
	}
	if got := listDir(t, cfg.Dir); len(got) != 3 {
		t.Fatalf("files = %q, want 3", got)
	}
	for _, loc := range []Location{locA, locB, locC} {
		if _, err := ReadRecord(filepath.Join(cfg.Dir, loc.File), loc.Offset); err != nil {
			t.Errorf("ReadRecord(%s): %v", loc.File, err)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxFileSize = 32 << 10 // rotate often, while other goroutines encode
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	const goroutines, each = 8, 25
	type written struct {
		loc  Location
		body []byte
	}
	var (
		mu  sync.Mutex
		all []written
		wg  sync.WaitGroup
	)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				body := binaryBody(2<<10+(g*each+i)*37, uint64(g*each+i))
				loc, err := w.Write(ctx, htmlExchange(fmt.Sprintf("http://127.0.0.1/g%d/%d", g, i), body))
				if err != nil {
					t.Errorf("Write: %v", err)
					return
				}
				mu.Lock()
				all = append(all, written{loc, body})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(all) != goroutines*each {
		t.Fatalf("%d writes succeeded, want %d", len(all), goroutines*each)
	}
	for _, x := range all {
		got, err := ReadRecord(filepath.Join(cfg.Dir, x.loc.File), x.loc.Offset)
		if err != nil {
			t.Fatal(err)
		}
		if got.Location != x.loc || string(got.Body) != string(x.body) {
			t.Errorf("record at %s@%d differs from what was written", x.loc.File, x.loc.Offset)
		}
	}
	n := 0
	if err := Scan(ctx, cfg.Dir, func(*Record) error { n++; return nil }); err != nil || n != len(all) {
		t.Errorf("Scan = %v with %d records, want nil with %d", err, n, len(all))
	}
	iaCheckDir(t, cfg.Dir)
}

func TestWriteRejectsInvalidExchange(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Exchange)
	}{
		{"relative url", func(e *Exchange) { e.URL = "/a/b" }},
		{"ftp url", func(e *Exchange) { e.URL = "ftp://127.0.0.1/a" }},
		{"bad url", func(e *Exchange) { e.URL = "http://[::1" }},
		{"bad method", func(e *Exchange) { e.Method = "GET /x" }},
		{"zero time", func(e *Exchange) { e.FetchedAt = time.Time{} }},
		{"status 0", func(e *Exchange) { e.Status = 0 }},
		{"status 1000", func(e *Exchange) { e.Status = 1000 }},
		{"unknown proto", func(e *Exchange) { e.Proto = "SPDY/3" }},
		{"bad ip", func(e *Exchange) { e.IP = "127.0.0.1:80" }},
	}
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := htmlExchange("http://127.0.0.1/x", []byte("x"))
			tt.edit(&ex)
			if _, err := w.Write(context.Background(), ex); !errors.Is(err, ErrInvalidExchange) {
				t.Errorf("Write = %v, want ErrInvalidExchange", err)
			}
		})
	}
	if got := listDir(t, cfg.Dir); len(got) != 0 {
		t.Errorf("files after only invalid writes: %q", got)
	}
}

func TestWriteHonoursContextAndClose(t *testing.T) {
	cfg := testConfig(t)
	w, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ex := htmlExchange("http://127.0.0.1/x", []byte("x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.Write(ctx, ex); !errors.Is(err, context.Canceled) {
		t.Errorf("Write with cancelled ctx = %v, want context.Canceled", err)
	}

	// A write waiting for the lock gives up when its ctx ends.
	w.sem <- struct{}{}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	_, err = w.Write(ctx, ex)
	cancel()
	<-w.sem
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Write blocked past its deadline = %v, want context.DeadlineExceeded", err)
	}

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, err := w.Write(context.Background(), ex); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
}

func TestNewWriterRejectsBadConfig(t *testing.T) {
	if _, err := NewWriter(Config{}, nil); err == nil {
		t.Error("NewWriter(Config{}) = nil error")
	}
	cfg := testConfig(t)
	file := filepath.Join(cfg.Dir, "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Dir = file
	if _, err := NewWriter(cfg, nil); err == nil {
		t.Error("NewWriter with Dir a file = nil error")
	}
}

func TestSyncWrites(t *testing.T) {
	cfg := testConfig(t)
	cfg.Sync = true
	cfg.Operator = "test operator"
	w := newTestWriter(t, cfg)
	loc, err := w.Write(context.Background(), htmlExchange("http://127.0.0.1/s", []byte("synced")))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRecord(filepath.Join(cfg.Dir, loc.File), loc.Offset)
	if err != nil || string(got.Body) != "synced" {
		t.Fatalf("ReadRecord = %v, %v", got, err)
	}
	info, err := ReadRecord(filepath.Join(cfg.Dir, loc.File), 0)
	if err != nil {
		t.Fatal(err)
	}
	if info.Type != "warcinfo" || !strings.Contains(string(info.Body), "operator: test operator\r\n") {
		t.Errorf("warcinfo = %s %q, want operator field", info.Type, info.Body)
	}
}

// TestFailedWriteAbandonsFile makes the file fail under the writer: the
// failed write reports an error, the file keeps its ".open" name with every
// complete record, and the next write starts a new file.
func TestFailedWriteAbandonsFile(t *testing.T) {
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	first, err := w.Write(ctx, htmlExchange("http://127.0.0.1/1", []byte("one")))
	if err != nil {
		t.Fatal(err)
	}
	w.file.Close() // every later write and truncate on it fails
	if _, err := w.Write(ctx, htmlExchange("http://127.0.0.1/2", []byte("two"))); err == nil || !strings.Contains(err.Error(), "abandon") {
		t.Fatalf("Write to a failed file = %v, want an error saying the file was abandoned", err)
	}
	third, err := w.Write(ctx, htmlExchange("http://127.0.0.1/3", []byte("three")))
	if err != nil {
		t.Fatal(err)
	}
	if third.File == first.File {
		t.Errorf("write after the failure went to the abandoned file %s", first.File)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{first.File + openSuffix, third.File}
	if got := listDir(t, cfg.Dir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files = %q, want %q", got, want)
	}
	var bodies []string
	if err := Scan(ctx, cfg.Dir, func(r *Record) error { bodies = append(bodies, string(r.Body)); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(bodies, ",") != "one,three" {
		t.Errorf("Scan bodies = %q, want one, three", bodies)
	}
}
