package archive

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	iawarc "github.com/internetarchive/gowarc"
)

// These tests read the archive back with a WARC reader that shares no code
// with this package or with the gowarc it writes through: the Internet
// Archive's gowarc. Digests are recomputed here from the raw blocks.

// iaRecord is one record as the independent reader saw it.
type iaRecord struct {
	file    string
	offset  int64
	size    int64
	version string
	header  iawarc.Header
	block   []byte
}

// payload returns the HTTP payload of an HTTP block: what follows the first
// empty line.
func (r iaRecord) payload(t *testing.T) []byte {
	t.Helper()
	i := bytes.Index(r.block, []byte("\r\n\r\n"))
	if i < 0 {
		t.Fatalf("%s@%d: no end of HTTP header in block", r.file, r.offset)
	}
	return r.block[i+4:]
}

// iaReadFile reads every record of the WARC file at path.
func iaReadFile(t *testing.T, path string) []iaRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := iawarc.NewReader(f)
	if err != nil {
		t.Fatalf("independent reader on %s: %v", path, err)
	}
	defer r.Close()
	var recs []iaRecord
	for {
		rec, err := r.ReadRecord()
		if errors.Is(err, io.EOF) {
			return recs
		}
		if err != nil {
			t.Fatalf("independent reader on %s after %d records: %v", path, len(recs), err)
		}
		block, err := io.ReadAll(rec.Content)
		rec.Content.Close()
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, iaRecord{file: filepath.Base(path), offset: rec.Offset, size: rec.Size, version: rec.Version, header: rec.Header, block: block})
	}
}

// iaCheckDir reads every WARC file in dir independently, checks the
// invariants every file must keep, and returns the records by record ID.
func iaCheckDir(t *testing.T, dir string) map[string]iaRecord {
	t.Helper()
	byID := map[string]iaRecord{}
	for _, path := range warcPaths(t, dir) {
		recs := iaReadFile(t, path)
		if len(recs) == 0 {
			t.Fatalf("%s: no records", path)
		}
		info := recs[0]
		base := strings.TrimSuffix(filepath.Base(path), openSuffix)
		if got := info.header.Get("WARC-Type"); got != "warcinfo" {
			t.Errorf("%s: first record is %q, want warcinfo", path, got)
		}
		if got := info.header.Get("WARC-Filename"); got != base {
			t.Errorf("%s: WARC-Filename = %q, want %q", path, got, base)
		}
		if info.offset != 0 {
			t.Errorf("%s: warcinfo at offset %d", path, info.offset)
		}
		var end int64
		for _, r := range recs {
			if r.version != "WARC/1.1" {
				t.Errorf("%s@%d: version %q", r.file, r.offset, r.version)
			}
			if r.offset != end {
				t.Errorf("%s@%d: record does not start where the previous ended (%d)", r.file, r.offset, end)
			}
			end = r.offset + r.size
			if got, want := r.header.Get("Content-Length"), strconv.Itoa(len(r.block)); got != want {
				t.Errorf("%s@%d: Content-Length %s, block has %s bytes", r.file, r.offset, got, want)
			}
			if got, want := r.header.Get("WARC-Block-Digest"), sha1Base32(r.block); got != want {
				t.Errorf("%s@%d: WARC-Block-Digest %s, computed %s", r.file, r.offset, got, want)
			}
			typ := r.header.Get("WARC-Type")
			if r.offset != 0 {
				if got, want := r.header.Get("WARC-Warcinfo-ID"), info.header.Get("WARC-Record-ID"); got != want {
					t.Errorf("%s@%d: WARC-Warcinfo-ID %s, file's warcinfo is %s", r.file, r.offset, got, want)
				}
			}
			switch typ {
			case "response":
				if got, want := r.header.Get("WARC-Payload-Digest"), sha1Base32(r.payload(t)); got != want {
					t.Errorf("%s@%d: WARC-Payload-Digest %s, computed %s", r.file, r.offset, got, want)
				}
				fallthrough
			case "revisit":
				if got := r.header.Get("Content-Type"); got != "application/http;msgtype=response" {
					t.Errorf("%s@%d: Content-Type %q", r.file, r.offset, got)
				}
			case "request":
				if got := r.header.Get("Content-Type"); got != "application/http;msgtype=request" {
					t.Errorf("%s@%d: Content-Type %q", r.file, r.offset, got)
				}
			}
			id := strings.Trim(r.header.Get("WARC-Record-ID"), "<>")
			if _, dup := byID[id]; dup {
				t.Errorf("%s@%d: record ID %s seen twice", r.file, r.offset, id)
			}
			byID[id] = r
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() != end {
			t.Errorf("%s: records end at %d, file size %v (%v)", path, end, fi.Size(), err)
		}
	}
	// Request and response (or revisit) point at each other.
	for id, r := range byID {
		other := strings.Trim(r.header.Get("WARC-Concurrent-To"), "<>")
		if r.header.Get("WARC-Type") == "warcinfo" {
			continue
		}
		o, ok := byID[other]
		if !ok {
			t.Errorf("%s: WARC-Concurrent-To %q not found", id, other)
			continue
		}
		if back := strings.Trim(o.header.Get("WARC-Concurrent-To"), "<>"); back != id {
			t.Errorf("%s: concurrent record %s points back to %q", id, other, back)
		}
	}
	return byID
}

func TestIndependentReaderRoundTrip(t *testing.T) {
	cases := roundTripCases(t)
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	locs := make([]Location, len(cases))
	for i, tc := range cases {
		var err error
		if locs[i], err = w.Write(ctx, tc.ex); err != nil {
			t.Fatalf("Write(%s): %v", tc.name, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ia := iaCheckDir(t, cfg.Dir)
	for i, tc := range cases {
		loc := locs[i]
		r, ok := ia[loc.RecordID]
		if !ok {
			t.Fatalf("%s: record %s not found by the independent reader", tc.name, loc.RecordID)
		}
		if r.file != loc.File || r.offset != loc.Offset || r.size != loc.Length {
			t.Errorf("%s: independent reader has %s@%d+%d, Location says %s@%d+%d", tc.name, r.file, r.offset, r.size, loc.File, loc.Offset, loc.Length)
		}
		if got := r.payload(t); !bytes.Equal(got, tc.ex.Body) {
			t.Errorf("%s: payload differs: %d bytes, want %d", tc.name, len(got), len(tc.ex.Body))
		}
		if got, want := r.header.Get("WARC-Payload-Digest"), sha1Base32(tc.ex.Body); got != want || loc.PayloadDigest != want {
			t.Errorf("%s: WARC-Payload-Digest %s, Location %s, want %s", tc.name, got, loc.PayloadDigest, want)
		}
		if got := r.header.Get("WARC-IP-Address"); got != tc.ex.IP {
			t.Errorf("%s: WARC-IP-Address %q, want %q", tc.name, got, tc.ex.IP)
		}
	}
}

// TestStatusLine checks the status line and WARC-Protocol as written.
func TestStatusLine(t *testing.T) {
	tests := []struct {
		proto    string
		status   int
		wantLine string
		wantWP   string
	}{
		{"HTTP/1.1", 200, "HTTP/1.1 200 OK", "http/1.1"},
		{"HTTP/1.0", 404, "HTTP/1.0 404 Not Found", "http/1.0"},
		{"HTTP/2.0", 301, "HTTP/1.1 301 Moved Permanently", "h2"},
		{"HTTP/3.0", 503, "HTTP/1.1 503 Service Unavailable", "h3"},
		{"", 302, "HTTP/1.1 302 Found", ""},
		{"HTTP/1.1", 418, "HTTP/1.1 418 I'm a teapot", "http/1.1"},
		{"HTTP/1.1", 599, "HTTP/1.1 599 ", "http/1.1"},
		{"HTTP/1.1", 103, "HTTP/1.1 103 Early Hints", "http/1.1"},
	}
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	locs := make([]Location, len(tests))
	for i, tt := range tests {
		ex := htmlExchange("http://127.0.0.1/s", []byte("body"))
		ex.Proto, ex.Status = tt.proto, tt.status
		var err error
		if locs[i], err = w.Write(context.Background(), ex); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ia := iaCheckDir(t, cfg.Dir)
	for i, tt := range tests {
		r := ia[locs[i].RecordID]
		line, _, _ := bytes.Cut(r.block, []byte("\r\n"))
		if string(line) != tt.wantLine {
			t.Errorf("proto %q status %d: status line %q, want %q", tt.proto, tt.status, line, tt.wantLine)
		}
		if got := r.header.Get("WARC-Protocol"); got != tt.wantWP {
			t.Errorf("proto %q: WARC-Protocol %q, want %q", tt.proto, got, tt.wantWP)
		}
		got, err := ReadRecord(filepath.Join(cfg.Dir, locs[i].File), locs[i].Offset)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != tt.status {
			t.Errorf("proto %q status %d: read back status %d", tt.proto, tt.status, got.Status)
		}
	}
}
