package warehouse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nianbao/nianbao/warehouse/internal/chdb"
)

// ErrEngineMissing is matched (errors.Is) by the error Open returns when
// the embedded engine's library, libchdb.so, cannot be found or loaded.
var ErrEngineMissing = errors.New("embedded ClickHouse engine (libchdb.so) not found")

// ErrEngineInUse is matched by the error Open returns when the embedded
// engine cannot be had: another process holds the data directory, or this
// process already has a chdb warehouse open (libchdb allows one per
// process).
var ErrEngineInUse = errors.New("embedded ClickHouse engine in use")

// engineMissingHint tells the user how to get the library.
const engineMissingHint = "run `make setup` (fetches @chdb/lib-linux-x64-gnu 26.7.3-stable.1) or set CHDB_LIB_PATH"

// chdbOutputFormat is the format a result is read in when it holds a type
// decodeRowBinary leaves to JSON: names, types, then one JSON array per
// row. Other results are read in chdbBinaryFormat.
const chdbOutputFormat = "JSONCompactEachRowWithNamesAndTypes"

// chdbSession are the settings every chdb connection starts with: results
// decode the same way as from a server configured for UTC, and an INSERT
// has landed when it returns (chdb enables asynchronous inserts by
// default, which also holds each one back until the async queue flushes).
func chdbSession() []string {
	return []string{
		"SET session_timezone = 'UTC'",
		"SET async_insert = 0",
		"SET output_format_json_quote_64bit_integers = 0",
		"SET output_format_json_quote_denormals = 1",
		// "/" as is rather than "\/": URLs then decode without unescaping.
		"SET output_format_json_escape_forward_slashes = 0",
		// Duplicates within one INSERT are left to merges and FINAL (every
		// view reads with FINAL): collapsing them on insert costs a third
		// of the load's time.
		"SET optimize_on_insert = 0",
		// No JIT: the engine compiles an expression the third time it
		// sees it, in that query, and the compile (100-150 ms) dwarfs a
		// dashboard query (15-60 ms on a province) and what compiled code
		// then saves it (about 1 ms a run). 18.16 compiles nothing by
		// default, so the server engine needs no such setting.
		"SET compile_expressions = 0",
		"SET compile_aggregate_expressions = 0",
		"SET compile_sort_description = 0",
	}
}

// chdbEngine is the embedded engine: libchdb loaded into this process.
type chdbEngine struct {
	conn *chdb.Conn
	ver  string

	// readOnly remembers statements the engine classified as one
	// read-only statement: dashboards ask the same ones again and again,
	// and classifying costs about 2 ms.
	mu       sync.Mutex
	readOnly map[string]struct{}

	// insertMu guards insertBufs, the buffers of finished INSERTs' Native
	// encodings, kept for the next: a load's blocks are tens of MB each,
	// and a fresh buffer per block cost more (growing it, faulting its
	// pages in) than encoding into it. Concurrent INSERTs encode into
	// buffers of their own; the engine runs one statement at a time.
	insertMu   sync.Mutex
	insertBufs [][]byte
}

// maxInsertBuf is the largest encoding buffer an engine keeps between
// INSERTs, and maxInsertBufs how many it keeps (one for each table a load
// writes).
const (
	maxInsertBuf  = 512 << 20
	maxInsertBufs = 6
)

// maxReadOnlyCache bounds chdbEngine.readOnly; past it the set starts over.
const maxReadOnlyCache = 1024

// openCHDB loads libchdb (once per process) and opens dir.
func openCHDB(ctx context.Context, dir string, cfg Config, logger *slog.Logger) (*chdbEngine, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("chdb directory %s: %w", dir, err)
	}
	search := chdb.Search{Explicit: cfg.CHDBLibrary, Env: os.Getenv("CHDB_LIB_PATH")}
	if wd, err := os.Getwd(); err == nil {
		search.WorkDir = wd
	}
	if exe, err := os.Executable(); err == nil {
		search.Executable = exe
	}
	start := time.Now()
	lib, err := chdb.Load(search)
	if err != nil {
		return nil, fmt.Errorf("%w: %w; %s", ErrEngineMissing, err, engineMissingHint)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("chdb directory: %w", err)
	}
	if err := chdb.CheckLock(abs); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEngineInUse, err)
	}
	conn, err := lib.Connect([]string{"clickhouse", "--path=" + abs})
	if errors.Is(err, chdb.ErrBusy) {
		return nil, fmt.Errorf("%w: open %s: %w", ErrEngineInUse, abs, err)
	}
	if err != nil {
		// The usual cause is a process that took the lock after our probe.
		if lerr := chdb.CheckLock(abs); lerr != nil {
			return nil, fmt.Errorf("%w: %w", ErrEngineInUse, lerr)
		}
		return nil, fmt.Errorf("open chdb warehouse %s: %w", abs, err)
	}
	e := &chdbEngine{conn: conn}
	for _, s := range chdbSession() {
		if err := e.exec(ctx, s); err != nil {
			conn.Close()
			return nil, fmt.Errorf("open chdb warehouse %s: %w", abs, err)
		}
	}
	r, err := e.query(ctx, "SELECT version()")
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("open chdb warehouse %s: %w", abs, err)
	}
	if len(r.Rows) == 1 {
		e.ver, _ = r.Rows[0][0].(string)
	}
	logger.Debug("chdb warehouse open", "dir", abs, "library", lib.Path(), "version", e.ver,
		"elapsed", time.Since(start))
	return e, nil
}

func (e *chdbEngine) version() string { return e.ver }

func (e *chdbEngine) close() error { return e.conn.Close() }

func (e *chdbEngine) exec(ctx context.Context, sql string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, _, err := e.conn.Query(sql, "TabSeparated")
	return err
}

func (e *chdbEngine) query(ctx context.Context, sql string) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	chunks, err := e.conn.QueryContext(ctx, sql, chdbBinaryFormat)
	if err != nil {
		return nil, err
	}
	r, err := decodeRowBinary(chunks)
	if !errors.Is(err, errBinaryType) {
		return r, err
	}
	// A type only the JSON decoder reads: the statement (a read) again.
	if chunks, err = e.conn.QueryContext(ctx, sql, chdbOutputFormat); err != nil {
		return nil, err
	}
	return decodeJSONCompact(chunks)
}

// queryReadOnly asks the engine's own parser what the statement is, and
// runs it only if it is exactly one read-only statement. (chdb has no
// per-statement readonly setting: SET readonly cannot be undone.)
func (e *chdbEngine) queryReadOnly(ctx context.Context, sql string) (*Result, error) {
	e.mu.Lock()
	_, known := e.readOnly[sql]
	e.mu.Unlock()
	if known {
		return e.query(ctx, sql)
	}
	a, err := e.conn.Classify(sql)
	switch {
	case errors.Is(err, chdb.ErrUnsupported):
		// An older library: the lexical check in Query stands alone.
	case err != nil:
		return nil, err
	case a.Statements != 1:
		return nil, fmt.Errorf("%w: the engine reads %d statements", ErrReadOnly, a.Statements)
	case a.Class != chdb.ReadOnly:
		return nil, fmt.Errorf("%w: the engine classifies the statement as %s", ErrReadOnly, a.Class)
	default:
		e.mu.Lock()
		if e.readOnly == nil || len(e.readOnly) >= maxReadOnlyCache {
			e.readOnly = make(map[string]struct{})
		}
		e.readOnly[sql] = struct{}{}
		e.mu.Unlock()
	}
	return e.query(ctx, sql)
}

// insert sends a block in the Native format through the engine's
// streaming INSERT: columns arrive whole and are never parsed as text or
// row by row (Native reads several times faster than RowBinary here).
func (e *chdbEngine) insert(ctx context.Context, b *block) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	size := b.nativeSize()
	e.insertMu.Lock()
	buf := takeBuffer(&e.insertBufs, size)
	e.insertMu.Unlock()
	buf, err := b.appendNativeSized(buf[:0], size)
	if err == nil {
		_, err = e.conn.Insert("INSERT INTO "+b.t.name+" "+b.t.columnList(), "Native", buf)
	}
	e.insertMu.Lock()
	putBuffer(&e.insertBufs, buf, maxInsertBufs, maxInsertBuf)
	e.insertMu.Unlock()
	return err
}

// putBuffer keeps buf in bufs for a later INSERT if it is at most max
// bytes: while bufs holds fewer than n buffers, or in place of the
// smallest if that is smaller (a large buffer saves more).
func putBuffer(bufs *[][]byte, buf []byte, n, max int) {
	if cap(buf) > max || n <= 0 {
		return
	}
	if len(*bufs) < n {
		*bufs = append(*bufs, buf)
		return
	}
	small := 0
	for i, b := range *bufs {
		if cap(b) < cap((*bufs)[small]) {
			small = i
		}
	}
	if cap((*bufs)[small]) < cap(buf) {
		(*bufs)[small] = buf
	}
}

// takeBuffer removes from bufs and returns the smallest buffer that holds
// size bytes, or else the largest (appendNative grows it): the tables of
// a load take blocks of very different sizes, and a buffer too small for
// the block at hand is a fresh allocation of the whole block.
func takeBuffer(bufs *[][]byte, size int) []byte {
	best := -1
	for i, b := range *bufs {
		switch {
		case best < 0:
			best = i
		case cap((*bufs)[best]) < size:
			if cap(b) > cap((*bufs)[best]) {
				best = i
			}
		case cap(b) >= size && cap(b) < cap((*bufs)[best]):
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	buf := (*bufs)[best]
	*bufs = slices.Delete(*bufs, best, best+1)
	return buf
}

// decodeJSONCompact decodes JSONCompactEachRowWithNamesAndTypes output
// that arrived in chunks, each with its own header.
func decodeJSONCompact(chunks [][]byte) (*Result, error) {
	r := &Result{Columns: []string{}, Types: []string{}, Rows: [][]any{}}
	var types []chType
	for n, chunk := range chunks {
		if len(bytes.TrimSpace(chunk)) == 0 {
			continue
		}
		// The two header lines, then a row per line.
		header, body, _ := cutLines(chunk, 2)
		dec := json.NewDecoder(bytes.NewReader(header))
		var names, typeNames []string
		if err := dec.Decode(&names); err != nil {
			return nil, fmt.Errorf("decode result header: %w", err)
		}
		if err := dec.Decode(&typeNames); err != nil {
			return nil, fmt.Errorf("decode result types: %w", err)
		}
		if len(typeNames) != len(names) {
			return nil, fmt.Errorf("decode result: %d names, %d types", len(names), len(typeNames))
		}
		if types == nil {
			r.Columns, r.Types = names, typeNames
			types = make([]chType, len(typeNames))
			for i, t := range typeNames {
				types[i] = parseType(t)
			}
		} else if !slices.Equal(names, r.Columns) || !slices.Equal(typeNames, r.Types) {
			return nil, fmt.Errorf("decode result: block %d has columns %v %v, block 0 %v %v",
				n, names, typeNames, r.Columns, r.Types)
		}
		// One string holds every row's text; the strings scanRow returns
		// are slices of it. Invalid UTF-8 is left to encoding/json, which
		// replaces it.
		text := string(body)
		fast := utf8.ValidString(text)
		var raw []any
		for len(text) > 0 {
			var line string
			line, text, _ = strings.Cut(text, "\n")
			if strings.TrimSpace(line) == "" {
				continue
			}
			err := errSlowRow
			if fast {
				raw, err = scanRow(line, raw)
			}
			if err != nil {
				// Arrays, objects, escaped strings: the general decoder.
				d := json.NewDecoder(strings.NewReader(line))
				d.UseNumber()
				raw = nil
				if err := d.Decode(&raw); err != nil {
					return nil, fmt.Errorf("decode result row %d: %w", len(r.Rows), err)
				}
				if d.More() {
					return nil, fmt.Errorf("decode result row %d: more than one value on its line", len(r.Rows))
				}
			}
			if len(raw) != len(types) {
				return nil, fmt.Errorf("decode result row %d: %d values for %d columns", len(r.Rows), len(raw), len(types))
			}
			row := make([]any, len(raw))
			for i, v := range raw {
				x, err := fromJSON(types[i], v)
				if err != nil {
					return nil, fmt.Errorf("decode result row %d column %s: %w", len(r.Rows), r.Columns[i], err)
				}
				row[i] = x
			}
			r.Rows = append(r.Rows, row)
		}
	}
	return r, nil
}

// cutLines splits b after its first n lines.
func cutLines(b []byte, n int) (head, rest []byte, ok bool) {
	end := 0
	for range n {
		i := bytes.IndexByte(b[end:], '\n')
		if i < 0 {
			return b, nil, false
		}
		end += i + 1
	}
	return b[:end], b[end:], true
}
