package archive

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
)

// TestFastRecordsMatchStrict checks that request and response records built
// without gowarc's validation, with the length and digests computed by the
// writer, are byte for byte what gowarc's strict validation gives for the
// same fields.
func TestFastRecordsMatchStrict(t *testing.T) {
	w := newTestWriter(t, testConfig(t))
	ex := htmlExchange("http://127.0.0.1:8080/2025/report.html?a=1&b=%E4%B8%AD", reportHTML(20<<10))
	tests := []struct {
		name string
		ex   Exchange
	}{
		{"html", ex},
		{"empty body", func() Exchange { e := ex; e.Body = nil; return e }()},
		{"not modified", func() Exchange { e := ex; e.Status, e.Body = http.StatusNotModified, nil; return e }()},
		{"binary h2 ipv6", func() Exchange {
			e := ex
			e.Body, e.Proto, e.IP = binaryBody(70<<10, 3), "HTTP/2.0", "::1"
			e.Header = http.Header{"Content-Type": {"application/pdf"}, "Content-Encoding": {"gzip"}}
			return e
		}()},
		{"gbk, no ip", func() Exchange {
			e := ex
			e.Body, e.IP = gbk(t, "<p>依申请公开 3 件</p>"), ""
			e.Header = http.Header{"Content-Type": {"text/html; charset=gbk"}}
			return e
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := check(tt.ex)
			if err != nil {
				t.Fatal(err)
			}
			x, err := newResponsePair(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, spec := range []recordSpec{x.first, x.second} {
				if !spec.trusted {
					t.Fatalf("%s spec is not trusted: the fast path is untested", spec.typ)
				}
				fast, fastDigest := memberBytes(t, w, spec)
				spec.trusted = false
				strict, strictDigest := memberBytes(t, w, spec)
				if !bytes.Equal(fast, strict) {
					t.Errorf("%s record:\nfast   %q\nstrict %q", spec.typ, head(fast), head(strict))
				}
				if fastDigest != strictDigest {
					t.Errorf("%s payload digest: fast %s, strict %s", spec.typ, fastDigest, strictDigest)
				}
			}
		})
	}
}

// memberBytes encodes spec and returns the record decompressed, with its
// payload digest.
func memberBytes(t *testing.T, w *Writer, spec recordSpec) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	digest, err := w.member(&buf, spec, "urn:uuid:00000000-0000-4000-8000-000000000000")
	if err != nil {
		t.Fatalf("member(trusted=%v): %v", spec.trusted, err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := io.Copy(io.Discard, &buf); n != 0 {
		t.Fatalf("%d bytes after the gzip member", n)
	}
	return data, digest
}

// head returns the record's WARC header.
func head(rec []byte) []byte {
	if i := bytes.Index(rec, []byte("\r\n\r\n")); i >= 0 {
		return rec[:i]
	}
	return rec
}
