package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// roundTripCase is one exchange and what its response record must hold.
type roundTripCase struct {
	name string
	ex   Exchange
	// wantURI is the WARC-Target-URI; empty means ex.URL.
	wantURI    string
	wantHeader http.Header
	wantProto  string
}

func roundTripCases(t *testing.T) []roundTripCase {
	utf8Body := []byte("<html><head><meta charset=\"utf-8\"><title>2025年政府信息公开工作年度报告</title></head><body>依申请公开 123 件</body></html>")
	gbkBody := gbk(t, "<html><head><meta charset=\"gbk\"><title>2024年政府信息公开工作年度报告</title></head><body>主动公开政府信息 4567 条</body></html>")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a gzip file served as such"))
	zw.Close()
	pdf := binaryBody(200<<10, 1)
	reqHeader := http.Header{"User-Agent": {"nianbao-test"}, "Accept": {"*/*"}}

	return []roundTripCase{
		{
			name: "utf-8 html",
			ex: Exchange{
				URL: "http://127.0.0.1/xxgk/2025/report.html", Method: "GET", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 200, Proto: "HTTP/1.1", IP: "127.0.0.1",
				Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(utf8Body))}, "Server": {"nginx"}},
				Body:   utf8Body,
			},
			wantHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(utf8Body))}, "Server": {"nginx"}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "gbk html, chunked",
			ex: Exchange{
				URL: "http://127.0.0.1/zwgk/2024年报.html?id=7&t=中文", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 200, Proto: "HTTP/1.1",
				Header: http.Header{"Content-Type": {"text/html; charset=gbk"}, "Transfer-Encoding": {"chunked"}},
				Body:   gbkBody,
			},
			wantURI:    "http://127.0.0.1/zwgk/2024%E5%B9%B4%E6%8A%A5.html?id=7&t=中文",
			wantHeader: http.Header{"Content-Type": {"text/html; charset=gbk"}, "Content-Length": {strconv.Itoa(len(gbkBody))}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "gzip decoded by the client",
			ex: Exchange{
				URL: "http://127.0.0.1/list.html", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 200, Proto: "HTTP/1.1",
				Header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}, "Content-Length": {"41"}, "Vary": {"Accept-Encoding"}},
				Body:   utf8Body,
			},
			wantHeader: http.Header{"Content-Type": {"text/html"}, "Content-Length": {strconv.Itoa(len(utf8Body))}, "Vary": {"Accept-Encoding"}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "gzip still encoded",
			ex: Exchange{
				URL: "http://127.0.0.1/data.txt", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 200, Proto: "HTTP/1.1",
				Header: http.Header{"Content-Type": {"text/plain"}, "Content-Encoding": {"gzip"}},
				Body:   gz.Bytes(),
			},
			wantHeader: http.Header{"Content-Type": {"text/plain"}, "Content-Encoding": {"gzip"}, "Content-Length": {strconv.Itoa(gz.Len())}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "binary pdf over HTTP/2",
			ex: Exchange{
				URL: "https://127.0.0.1/attach/report.pdf#page=2", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 200, Proto: "HTTP/2.0", IP: "::1",
				Header: http.Header{"Content-Type": {"application/pdf"}, "Content-Length": {strconv.Itoa(len(pdf))}},
				Body:   pdf,
			},
			wantURI:    "https://127.0.0.1/attach/report.pdf",
			wantHeader: http.Header{"Content-Type": {"application/pdf"}, "Content-Length": {strconv.Itoa(len(pdf))}},
			wantProto:  "HTTP/2.0",
		},
		{
			name: "404",
			ex: Exchange{
				URL: "http://127.0.0.1/missing", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 404, Proto: "HTTP/1.1",
				Header: http.Header{"Content-Type": {"text/html"}},
				Body:   []byte("<h1>404 Not Found</h1>"),
			},
			wantHeader: http.Header{"Content-Type": {"text/html"}, "Content-Length": {"22"}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "301 redirect without body",
			ex: Exchange{
				URL: "http://127.0.0.1/old", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 301, Proto: "HTTP/1.0",
				Header: http.Header{"Location": {"http://127.0.0.1/new"}},
			},
			wantHeader: http.Header{"Location": {"http://127.0.0.1/new"}, "Content-Length": {"0"}},
			wantProto:  "HTTP/1.0",
		},
		{
			name: "304 keeps no length",
			ex: Exchange{
				URL: "http://127.0.0.1/cached", RequestHeader: http.Header{"If-None-Match": {`"abc"`}},
				FetchedAt: fetchedAt, Status: 304, Proto: "HTTP/1.1",
				Header: http.Header{"Etag": {`"abc"`}},
			},
			wantHeader: http.Header{"Etag": {`"abc"`}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "HEAD keeps served length",
			ex: Exchange{
				URL: "http://127.0.0.1/big.pdf", Method: "HEAD", RequestHeader: reqHeader,
				FetchedAt: fetchedAt, Status: 200, Proto: "HTTP/1.1",
				Header: http.Header{"Content-Length": {"5000000"}},
			},
			wantHeader: http.Header{"Content-Length": {"5000000"}},
			wantProto:  "HTTP/1.1",
		},
		{
			name: "unknown status, no proto",
			ex: Exchange{
				URL: "http://127.0.0.1/odd", FetchedAt: fetchedAt, Status: 599,
				Header: http.Header{"X-Odd": {"a", "b"}},
				Body:   []byte("x"),
			},
			wantHeader: http.Header{"X-Odd": {"a", "b"}, "Content-Length": {"1"}},
			wantProto:  "HTTP/1.1",
		},
	}
}

// checkRecord compares a response record read back with the case written.
func checkRecord(t *testing.T, how string, got *Record, tc roundTripCase, loc Location) {
	t.Helper()
	wantURI := tc.wantURI
	if wantURI == "" {
		wantURI = tc.ex.URL
	}
	if got.Location != loc {
		t.Errorf("%s: Location = %+v, want %+v", how, got.Location, loc)
	}
	if got.Type != "response" {
		t.Errorf("%s: Type = %q, want response", how, got.Type)
	}
	if got.TargetURI != wantURI {
		t.Errorf("%s: TargetURI = %q, want %q", how, got.TargetURI, wantURI)
	}
	if !got.Date.Equal(tc.ex.FetchedAt) {
		t.Errorf("%s: Date = %v, want %v", how, got.Date, tc.ex.FetchedAt)
	}
	if got.Status != tc.ex.Status {
		t.Errorf("%s: Status = %d, want %d", how, got.Status, tc.ex.Status)
	}
	if got.Proto != tc.wantProto {
		t.Errorf("%s: Proto = %q, want %q", how, got.Proto, tc.wantProto)
	}
	if got.IP != tc.ex.IP {
		t.Errorf("%s: IP = %q, want %q", how, got.IP, tc.ex.IP)
	}
	if !bytes.Equal(got.Body, tc.ex.Body) {
		t.Errorf("%s: Body differs: got %d bytes, want %d", how, len(got.Body), len(tc.ex.Body))
	}
	if want := sha1Base32(tc.ex.Body); got.PayloadDigest != want {
		t.Errorf("%s: PayloadDigest = %q, want %q", how, got.PayloadDigest, want)
	}
	if !reflect.DeepEqual(got.Header, tc.wantHeader) {
		t.Errorf("%s: Header = %v, want %v", how, got.Header, tc.wantHeader)
	}
	if len(got.ConcurrentTo) != 1 || got.WarcinfoID == "" {
		t.Errorf("%s: ConcurrentTo = %q, WarcinfoID = %q; want one request ID and a warcinfo ID", how, got.ConcurrentTo, got.WarcinfoID)
	}
}

func TestRoundTrip(t *testing.T) {
	cases := roundTripCases(t)
	cfg := testConfig(t)
	w, err := NewWriter(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	locs := make([]Location, len(cases))
	for i, tc := range cases {
		if locs[i], err = w.Write(ctx, tc.ex); err != nil {
			t.Fatalf("Write(%s): %v", tc.name, err)
		}
	}

	// Readable by location while the file is still open.
	for i, tc := range cases {
		got, err := ReadRecord(filepath.Join(cfg.Dir, locs[i].File+openSuffix), locs[i].Offset)
		if err != nil {
			t.Fatalf("ReadRecord(%s) before Close: %v", tc.name, err)
		}
		checkRecord(t, tc.name+" (open file)", got, tc, locs[i])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	for i, tc := range cases {
		got, err := ReadRecord(filepath.Join(cfg.Dir, locs[i].File), locs[i].Offset)
		if err != nil {
			t.Fatalf("ReadRecord(%s): %v", tc.name, err)
		}
		checkRecord(t, tc.name, got, tc, locs[i])
	}

	var scanned []*Record
	if err := Scan(ctx, cfg.Dir, func(r *Record) error { scanned = append(scanned, r); return nil }); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(scanned) != len(cases) {
		t.Fatalf("Scan yielded %d records, want %d", len(scanned), len(cases))
	}
	for i, tc := range cases {
		checkRecord(t, tc.name+" (scan)", scanned[i], tc, locs[i])
	}
}

// TestRequestRecord checks the request record written alongside a response.
func TestRequestRecord(t *testing.T) {
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	ex := htmlExchange("http://127.0.0.1:8080/a/b?q=1", []byte("hi"))
	ex.RequestHeader = http.Header{"User-Agent": {"nianbao-test"}, "Accept-Language": {"zh-CN"}}
	loc, err := w.Write(context.Background(), ex)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ReadRecord(filepath.Join(cfg.Dir, loc.File+openSuffix), loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	// The request record is written just before the response.
	var req *Record
	err = scanAll(filepath.Join(cfg.Dir, loc.File+openSuffix), func(r *Record) {
		if r.Type == "request" {
			req = r
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if req == nil {
		t.Fatal("no request record")
	}
	if req.Offset+req.Length != loc.Offset {
		t.Errorf("request record ends at %d, response starts at %d", req.Offset+req.Length, loc.Offset)
	}
	if req.Method != "GET" || req.TargetURI != ex.URL {
		t.Errorf("request = %s %s, want GET %s", req.Method, req.TargetURI, ex.URL)
	}
	wantHeader := http.Header{"Host": {"127.0.0.1:8080"}, "User-Agent": {"nianbao-test"}, "Accept-Language": {"zh-CN"}}
	if !reflect.DeepEqual(req.Header, wantHeader) {
		t.Errorf("request Header = %v, want %v", req.Header, wantHeader)
	}
	if len(req.ConcurrentTo) != 1 || req.ConcurrentTo[0] != resp.RecordID {
		t.Errorf("request ConcurrentTo = %q, want [%s]", req.ConcurrentTo, resp.RecordID)
	}
	if len(resp.ConcurrentTo) != 1 || resp.ConcurrentTo[0] != req.RecordID {
		t.Errorf("response ConcurrentTo = %q, want [%s]", resp.ConcurrentTo, req.RecordID)
	}
	if req.WarcinfoID != resp.WarcinfoID {
		t.Errorf("request WarcinfoID %q != response's %q", req.WarcinfoID, resp.WarcinfoID)
	}
	if !req.Date.Equal(fetchedAt) || req.IP != ex.IP {
		t.Errorf("request Date, IP = %v, %q; want %v, %q", req.Date, req.IP, fetchedAt, ex.IP)
	}
}

// scanAll calls fn with every record of every type in the file at path.
func scanAll(path string, fn func(*Record)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	mr := newMemberReader(f, path, 0)
	for {
		rec, err := mr.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		fn(rec)
	}
}

func TestReadLocation(t *testing.T) {
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	a, err := w.Write(ctx, htmlExchange("http://127.0.0.1/a", []byte("a")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.Write(ctx, htmlExchange("http://127.0.0.1/b", []byte("b")))
	if err != nil {
		t.Fatal(err)
	}
	// Open file, then sealed file: the same Location works.
	for _, state := range []string{"open", "sealed"} {
		got, err := ReadLocation(cfg.Dir, a)
		if err != nil || got.Location != a || string(got.Body) != "a" {
			t.Errorf("%s: ReadLocation(a) = %+v, %v", state, got, err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// A Location whose record ID does not match what is there is refused.
	stale := a
	stale.RecordID = b.RecordID
	_, err = ReadLocation(cfg.Dir, stale)
	wantReadError(t, "stale Location", err, filepath.Join(cfg.Dir, a.File), a.Offset, ErrCorrupt)
	_, err = ReadLocation(cfg.Dir, Location{File: "nianbao-20000101000000-00001.warc.gz"})
	wantReadError(t, "missing file", err, filepath.Join(cfg.Dir, "nianbao-20000101000000-00001.warc.gz"), 0, os.ErrNotExist)
}
