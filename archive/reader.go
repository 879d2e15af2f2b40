package archive

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// openSuffix marks a file still being written, or left by a writer that died.
const openSuffix = ".open"

// Errors a ReadError wraps to say why a record could not be read.
var (
	// ErrTruncated means the file ends inside the record.
	ErrTruncated = errors.New("truncated record")
	// ErrCorrupt means the bytes are not a well-formed record: bad gzip
	// data, a malformed WARC or HTTP header, a wrong length or digest.
	ErrCorrupt = errors.New("corrupt record")
)

// ReadError reports a record that could not be read: where, and why. Err
// wraps ErrTruncated, ErrCorrupt or the I/O error met.
type ReadError struct {
	// File is the path of the WARC file.
	File string
	// Offset is where the record starts in File.
	Offset int64
	// Err is what went wrong.
	Err error
}

// Error implements error.
func (e *ReadError) Error() string {
	return fmt.Sprintf("read %s at offset %d: %v", e.File, e.Offset, e.Err)
}

// Unwrap returns e.Err.
func (e *ReadError) Unwrap() error { return e.Err }

// Record is one WARC record as read back. For request, response and revisit
// records the HTTP message is parsed; for other records Body is the raw block.
type Record struct {
	// Location says where the record is, with its ID, payload digest,
	// target URI and date.
	Location
	// Type is the WARC-Type: "response", "revisit", "request", "warcinfo"…
	Type string
	// WarcinfoID is the record ID of the file's warcinfo record.
	WarcinfoID string
	// ConcurrentTo holds the record IDs of the records written with this
	// one (the request for a response, and vice versa).
	ConcurrentTo []string
	// IP is the WARC-IP-Address, if any.
	IP string
	// Proto is the HTTP version of the exchange ("HTTP/1.1", "HTTP/2.0"),
	// from WARC-Protocol when present, else from the HTTP message.
	Proto string
	// Method is the request method, for request records.
	Method string
	// Status is the HTTP status code, for response and revisit records.
	Status int
	// Header is the HTTP header: the response's, or the request's (with
	// Host) for request records.
	Header http.Header
	// Body is the HTTP payload; empty for revisit records. The Record owns
	// it; the caller may keep it.
	Body []byte
	// Profile is the revisit profile, for revisit records.
	Profile Profile
	// RefersTo is the record ID a revisit record stands in for.
	RefersTo string
	// RefersToTargetURI and RefersToDate describe that record, when known.
	RefersToTargetURI string
	RefersToDate      time.Time
}

// ReadRecord reads the record whose gzip member starts at offset in the WARC
// file at path (see Location). Any failure is a *ReadError.
func ReadRecord(path string, offset int64) (*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &ReadError{File: path, Offset: offset, Err: err}
	}
	defer f.Close()
	if offset < 0 {
		return nil, &ReadError{File: path, Offset: offset, Err: fmt.Errorf("%w: negative offset", ErrCorrupt)}
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, &ReadError{File: path, Offset: offset, Err: err}
	}
	r := newMemberReader(f, path, offset)
	rec, err := r.next()
	if err == io.EOF {
		return nil, &ReadError{File: path, Offset: offset, Err: fmt.Errorf("%w: no record at or after end of file", ErrCorrupt)}
	}
	return rec, err
}

// ReadLocation reads the record loc points at in the archive directory dir:
// in loc.File, or in loc.File plus ".open" while the writer still has it
// open. It checks that the record found is the one loc names (by record ID).
// Any failure is a *ReadError.
func ReadLocation(dir string, loc Location) (*Record, error) {
	path := filepath.Join(dir, loc.File)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(path + openSuffix); err == nil {
			path += openSuffix
		}
	}
	rec, err := ReadRecord(path, loc.Offset)
	if err != nil {
		return nil, err
	}
	if rec.RecordID != loc.RecordID {
		return nil, &ReadError{File: path, Offset: loc.Offset, Err: fmt.Errorf("%w: record %s, want %s", ErrCorrupt, rec.RecordID, loc.RecordID)}
	}
	return rec, nil
}

// Scan calls fn with every response and revisit record of every WARC file
// in dir ("*.warc.gz", and "*.warc.gz.open" files left by a running or
// crashed writer), file by file in name order, which is writing order, and
// record by record in file order. A truncated last record in a ".open" file
// is skipped silently: it is the record a writer had in flight. Scan stops at
// the first error: a *ReadError for a bad file, ctx's error, or fn's error as
// fn returned it.
func Scan(ctx context.Context, dir string, fn func(*Record) error) error {
	files, err := warcFiles(dir)
	if err != nil {
		return err
	}
	for _, path := range files {
		if err := scanFile(ctx, path, fn); err != nil {
			return err
		}
	}
	return nil
}

// warcFiles lists the WARC files in dir in scan order.
func warcFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && (strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".warc.gz"+openSuffix)) {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := strings.TrimSuffix(names[i], openSuffix), strings.TrimSuffix(names[j], openSuffix)
		if a != b {
			return a < b
		}
		return names[i] < names[j]
	})
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(dir, n)
	}
	return paths, nil
}

// scanFile calls fn with the response and revisit records in one file.
func scanFile(ctx context.Context, path string, fn func(*Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return &ReadError{File: path, Err: err}
	}
	defer f.Close()
	return scanStream(ctx, f, path, strings.HasSuffix(path, openSuffix), fn)
}

// scanStream calls fn with the response and revisit records read from r,
// the content of the file at path. If open, a truncated tail is no error.
func scanStream(ctx context.Context, r io.Reader, path string, open bool, fn func(*Record) error) error {
	mr := newMemberReader(r, path, 0)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := mr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if open && mr.tail(err) {
				return nil
			}
			return err
		}
		if rec.Type != "response" && rec.Type != "revisit" {
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// memberReader reads records, one per gzip member, from a WARC file.
type memberReader struct {
	path  string
	base  string // final base name, for Location.File
	start int64  // file offset of the reader's first byte
	cr    *countingReader
	br    *bufio.Reader
	zr    *gzip.Reader
	um    gowarc.Unmarshaler
}

func newMemberReader(r io.Reader, path string, start int64) *memberReader {
	cr := &countingReader{r: r}
	return &memberReader{
		path:  path,
		base:  strings.TrimSuffix(filepath.Base(path), openSuffix),
		start: start,
		cr:    cr,
		br:    bufio.NewReaderSize(cr, 64<<10),
		um: newUnmarshaler(
			gowarc.WithStrictValidation(),
			gowarc.WithBlockErrorPolicy(gowarc.ErrFail),
			gowarc.WithBufferMaxMemBytes(math.MaxInt32),
		),
	}
}

// pos returns the file offset of the next unread byte.
func (m *memberReader) pos() int64 { return m.start + m.cr.n - int64(m.br.Buffered()) }

// next reads the record at the current position; io.EOF at a clean end.
func (m *memberReader) next() (*Record, error) {
	off := m.pos()
	if _, err := m.br.Peek(1); err == io.EOF {
		return nil, io.EOF
	} else if err != nil {
		return nil, &ReadError{File: m.path, Offset: off, Err: err}
	}
	data, err := m.inflate()
	if err != nil {
		return nil, &ReadError{File: m.path, Offset: off, Err: err}
	}
	rec, err := m.parse(data)
	if err != nil {
		return nil, &ReadError{File: m.path, Offset: off, Err: fmt.Errorf("%w: %w", ErrCorrupt, err)}
	}
	rec.File, rec.Offset, rec.Length = m.base, off, m.pos()-off
	return rec, nil
}

// inflate decompresses the gzip member at the current position, leaving the
// position just past it.
func (m *memberReader) inflate() ([]byte, error) {
	var err error
	if m.zr == nil {
		m.zr, err = gzip.NewReader(m.br)
	} else {
		err = m.zr.Reset(m.br)
	}
	if err != nil {
		return nil, classify("gzip header", err)
	}
	m.zr.Multistream(false)
	data, err := io.ReadAll(m.zr)
	if err != nil {
		return nil, classify("gzip data", err)
	}
	return data, nil
}

// classify wraps a decompression error in ErrTruncated or ErrCorrupt.
func classify(what string, err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %s: %w", ErrTruncated, what, io.ErrUnexpectedEOF)
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum):
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, what, err)
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// tail reports whether err, met at the current record, is the kind a writer
// that died leaves at the end of an open file: a truncated record, or
// nothing but zero bytes (space the file system allocated but never wrote).
func (m *memberReader) tail(err error) bool {
	if errors.Is(err, ErrTruncated) {
		return true
	}
	if !errors.Is(err, ErrCorrupt) {
		return false
	}
	var re *ReadError
	if !errors.As(err, &re) {
		return false
	}
	// Re-read from the record's start: only zeros may follow.
	rs, ok := m.cr.r.(io.ReadSeeker)
	if !ok {
		return false
	}
	if _, err := rs.Seek(re.Offset-m.start, io.SeekStart); err != nil {
		return false
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := rs.Read(buf)
		for _, b := range buf[:n] {
			if b != 0 {
				return false
			}
		}
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// parse parses one decompressed member, which must hold exactly one record.
func (m *memberReader) parse(data []byte) (rec *Record, err error) {
	br := bufio.NewReader(bytes.NewReader(data))
	wr, skipped, validation, err := m.um.Unmarshal(br)
	if err != nil {
		if err == io.EOF {
			err = errors.New("empty gzip member")
		}
		return nil, err
	}
	defer func() {
		if cerr := wr.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if skipped != 0 {
		return nil, fmt.Errorf("%d bytes before the record", skipped)
	}
	if len(validation) > 0 {
		return nil, errors.Join(validation...)
	}
	if n, _ := io.Copy(io.Discard, br); n > 0 {
		return nil, fmt.Errorf("%d bytes after the record in its gzip member", n)
	}
	return toRecord(wr)
}

// toRecord maps a parsed gowarc record to a Record.
func toRecord(wr gowarc.WarcRecord) (*Record, error) {
	h := wr.WarcHeader()
	rec := &Record{
		Type:              wr.Type().String(),
		WarcinfoID:        h.GetId(gowarc.WarcWarcinfoID),
		IP:                h.Get(gowarc.WarcIPAddress),
		Profile:           Profile(h.Get(gowarc.WarcProfile)),
		RefersTo:          h.GetId(gowarc.WarcRefersTo),
		RefersToTargetURI: h.Get(gowarc.WarcRefersToTargetURI),
	}
	rec.RecordID = h.GetId(gowarc.WarcRecordID)
	rec.TargetURI = h.Get(gowarc.WarcTargetURI)
	rec.PayloadDigest = h.Get(gowarc.WarcPayloadDigest)
	var err error
	if rec.Date, err = time.Parse(time.RFC3339Nano, h.Get(gowarc.WarcDate)); err != nil {
		return nil, fmt.Errorf("WARC-Date: %w", err)
	}
	if h.Has(gowarc.WarcRefersToDate) {
		if rec.RefersToDate, err = time.Parse(time.RFC3339Nano, h.Get(gowarc.WarcRefersToDate)); err != nil {
			return nil, fmt.Errorf("WARC-Refers-To-Date: %w", err)
		}
	}
	for _, v := range h.GetAll(gowarc.WarcConcurrentTo) {
		rec.ConcurrentTo = append(rec.ConcurrentTo, strings.Trim(v, "<>"))
	}

	block := wr.Block()
	ph, ok := block.(gowarc.ProtocolHeaderBlock)
	if !ok {
		raw, err := block.RawBytes()
		if err != nil {
			return nil, fmt.Errorf("block: %w", err)
		}
		if rec.Body, err = io.ReadAll(raw); err != nil {
			return nil, fmt.Errorf("block: %w", err)
		}
		return rec, nil
	}
	if pb, ok := block.(gowarc.PayloadBlock); ok {
		p, err := pb.PayloadBytes()
		if err != nil {
			return nil, fmt.Errorf("payload: %w", err)
		}
		var body bytes.Buffer
		body.Grow(int(max(0, block.Size()-int64(len(ph.ProtocolHeaderBytes())))))
		if _, err := body.ReadFrom(p); err != nil {
			return nil, fmt.Errorf("payload: %w", err)
		}
		rec.Body = body.Bytes()
	}
	if err := parseHTTPHead(rec, ph.ProtocolHeaderBytes()); err != nil {
		return nil, err
	}
	if p := protoFromWARC(h.GetAll(fieldProtocol)); p != "" {
		rec.Proto = p
	}
	return rec, nil
}

// parseHTTPHead fills rec's HTTP fields from a request or response head.
func parseHTTPHead(rec *Record, head []byte) error {
	br := bufio.NewReader(bytes.NewReader(head))
	if bytes.HasPrefix(head, []byte("HTTP/")) {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return fmt.Errorf("http response header: %w", err)
		}
		rec.Status, rec.Proto, rec.Header = resp.StatusCode, resp.Proto, resp.Header
		return nil
	}
	req, err := http.ReadRequest(br)
	if err != nil {
		return fmt.Errorf("http request header: %w", err)
	}
	rec.Method, rec.Proto, rec.Header = req.Method, req.Proto, req.Header
	if req.Host != "" {
		rec.Header.Set("Host", req.Host)
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
