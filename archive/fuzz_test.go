package archive

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// fuzzSeed returns a small but complete archive file: warcinfo, two
// exchanges and a revisit.
func fuzzSeed(f *testing.F) []byte {
	f.Helper()
	cfg := testConfig(f)
	w := newTestWriter(f, cfg)
	ctx := context.Background()
	loc, err := w.Write(ctx, htmlExchange("http://127.0.0.1/a", []byte("<p>甲</p>")))
	if err != nil {
		f.Fatal(err)
	}
	ex := htmlExchange("http://127.0.0.1/b", nil)
	ex.Status, ex.Header = http.StatusNotFound, http.Header{"X": {"y"}}
	if _, err := w.Write(ctx, ex); err != nil {
		f.Fatal(err)
	}
	if _, err := w.WriteRevisit(ctx, htmlExchange("http://127.0.0.1/c", []byte("<p>甲</p>")), loc, ProfileIdenticalPayloadDigest); err != nil {
		f.Fatal(err)
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg.Dir, loc.File))
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// FuzzScan feeds arbitrary bytes to the reader, as a sealed and as an open
// file. Invariants: it never panics; every failure is a *ReadError whose
// offset lies within the input; and every record it yields can be read
// again, alone, at its Location, identically.
func FuzzScan(f *testing.F) {
	seed := fuzzSeed(f)
	f.Add(seed, false)
	f.Add(seed, true)
	f.Add(seed[:len(seed)-7], true)
	f.Add(seed[:len(seed)/2], false)
	f.Add(append(append([]byte{}, seed...), make([]byte, 64)...), true)
	f.Add([]byte("WARC/1.1\r\n\r\n"), false)
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, false)
	f.Fuzz(func(t *testing.T, data []byte, open bool) {
		var recs []*Record
		err := scanStream(context.Background(), bytes.NewReader(data), "fuzz.warc.gz", open, func(r *Record) error {
			recs = append(recs, r)
			return nil
		})
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *ReadError", err, err)
			}
			if re.Offset < 0 || re.Offset > int64(len(data)) {
				t.Fatalf("error offset %d outside the %d-byte input", re.Offset, len(data))
			}
		}
		for _, r := range recs {
			if r.Offset < 0 || r.Length <= 0 || r.Offset+r.Length > int64(len(data)) {
				t.Fatalf("record at %d+%d outside the %d-byte input", r.Offset, r.Length, len(data))
			}
			again, err := newMemberReader(bytes.NewReader(data[r.Offset:]), "fuzz.warc.gz", r.Offset).next()
			if err != nil {
				t.Fatalf("record at %d scanned but not readable alone: %v", r.Offset, err)
			}
			if again.Location != r.Location || !bytes.Equal(again.Body, r.Body) || again.Status != r.Status {
				t.Fatalf("record at %d reads differently alone", r.Offset)
			}
		}
	})
}

// FuzzReadRecord reads one record at an arbitrary offset of arbitrary bytes,
// through the file API. Invariant: a record or a *ReadError, never a panic.
func FuzzReadRecord(f *testing.F) {
	seed := fuzzSeed(f)
	f.Add(seed, int64(0))
	f.Add(seed, int64(len(seed)/3))
	f.Add(seed[:len(seed)-1], int64(0))
	f.Add([]byte("not a warc"), int64(3))
	path := filepath.Join(f.TempDir(), "fuzz.warc.gz")
	f.Fuzz(func(t *testing.T, data []byte, offset int64) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, err := ReadRecord(path, offset)
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) || re.File != path || re.Offset != offset {
				t.Fatalf("error %v (%T) is not a *ReadError for %s@%d", err, err, path, offset)
			}
			return
		}
		if rec.Offset != offset || rec.Length <= 0 || offset+rec.Length > int64(len(data)) {
			t.Fatalf("record at %d+%d in a %d-byte file, asked for %d", rec.Offset, rec.Length, len(data), offset)
		}
	})
}

// FuzzWrite writes exchanges with arbitrary URLs, header fields and bodies.
// Invariant: an exchange the writer accepts reads back with the same body,
// status and header value; only ErrInvalidExchange may refuse one, and never
// for a URL Go's HTTP client would fetch.
func FuzzWrite(f *testing.F) {
	f.Add("http://127.0.0.1/a?b=c", "X-Test", "v", []byte("body"), 200)
	f.Add("https://127.0.0.1/年报 2024.html?q=中文&x=%zz#frag", "Content-Type", "text/html; charset=gbk", []byte{0xc4, 0xea, 0xb1, 0xa8}, 404)
	f.Add("http://[::1]:8080/", "X-Odd", "a\r\nb\x00c", []byte{}, 304)
	f.Add("http://user:pw@127.0.0.1/%E4%B8%AD?", "Set-Cookie", "a=b; Path=/", []byte("\r\n\r\nWARC/1.1\r\n"), 599)
	cfg := testConfig(f)
	w := newTestWriter(f, cfg)
	f.Fuzz(func(t *testing.T, rawURL, key, value string, body []byte, status int) {
		ex := htmlExchange(rawURL, body)
		ex.Status = status
		ex.Header = http.Header{key: {value}}
		ex.RequestHeader = http.Header{key: {value}, "User-Agent": {"nianbao-test"}}
		loc, err := w.Write(context.Background(), ex)
		if err != nil {
			if !errors.Is(err, ErrInvalidExchange) {
				t.Fatalf("Write(%q, %q: %q) = %v, want success or ErrInvalidExchange", rawURL, key, value, err)
			}
			if req, rerr := http.NewRequest(http.MethodGet, rawURL, nil); rerr == nil && (req.URL.Scheme == "http" || req.URL.Scheme == "https") && req.URL.Host != "" && status >= 100 && status <= 999 {
				t.Fatalf("Write refused %q, which Go's client accepts: %v", rawURL, err)
			}
			return
		}
		got, err := ReadLocation(cfg.Dir, loc)
		if err != nil {
			t.Fatalf("ReadLocation after Write(%q): %v", rawURL, err)
		}
		if !bytes.Equal(got.Body, body) || got.Status != status {
			t.Fatalf("read back status %d, %d body bytes; wrote %d, %d", got.Status, len(got.Body), status, len(body))
		}
		if k := http.CanonicalHeaderKey(key); httpguts.ValidHeaderFieldName(key) && k != "Content-Length" && k != "Transfer-Encoding" && k != "Content-Encoding" {
			if gotV, wantV := got.Header.Get(k), headerValue(value); gotV != wantV && strings.TrimSpace(gotV) != wantV {
				t.Fatalf("header %s read back as %q, want %q", k, gotV, wantV)
			}
		}
	})
}
