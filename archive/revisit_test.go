package archive

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestRevisit(t *testing.T) {
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	ctx := context.Background()
	body := binaryBody(50<<10, 42)
	orig := htmlExchange("http://127.0.0.1/2024/report.pdf", body)
	origLoc, err := w.Write(ctx, orig)
	if err != nil {
		t.Fatal(err)
	}

	// The same payload, fetched again a day later under another URL.
	same := htmlExchange("http://127.0.0.1/mirror/report.pdf", body)
	same.FetchedAt = orig.FetchedAt.Add(24 * time.Hour)
	same.Header = http.Header{"Content-Type": {"application/pdf"}, "Etag": {`"v1"`}}
	identLoc, err := w.WriteRevisit(ctx, same, origLoc, ProfileIdenticalPayloadDigest)
	if err != nil {
		t.Fatal(err)
	}

	// A conditional request answered 304.
	notMod := htmlExchange(orig.URL, nil)
	notMod.FetchedAt = orig.FetchedAt.Add(48 * time.Hour)
	notMod.RequestHeader = http.Header{"If-None-Match": {`"v1"`}}
	notMod.Status = http.StatusNotModified
	notMod.Header = http.Header{"Etag": {`"v1"`}}
	snmLoc, err := w.WriteRevisit(ctx, notMod, origLoc, ProfileServerNotModified)
	if err != nil {
		t.Fatal(err)
	}

	sizeBefore := fileSize(t, filepath.Join(cfg.Dir, origLoc.File+openSuffix))
	changed := htmlExchange(orig.URL, append([]byte{}, body[:len(body)-1]...))
	if _, err := w.WriteRevisit(ctx, changed, origLoc, ProfileIdenticalPayloadDigest); !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("WriteRevisit with a different body = %v, want ErrDigestMismatch", err)
	}
	if _, err := w.WriteRevisit(ctx, same, origLoc, Profile("http://example.org/other")); !errors.Is(err, ErrInvalidExchange) {
		t.Errorf("WriteRevisit with an unknown profile = %v, want ErrInvalidExchange", err)
	}
	if _, err := w.WriteRevisit(ctx, notMod, Location{}, ProfileServerNotModified); !errors.Is(err, ErrInvalidExchange) {
		t.Errorf("WriteRevisit without a referred record = %v, want ErrInvalidExchange", err)
	}
	if got := fileSize(t, filepath.Join(cfg.Dir, origLoc.File+openSuffix)); got != sizeBefore {
		t.Errorf("refused revisits wrote %d bytes", got-sizeBefore)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		loc        Location
		ex         Exchange
		profile    Profile
		wantHeader http.Header
	}{
		{"identical payload", identLoc, same, ProfileIdenticalPayloadDigest,
			http.Header{"Content-Type": {"application/pdf"}, "Etag": {`"v1"`}, "Content-Length": {strconv.Itoa(len(body))}}},
		{"server not modified", snmLoc, notMod, ProfileServerNotModified, http.Header{"Etag": {`"v1"`}}},
	}
	ia := iaCheckDir(t, cfg.Dir)
	var scanned []*Record
	if err := Scan(ctx, cfg.Dir, func(r *Record) error { scanned = append(scanned, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(scanned) != 3 || scanned[0].Type != "response" || scanned[1].Location != identLoc || scanned[2].Location != snmLoc {
		t.Fatalf("Scan yielded %d records; want the response and the two revisits in order", len(scanned))
	}
	for _, tt := range tests {
		got, err := ReadRecord(filepath.Join(cfg.Dir, tt.loc.File), tt.loc.Offset)
		if err != nil {
			t.Fatal(err)
		}
		if got.Location != tt.loc {
			t.Errorf("%s: Location = %+v, want %+v", tt.name, got.Location, tt.loc)
		}
		if got.Type != "revisit" || got.Profile != tt.profile {
			t.Errorf("%s: Type, Profile = %s, %s", tt.name, got.Type, got.Profile)
		}
		if got.RefersTo != origLoc.RecordID || got.RefersToTargetURI != orig.URL || !got.RefersToDate.Equal(orig.FetchedAt) {
			t.Errorf("%s: refers to %s %s %v, want %s %s %v", tt.name, got.RefersTo, got.RefersToTargetURI, got.RefersToDate, origLoc.RecordID, orig.URL, orig.FetchedAt)
		}
		if want := sha1Base32(body); got.PayloadDigest != want {
			t.Errorf("%s: PayloadDigest = %s, want the original's %s", tt.name, got.PayloadDigest, want)
		}
		if got.Status != tt.ex.Status || got.TargetURI != tt.ex.URL || !got.Date.Equal(tt.ex.FetchedAt) {
			t.Errorf("%s: %d %s %v, want %d %s %v", tt.name, got.Status, got.TargetURI, got.Date, tt.ex.Status, tt.ex.URL, tt.ex.FetchedAt)
		}
		if len(got.Body) != 0 {
			t.Errorf("%s: revisit has a %d-byte body", tt.name, len(got.Body))
		}
		if !equalHeader(got.Header, tt.wantHeader) {
			t.Errorf("%s: Header = %v, want %v", tt.name, got.Header, tt.wantHeader)
		}
		// Independently: the block is the HTTP head alone.
		r := ia[tt.loc.RecordID]
		if !bytes.HasSuffix(r.block, []byte("\r\n\r\n")) || len(r.payload(t)) != 0 {
			t.Errorf("%s: revisit block is not a bare HTTP head: %q", tt.name, r.block)
		}
		if got := r.header.Get("WARC-Profile"); got != string(tt.profile) {
			t.Errorf("%s: WARC-Profile %q", tt.name, got)
		}
	}
}

func equalHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w := b[k]
		if len(v) != len(w) {
			return false
		}
		for i := range v {
			if v[i] != w[i] {
				return false
			}
		}
	}
	return true
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestPayloadDigest(t *testing.T) {
	tests := []struct {
		body []byte
		want string
	}{
		// SHA-1 of "" is da39a3ee5e6b4b0d3255bfef95601890afd80709.
		{nil, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"},
		// SHA-1 of "hello" is aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d.
		{[]byte("hello"), "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N"},
	}
	for _, tt := range tests {
		if got := PayloadDigest(tt.body); got != tt.want {
			t.Errorf("PayloadDigest(%q) = %s, want %s", tt.body, got, tt.want)
		}
		if got := sha1Base32(tt.body); got != tt.want {
			t.Errorf("test helper sha1Base32(%q) = %s, want %s", tt.body, got, tt.want)
		}
	}
}
