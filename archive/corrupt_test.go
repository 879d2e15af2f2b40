package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample writes three exchanges to a sealed file and returns its bytes and
// the responses' locations.
func sample(t *testing.T) ([]byte, []Location) {
	t.Helper()
	cfg := testConfig(t)
	w := newTestWriter(t, cfg)
	var locs []Location
	for i := range 3 {
		loc, err := w.Write(context.Background(), htmlExchange(fmt.Sprintf("http://127.0.0.1/%d", i), binaryBody(4<<10, uint64(i))))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg.Dir, locs[0].File))
	if err != nil {
		t.Fatal(err)
	}
	return data, locs
}

// put writes data as dir/name and returns the path.
func put(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// scanIDs scans dir and returns the record IDs seen and Scan's error.
func scanIDs(dir string) ([]string, error) {
	var ids []string
	err := Scan(context.Background(), dir, func(r *Record) error {
		ids = append(ids, r.RecordID)
		return nil
	})
	return ids, err
}

// wantReadError checks err is a *ReadError for path at offset wrapping
// target, and that its message names both.
func wantReadError(t *testing.T, what string, err error, path string, offset int64, target error) {
	t.Helper()
	var re *ReadError
	if !errors.As(err, &re) {
		t.Errorf("%s: error %v (%T), want *ReadError", what, err, err)
		return
	}
	if re.File != path || re.Offset != offset {
		t.Errorf("%s: ReadError at %s@%d, want %s@%d", what, re.File, re.Offset, path, offset)
	}
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want it to wrap %v", what, err, target)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprintf("offset %d", offset)) {
		t.Errorf("%s: message %q does not name the file and offset", what, msg)
	}
}

func TestTruncatedFile(t *testing.T) {
	data, locs := sample(t)
	last := locs[2]
	requestStart := locs[1].Offset + locs[1].Length // the last request record
	tests := []struct {
		name string
		cut  int64
		// wantIDs is how many responses survive; badOffset where a sealed
		// file reports truncation (-1: it does not).
		wantIDs   int
		badOffset int64
	}{
		{"inside the last response's data", last.Offset + last.Length/2, 2, last.Offset},
		{"inside the last response's trailer", last.Offset + last.Length - 3, 2, last.Offset},
		{"inside the last response's gzip header", last.Offset + 4, 2, last.Offset},
		{"inside the last request", requestStart + 20, 2, requestStart},
		{"between request and response", last.Offset, 2, -1},
		{"at the end", int64(len(data)), 3, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cut := data[:tt.cut]

			// A writer that died leaves the file under its .open name.
			dir := t.TempDir()
			put(t, dir, last.File+openSuffix, cut)
			ids, err := scanIDs(dir)
			if err != nil || len(ids) != tt.wantIDs {
				t.Errorf("open file: Scan = %v with %d records, want nil with %d", err, len(ids), tt.wantIDs)
			}

			// Under a final name the same cut is corruption.
			dir = t.TempDir()
			path := put(t, dir, last.File, cut)
			ids, err = scanIDs(dir)
			if tt.badOffset < 0 {
				if err != nil || len(ids) != tt.wantIDs {
					t.Errorf("sealed file: Scan = %v with %d records, want nil with %d", err, len(ids), tt.wantIDs)
				}
				return
			}
			wantReadError(t, "sealed file: Scan", err, path, tt.badOffset, ErrTruncated)
			if len(ids) != tt.wantIDs {
				t.Errorf("sealed file: Scan yielded %d records before the error, want %d", len(ids), tt.wantIDs)
			}
			_, err = ReadRecord(path, tt.badOffset)
			wantReadError(t, "ReadRecord", err, path, tt.badOffset, ErrTruncated)
		})
	}
}

func TestZeroTail(t *testing.T) {
	data, locs := sample(t)
	padded := append(append([]byte{}, data...), make([]byte, 8192)...)

	dir := t.TempDir()
	put(t, dir, locs[0].File+openSuffix, padded)
	if ids, err := scanIDs(dir); err != nil || len(ids) != 3 {
		t.Errorf("open file with a zero tail: Scan = %v with %d records, want nil with 3", err, len(ids))
	}

	dir = t.TempDir()
	path := put(t, dir, locs[0].File, padded)
	_, err := scanIDs(dir)
	wantReadError(t, "sealed file with a zero tail", err, path, int64(len(data)), ErrCorrupt)

	// Zeros followed by data are not a tail, even in an open file.
	dir = t.TempDir()
	path = put(t, dir, locs[0].File+openSuffix, append(padded, data...))
	_, err = scanIDs(dir)
	wantReadError(t, "open file, zeros then data", err, path, int64(len(data)), ErrCorrupt)
}

// recompress returns data with the member at [off, off+n) replaced by edit
// applied to its decompressed content, recompressed.
func recompress(t *testing.T, data []byte, off, n int64, edit func([]byte) []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data[off : off+n]))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(edit(plain))
	zw.Close()
	out := append([]byte{}, data[:off]...)
	out = append(out, buf.Bytes()...)
	return append(out, data[off+n:]...)
}

func TestCorruptFile(t *testing.T) {
	data, locs := sample(t)
	mid := locs[1]
	flip := func(at int64) []byte {
		d := append([]byte{}, data...)
		d[at] ^= 0x55
		return d
	}
	var garbageMember bytes.Buffer
	zw := gzip.NewWriter(&garbageMember)
	zw.Write([]byte("not a WARC record\r\n\r\n"))
	zw.Close()

	tests := []struct {
		name     string
		data     []byte
		offset   int64  // where the error must be reported
		contains string // in the error message
	}{
		{"bit flip in deflate data", flip(mid.Offset + mid.Length/2), mid.Offset, ""},
		{"bit flip in crc", flip(mid.Offset + mid.Length - 6), mid.Offset, "checksum"},
		{"payload changed, digest kept", recompress(t, data, mid.Offset, mid.Length, func(b []byte) []byte {
			b[len(b)-10] ^= 1 // inside the body
			return b
		}), mid.Offset, "digest"},
		{"block longer than Content-Length", recompress(t, data, mid.Offset, mid.Length, func(b []byte) []byte {
			return append(b[:len(b)-4], []byte("extra\r\n\r\n")...)
		}), mid.Offset, ""},
		{"two records in one member", recompress(t, data, mid.Offset, mid.Length, func(b []byte) []byte {
			return append(b, b...)
		}), mid.Offset, "after the record"},
		{"not a WARC record", append(append([]byte{}, data[:mid.Offset]...), garbageMember.Bytes()...), mid.Offset, ""},
		{"not gzip", []byte("WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n"), 0, "gzip"},
		{"random bytes", binaryBody(1000, 3)[20:], 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := put(t, dir, "x.warc.gz", tt.data)
			_, err := scanIDs(dir)
			wantReadError(t, "Scan", err, path, tt.offset, ErrCorrupt)
			if err != nil && !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Scan error %q does not mention %q", err, tt.contains)
			}
			_, err = ReadRecord(path, tt.offset)
			wantReadError(t, "ReadRecord", err, path, tt.offset, ErrCorrupt)
		})
	}
}

func TestReadRecordBadLocation(t *testing.T) {
	data, locs := sample(t)
	dir := t.TempDir()
	path := put(t, dir, locs[0].File, data)
	tests := []struct {
		name   string
		path   string
		offset int64
		target error
	}{
		{"not at a record start", path, locs[1].Offset + 1, ErrCorrupt},
		{"at end of file", path, int64(len(data)), ErrCorrupt},
		{"past end of file", path, int64(len(data)) + 100, ErrCorrupt},
		{"negative offset", path, -1, ErrCorrupt},
		{"no such file", filepath.Join(dir, "missing.warc.gz"), 0, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := ReadRecord(tt.path, tt.offset)
			if rec != nil {
				t.Errorf("ReadRecord returned a record")
			}
			wantReadError(t, "ReadRecord", err, tt.path, tt.offset, tt.target)
		})
	}
	// The good locations still read.
	for _, loc := range locs {
		if _, err := ReadRecord(path, loc.Offset); err != nil {
			t.Errorf("ReadRecord(%d): %v", loc.Offset, err)
		}
	}
}

func TestScanStops(t *testing.T) {
	data, locs := sample(t)
	dir := t.TempDir()
	put(t, dir, locs[0].File, data)
	put(t, dir, "README.txt", []byte("not a warc"))

	stop := errors.New("enough")
	n := 0
	err := Scan(context.Background(), dir, func(*Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("Scan with fn failing = %v after %d calls, want fn's error as is after 1", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = Scan(ctx, dir, func(*Record) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("Scan with ctx cancelled = %v after %d calls, want context.Canceled after 1", err, n)
	}

	if err := Scan(context.Background(), filepath.Join(dir, "missing"), func(*Record) error { return nil }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Scan of a missing dir = %v, want fs.ErrNotExist", err)
	}
	empty := t.TempDir()
	put(t, empty, "a.warc.gz", nil)
	if ids, err := scanIDs(empty); err != nil || len(ids) != 0 {
		t.Errorf("Scan of an empty file = %v, %d records", err, len(ids))
	}
}
