package archive

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
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
