package archive

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// ErrClosed is returned by writes to a closed Writer.
var ErrClosed = errors.New("archive writer closed")

// Writer appends exchanges to WARC files in one directory, rotating files by
// size. It is safe for concurrent use: records are encoded and compressed
// concurrently, and written one exchange at a time, each exchange's records
// together. Close it to seal the last file.
type Writer struct {
	cfg    Config
	logger *slog.Logger
	run    string // UTC time stamp of the run, in every file name
	now    func() time.Time
	// strict builds the records gowarc validates and completes (length,
	// digests); trusted records are written directly (see member).
	strict     []gowarc.WarcRecordOption
	gzips      sync.Pool // of *gzip.Writer at cfg.CompressionLevel
	outs, raws sync.Pool // of *bytes.Buffer: encoded exchanges, marshalled records

	sem chan struct{} // held while touching the fields below; a channel so waiting honours ctx

	file    *os.File // nil when no file is open
	name    string   // final base name of file
	size    int64    // bytes in file
	records int      // exchanges in file
	infoID  string   // record ID of file's warcinfo
	gen     uint64   // counts files opened, so encoders can tell a rotation
	seq     int      // sequence number of the last file name tried
	closed  bool
}

// NewWriter returns a Writer for cfg, creating cfg.Dir if needed. No file is
// created until the first write. A nil logger discards.
func NewWriter(cfg Config, logger *slog.Logger) (*Writer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create archive dir: %w", err)
	}
	w := &Writer{
		cfg:    cfg,
		logger: logger,
		now:    time.Now,
		sem:    make(chan struct{}, 1),
		strict: []gowarc.WarcRecordOption{
			gowarc.WithVersion(gowarc.V1_1),
			gowarc.WithStrictValidation(),
			gowarc.WithBlockErrorPolicy(gowarc.ErrFail),
			gowarc.WithDefaultDigestAlgorithm("sha1"),
			gowarc.WithDefaultDigestEncoding(gowarc.Base32),
			gowarc.WithAddMissingDigest(true),
			// The body is in memory already; never spill it to a temporary file.
			gowarc.WithBufferMaxMemBytes(math.MaxInt32),
		},
	}
	w.outs.New = func() any { return new(bytes.Buffer) }
	w.raws.New = func() any { return new(bytes.Buffer) }
	w.run = w.now().UTC().Format("20060102150405")
	w.gzips.New = func() any {
		zw, _ := gzip.NewWriterLevel(nil, cfg.CompressionLevel) // the level was validated
		return zw
	}
	return w, nil
}

// Write archives ex as a request record and a response record and returns
// the response record's Location. It returns once the records are handed to
// the operating system (and, with Config.Sync, on disk). ctx bounds the wait
// for other writes; a write that has started is not interrupted. An invalid
// ex yields an error wrapping ErrInvalidExchange and writes nothing.
func (w *Writer) Write(ctx context.Context, ex Exchange) (Location, error) {
	c, err := check(ex)
	if err != nil {
		return Location{}, fmt.Errorf("archive %s: %w", ex.URL, err)
	}
	x, err := newResponsePair(c)
	if err != nil {
		return Location{}, fmt.Errorf("archive %s: %w", ex.URL, err)
	}
	loc, err := w.commit(ctx, x)
	if err != nil {
		return Location{}, fmt.Errorf("archive %s: %w", ex.URL, err)
	}
	return loc, nil
}

// WriteRevisit archives ex as a request record and a revisit record that
// refers to the record at refersTo, with the given profile, and returns the
// revisit record's Location. The revisit record holds ex's status line and
// header but not its body.
//
// refersTo.RecordID is required. For ProfileIdenticalPayloadDigest, ex.Body
// must have refersTo.PayloadDigest (see PayloadDigest), or nothing is written.
// For ProfileServerNotModified ex is typically a 304 with an empty body.
func (w *Writer) WriteRevisit(ctx context.Context, ex Exchange, refersTo Location, profile Profile) (Location, error) {
	c, err := check(ex)
	if err != nil {
		return Location{}, fmt.Errorf("archive revisit %s: %w", ex.URL, err)
	}
	x, err := newRevisitPair(c, refersTo, profile)
	if err != nil {
		return Location{}, fmt.Errorf("archive revisit %s: %w", ex.URL, err)
	}
	loc, err := w.commit(ctx, x)
	if err != nil {
		return Location{}, fmt.Errorf("archive revisit %s: %w", ex.URL, err)
	}
	return loc, nil
}

// Close seals the current file: it is synced, closed and renamed to its final
// name. Writes after Close fail with ErrClosed; Close is idempotent.
func (w *Writer) Close() error {
	w.sem <- struct{}{}
	defer func() { <-w.sem }()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.closeFile()
}

// lock takes the writer's lock, or gives up when ctx is done.
func (w *Writer) lock(ctx context.Context) error {
	select {
	case w.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Writer) unlock() { <-w.sem }

// commit encodes x and appends it to the current file, rotating as needed.
// Encoding needs the current file's warcinfo ID, so it happens against a
// snapshot taken under the lock, outside it; if the file changed meanwhile
// (another write rotated it) x is encoded again under the lock.
func (w *Writer) commit(ctx context.Context, x *pair) (Location, error) {
	if err := ctx.Err(); err != nil {
		return Location{}, err
	}
	if err := w.lock(ctx); err != nil {
		return Location{}, err
	}
	if err := w.ensureFile(); err != nil {
		w.unlock()
		return Location{}, err
	}
	gen, infoID := w.gen, w.infoID
	w.unlock()

	enc, err := w.encode(x, infoID)
	if err != nil {
		return Location{}, err
	}
	defer func() { release(&w.outs, enc.buf) }()

	if err := w.lock(ctx); err != nil {
		return Location{}, err
	}
	defer w.unlock()
	if w.file != nil && w.records > 0 && w.size+int64(len(enc.data)) > w.cfg.MaxFileSize {
		if err := w.closeFile(); err != nil {
			return Location{}, err
		}
	}
	if err := w.ensureFile(); err != nil {
		return Location{}, err
	}
	if w.gen != gen {
		release(&w.outs, enc.buf)
		if enc, err = w.encode(x, w.infoID); err != nil {
			return Location{}, err
		}
	}
	offset := w.size
	if err := w.append(enc.data); err != nil {
		return Location{}, err
	}
	w.records++
	loc := x.loc
	loc.File = w.name
	loc.Offset = offset + enc.second
	loc.Length = int64(len(enc.data)) - enc.second
	loc.PayloadDigest = enc.digest
	if w.size >= w.cfg.MaxFileSize {
		if err := w.closeFile(); err != nil {
			return loc, err
		}
	}
	return loc, nil
}

// ensureFile opens a new file if none is open. The caller holds the lock.
func (w *Writer) ensureFile() error {
	if w.closed {
		return ErrClosed
	}
	if w.file != nil {
		return nil
	}
	return w.openFile()
}

// openFile claims the next free file name, creates the file under its
// ".open" name and writes its warcinfo record. The caller holds the lock.
func (w *Writer) openFile() error {
	const tries = 1000
	for range tries {
		w.seq++
		name := fmt.Sprintf("%s-%s-%05d.warc.gz", w.cfg.Prefix, w.run, w.seq)
		final := filepath.Join(w.cfg.Dir, name)
		f, err := os.OpenFile(final+openSuffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("create warc file: %w", err)
		}
		if _, err := os.Lstat(final); err == nil || !errors.Is(err, fs.ErrNotExist) {
			// Taken by an earlier run (or unreadable): leave it alone.
			f.Close()
			os.Remove(f.Name())
			continue
		}
		if err := w.startFile(f, name); err != nil {
			f.Close()
			os.Remove(f.Name())
			return err
		}
		return nil
	}
	return fmt.Errorf("create warc file: no free name after %d tries", tries)
}

// startFile writes the warcinfo record to the new file f and makes it
// current.
func (w *Writer) startFile(f *os.File, name string) error {
	id := newRecordID()
	var block strings.Builder
	block.WriteString("software: " + w.cfg.Software + "\r\n")
	block.WriteString("format: WARC File Format 1.1\r\n")
	block.WriteString("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if w.cfg.Operator != "" {
		block.WriteString("operator: " + w.cfg.Operator + "\r\n")
	}
	spec := recordSpec{
		typ: gowarc.Warcinfo,
		fields: [][2]string{
			{gowarc.WarcRecordID, "<" + id + ">"},
			{gowarc.WarcDate, w.now().UTC().Format(time.RFC3339Nano)},
			{gowarc.WarcFilename, name},
			{gowarc.ContentType, gowarc.ApplicationWarcFields},
		},
		head: []byte(block.String()),
	}
	var buf bytes.Buffer
	if _, err := w.member(&buf, spec, ""); err != nil {
		return fmt.Errorf("warcinfo for %s: %w", name, err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write warcinfo to %s: %w", name, err)
	}
	if w.cfg.Sync {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", name, err)
		}
		if err := syncDir(w.cfg.Dir); err != nil {
			return err
		}
	}
	w.file, w.name, w.size, w.records, w.infoID = f, name, int64(buf.Len()), 0, id
	w.gen++
	w.logger.Debug("warc file opened", "file", name)
	return nil
}

// append writes data to the current file in one call. On a failed or short
// write it cuts the file back to its last complete record; if even that
// fails, the file is abandoned under its ".open" name (readers drop its
// truncated tail) and the next write starts a new file.
func (w *Writer) append(data []byte) error {
	n, err := w.file.Write(data)
	if err == nil && w.cfg.Sync {
		err = w.file.Sync()
		n = len(data)
	}
	if err == nil {
		w.size += int64(n)
		return nil
	}
	err = fmt.Errorf("write %s: %w", w.name, err)
	if terr := w.file.Truncate(w.size); terr != nil {
		name := w.name
		w.file.Close()
		w.file = nil
		return errors.Join(err, fmt.Errorf("abandon %s%s after failed truncate: %w", name, openSuffix, terr))
	}
	return err
}

// closeFile seals the current file, if any: sync, close, rename to the final
// name, sync the directory. The caller holds the lock.
func (w *Writer) closeFile() error {
	if w.file == nil {
		return nil
	}
	f, name, size, records := w.file, w.name, w.size, w.records
	w.file = nil
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	final := filepath.Join(w.cfg.Dir, name)
	if err := os.Rename(final+openSuffix, final); err != nil {
		return fmt.Errorf("seal %s: %w", name, err)
	}
	if err := syncDir(w.cfg.Dir); err != nil {
		return err
	}
	w.logger.Info("warc file sealed", "file", name, "bytes", size, "exchanges", records)
	return nil
}

// syncDir fsyncs a directory, making renames and creations in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir: %w", err)
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return d.Close()
}

// newRecordID returns a fresh WARC-Record-ID, without angle brackets: a
// random (version 4) UUID URN. It does not use github.com/google/uuid: see
// gowarcMu.
func newRecordID() string {
	var u [16]byte
	rand.Read(u[:])         // never fails (crypto/rand)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(u[:])
	return "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
