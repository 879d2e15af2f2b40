package archive

import (
	"crypto/sha1"
	"encoding/base32"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// fetchedAt is a fetch time with nanoseconds and a non-UTC zone, to check
// both survive.
var fetchedAt = time.Date(2026, 11, 26, 18, 17, 0, 123456789, time.FixedZone("CST", 8*3600))

// testConfig returns a valid Config writing to a fresh temporary directory.
func testConfig(t testing.TB) Config {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Dir = t.TempDir()
	return cfg
}

// newTestWriter returns a Writer for cfg that the test closes at cleanup,
// failing the test if Close fails.
func newTestWriter(t testing.TB, cfg Config) *Writer {
	t.Helper()
	w, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatalf("NewWriter: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

// gbk encodes s in GBK.
func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode gbk: %v", err)
	}
	return b
}

// binaryBody returns n pseudo-random bytes (seeded) that start like a PDF
// and contain the byte sequences most likely to confuse a parser.
func binaryBody(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	prefix := "%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\r\n\r\n\x00\x00WARC/1.1\r\n\r\n\x1f\x8b"
	copy(b, prefix)
	return b
}

// sha1Base32 computes a WARC SHA-1 digest independently of the package.
func sha1Base32(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// listDir returns the names of the files in dir, sorted.
func listDir(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// warcPaths returns the paths of the WARC files in dir, sorted.
func warcPaths(t testing.TB, dir string) []string {
	t.Helper()
	var paths []string
	for _, n := range listDir(t, dir) {
		if strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".warc.gz.open") {
			paths = append(paths, filepath.Join(dir, n))
		}
	}
	return paths
}

// htmlExchange returns a simple 200 HTML exchange for url with body.
func htmlExchange(url string, body []byte) Exchange {
	return Exchange{
		URL:           url,
		Method:        http.MethodGet,
		RequestHeader: http.Header{"User-Agent": {"nianbao-test"}, "Host": {"127.0.0.1"}},
		FetchedAt:     fetchedAt,
		Status:        http.StatusOK,
		Proto:         "HTTP/1.1",
		Header:        http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:          body,
		IP:            "127.0.0.1",
	}
}
