//go:build linux

package chdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// process is the engine's process-wide state. libchdb is itself a
// process-wide singleton (one embedded server, one connection), so the
// guard that enforces that must be process-wide too: this is the package's
// one global, and it is only ever touched under mu.
var process struct {
	mu   sync.Mutex
	lib  *Library
	conn *Conn
}

// Library is the loaded libchdb. It is never unloaded: an embedded
// ClickHouse cannot be safely dlclosed. Safe for concurrent use.
type Library struct {
	path string

	connect   func(argc int32, argv **byte) *unsafe.Pointer
	closeConn func(conn *unsafe.Pointer)
	queryN    func(conn unsafe.Pointer, query *byte, queryLen uintptr, format *byte, formatLen uintptr) unsafe.Pointer
	destroy   func(result unsafe.Pointer)
	buffer    func(result unsafe.Pointer) *byte
	length    func(result unsafe.Pointer) uintptr
	errorMsg  func(result unsafe.Pointer) *byte
	elapsed   func(result unsafe.Pointer) float64
	rowsRead  func(result unsafe.Pointer) uint64

	// Optional symbols; nil when the library does not export them.
	classify   func(conn unsafe.Pointer, sql *byte, sqlLen uintptr, db *byte, dbLen uintptr, out *analysis) int32
	setSignals func(enabled int32)
	version    func() *byte

	// The streaming query calls (all or none).
	streamQuery  func(conn unsafe.Pointer, query *byte, queryLen uintptr, format *byte, formatLen uintptr) unsafe.Pointer
	streamFetch  func(conn unsafe.Pointer, result unsafe.Pointer) unsafe.Pointer
	streamCancel func(conn unsafe.Pointer, result unsafe.Pointer)

	// The streaming INSERT calls (all or none).
	insertStart   func(conn unsafe.Pointer, query *byte, queryLen uintptr, format *byte, formatLen uintptr) unsafe.Pointer
	insertError   func(stream unsafe.Pointer) *byte
	insertAppend  func(stream unsafe.Pointer, data *byte, n uintptr) int32
	insertDone    func(stream unsafe.Pointer) unsafe.Pointer
	insertCancel  func(stream unsafe.Pointer)
	insertDestroy func(stream unsafe.Pointer)
}

// Path returns the file the library was loaded from.
func (l *Library) Path() string { return l.path }

// Version returns libchdb's own release string (not the ClickHouse
// version), or "" when the library does not report one.
func (l *Library) Version() string {
	if l.version == nil {
		return ""
	}
	return goString(l.version())
}

// Load opens libchdb from the first candidate of s that loads, once per
// process: later calls return the library already loaded, whatever s says.
// When none loads it returns a *NotFoundError.
//
// Loading also tells the engine not to install its own handlers for fatal
// signals, and keeps the Go runtime's handlers in place.
func Load(s Search) (*Library, error) {
	process.mu.Lock()
	defer process.mu.Unlock()
	if process.lib != nil {
		return process.lib, nil
	}
	nf := &NotFoundError{}
	for _, p := range s.Candidates() {
		if strings.ContainsRune(p, '/') {
			if _, err := os.Stat(p); err != nil {
				nf.Tried = append(nf.Tried, Attempt{Path: p, Err: statReason(err)})
				continue
			}
		}
		h, err := purego.Dlopen(p, purego.RTLD_NOW|purego.RTLD_LOCAL)
		if err != nil {
			nf.Tried = append(nf.Tried, Attempt{Path: p, Err: err})
			continue
		}
		lib, err := bindLibrary(h, p)
		if err != nil {
			nf.Tried = append(nf.Tried, Attempt{Path: p, Err: err})
			continue
		}
		lib.disableEngineSignalHandlers()
		process.lib = lib
		return lib, nil
	}
	return nil, nf
}

// statReason shortens a stat error to its cause: the path is already in
// the Attempt.
func statReason(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// bindLibrary resolves the symbols nianbao uses from the library handle h.
func bindLibrary(h uintptr, path string) (*Library, error) {
	l := &Library{path: path}
	required := []struct {
		name string
		fn   any
	}{
		{"chdb_connect", &l.connect},
		{"chdb_close_conn", &l.closeConn},
		{"chdb_query_n", &l.queryN},
		{"chdb_destroy_query_result", &l.destroy},
		{"chdb_result_buffer", &l.buffer},
		{"chdb_result_length", &l.length},
		{"chdb_result_error", &l.errorMsg},
		{"chdb_result_elapsed", &l.elapsed},
		{"chdb_result_rows_read", &l.rowsRead},
	}
	for _, r := range required {
		sym, err := purego.Dlsym(h, r.name)
		if err != nil {
			return nil, fmt.Errorf("symbol %s missing (library too old?)", r.name)
		}
		purego.RegisterFunc(r.fn, sym)
	}
	optional := []struct {
		name string
		fn   any
	}{
		{"chdb_classify_query_n", &l.classify},
		{"chdb_set_signal_handlers_enabled", &l.setSignals},
		{"chdb_version", &l.version},
	}
	for _, o := range optional {
		if sym, err := purego.Dlsym(h, o.name); err == nil {
			purego.RegisterFunc(o.fn, sym)
		}
	}
	bindAll(h, []symbol{
		{"chdb_stream_query_n", &l.streamQuery},
		{"chdb_stream_fetch_result", &l.streamFetch},
		{"chdb_stream_cancel_query", &l.streamCancel},
	})
	bindAll(h, []symbol{
		{"chdb_stream_insert_n", &l.insertStart},
		{"chdb_stream_insert_error", &l.insertError},
		{"chdb_stream_append", &l.insertAppend},
		{"chdb_stream_done", &l.insertDone},
		{"chdb_stream_cancel_insert", &l.insertCancel},
		{"chdb_destroy_insert_stream", &l.insertDestroy},
	})
	return l, nil
}

// symbol names a library function and the Go func variable to bind it to.
type symbol struct {
	name string
	fn   any
}

// bindAll binds every symbol of a group, or none when one is missing.
func bindAll(h uintptr, group []symbol) {
	syms := make([]uintptr, len(group))
	for i, s := range group {
		sym, err := purego.Dlsym(h, s.name)
		if err != nil {
			return
		}
		syms[i] = sym
	}
	for i, s := range group {
		purego.RegisterFunc(s.fn, syms[i])
	}
}

// disableEngineSignalHandlers asks the engine to leave fatal signals to the
// Go runtime. The call itself resets those signals to SIG_DFL, so the Go
// runtime's handlers are saved before and restored after.
func (l *Library) disableEngineSignalHandlers() {
	if l.setSignals == nil {
		return
	}
	saved := saveSignals()
	l.setSignals(0)
	restoreSignals(saved)
}

// ErrBusy is returned by Connect while the process already has an open
// connection: the engine allows one per process.
var ErrBusy = errors.New("chdb engine already open in this process")

// Conn is the process's connection to the embedded engine. Statements run
// one at a time: Query serialises callers. Safe for concurrent use.
type Conn struct {
	lib  *Library
	args []string

	mu     sync.Mutex
	handle *unsafe.Pointer // chdb_connection*, nil once closed
	argv   [][]byte        // C strings for argv, kept alive for the connection's life
}

// Connect opens the process's engine connection with command-line style
// arguments, e.g. {"clickhouse", "--path=/data/dir"}. It fails with an
// error wrapping ErrBusy if a connection is already open.
func (l *Library) Connect(args []string) (*Conn, error) {
	process.mu.Lock()
	defer process.mu.Unlock()
	if process.conn != nil {
		return nil, fmt.Errorf("%w (%s); close it first", ErrBusy, strings.Join(process.conn.args[1:], " "))
	}
	argv := make([][]byte, len(args))
	ptrs := make([]*byte, len(args)+1)
	for i, a := range args {
		argv[i] = append([]byte(a), 0)
		ptrs[i] = &argv[i][0]
	}
	saved := saveSignals()
	h := l.connect(int32(len(args)), &ptrs[0])
	restoreSignals(saved)
	runtime.KeepAlive(argv)
	runtime.KeepAlive(ptrs)
	if h == nil || *h == nil {
		return nil, errors.New("chdb_connect failed")
	}
	c := &Conn{lib: l, args: args, handle: h, argv: argv}
	process.conn = c
	return c, nil
}

// Stats describes a finished statement.
type Stats struct {
	// Elapsed is the engine's execution time in seconds.
	Elapsed float64
	// RowsRead is the number of rows the statement read.
	RowsRead uint64
}

// Error is an error the engine reported for a statement.
type Error struct {
	// Code is the ClickHouse error code ("Code: 60."), 0 when absent.
	Code int
	// Message is the engine's text, trimmed.
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// newError parses the engine's message into an *Error.
func newError(msg string) *Error {
	msg = strings.TrimSpace(msg)
	e := &Error{Message: msg}
	s := strings.TrimPrefix(msg, "Error: ")
	if rest, ok := strings.CutPrefix(s, "Code: "); ok {
		n := 0
		for _, r := range rest {
			if r < '0' || r > '9' {
				break
			}
			n = n*10 + int(r-'0')
		}
		e.Code = n
	}
	return e
}

// ErrClosed is returned by a Conn's methods after Close.
var ErrClosed = errors.New("chdb connection closed")

// Query runs one statement and returns its output in the named ClickHouse
// output format (e.g. "JSONCompactEachRowWithNamesAndTypes"). The query
// text is passed by length, so it may carry binary data after a FORMAT
// clause. The returned bytes are a copy owned by the caller. A statement,
// once started, runs to completion.
func (c *Conn) Query(query, format string) ([]byte, Stats, error) {
	if query == "" {
		return nil, Stats{}, errors.New("empty query")
	}
	if format == "" {
		format = "TabSeparated"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle == nil {
		return nil, Stats{}, ErrClosed
	}
	return c.queryLocked(query, format)
}

// queryLocked is Query with c.mu held and the connection open.
func (c *Conn) queryLocked(query, format string) ([]byte, Stats, error) {
	r := c.lib.queryN(*c.handle, unsafe.StringData(query), uintptr(len(query)),
		unsafe.StringData(format), uintptr(len(format)))
	runtime.KeepAlive(query)
	runtime.KeepAlive(format)
	if r == nil {
		return nil, Stats{}, errors.New("chdb_query_n returned no result")
	}
	defer c.lib.destroy(r)
	if msg := c.lib.errorMsg(r); msg != nil {
		return nil, Stats{}, newError(goString(msg))
	}
	st := Stats{Elapsed: c.lib.elapsed(r), RowsRead: c.lib.rowsRead(r)}
	n := c.lib.length(r)
	if n == 0 {
		return nil, st, nil
	}
	buf := c.lib.buffer(r)
	if buf == nil {
		return nil, st, nil
	}
	out := make([]byte, n)
	copy(out, unsafe.Slice(buf, n))
	return out, st, nil
}

// codeStreamingUnsupported is the engine's answer when a statement (SHOW,
// DESCRIBE, EXISTS…) cannot be streamed.
const codeStreamingUnsupported = 36

// QueryContext is Query for statements whose output may be large or slow.
// Where the library has the streaming calls it reads the output block by
// block and, when ctx is done between blocks, cancels the statement and
// returns ctx.Err(). (A statement that outputs nothing until it finishes,
// such as a large GROUP BY, runs to completion first.)
//
// The output comes as chunks, each a complete document in format: a format
// with a header repeats it in every chunk. Statements the engine cannot
// stream are run with Query and return one chunk.
func (c *Conn) QueryContext(ctx context.Context, query, format string) ([][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if query == "" {
		return nil, errors.New("empty query")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	materialized := func() ([][]byte, error) {
		out, _, err := c.queryLocked(query, format)
		if err != nil || len(out) == 0 {
			return nil, err
		}
		return [][]byte{out}, nil
	}
	if c.lib.streamQuery == nil {
		return materialized()
	}
	conn := *c.handle
	s := c.lib.streamQuery(conn, unsafe.StringData(query), uintptr(len(query)),
		unsafe.StringData(format), uintptr(len(format)))
	runtime.KeepAlive(query)
	runtime.KeepAlive(format)
	if s == nil {
		return nil, errors.New("chdb_stream_query_n returned no result")
	}
	defer c.lib.destroy(s)
	if msg := c.lib.errorMsg(s); msg != nil {
		err := newError(goString(msg))
		if err.Code == codeStreamingUnsupported && strings.Contains(err.Message, "Streaming query is not supported") {
			return materialized()
		}
		return nil, err
	}
	var chunks [][]byte
	for {
		if err := ctx.Err(); err != nil {
			c.lib.streamCancel(conn, s)
			return nil, err
		}
		r := c.lib.streamFetch(conn, s)
		if r == nil {
			return nil, errors.New("chdb_stream_fetch_result returned no result")
		}
		if msg := c.lib.errorMsg(r); msg != nil {
			c.lib.destroy(r)
			return nil, newError(goString(msg))
		}
		n := c.lib.length(r)
		if n == 0 {
			c.lib.destroy(r)
			return chunks, nil
		}
		if buf := c.lib.buffer(r); buf != nil {
			chunks = append(chunks, append([]byte(nil), unsafe.Slice(buf, n)...))
		}
		c.lib.destroy(r)
	}
}

// Insert runs an INSERT statement (which names the table and columns but
// holds no data and no FORMAT clause) with data in the named input format.
// Where the library has the streaming INSERT calls the data is handed over
// as is; otherwise it is appended to the statement after a FORMAT clause.
func (c *Conn) Insert(insert, format string, data []byte) (Stats, error) {
	if c.lib.insertStart == nil {
		_, st, err := c.Query(insert+" FORMAT "+format+"\n"+string(data), "TabSeparated")
		return st, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle == nil {
		return Stats{}, ErrClosed
	}
	s := c.lib.insertStart(*c.handle, unsafe.StringData(insert), uintptr(len(insert)),
		unsafe.StringData(format), uintptr(len(format)))
	runtime.KeepAlive(insert)
	runtime.KeepAlive(format)
	if s == nil {
		return Stats{}, errors.New("chdb_stream_insert_n returned no stream")
	}
	defer c.lib.insertDestroy(s)
	if msg := c.lib.insertError(s); msg != nil {
		return Stats{}, newError(goString(msg))
	}
	if len(data) > 0 {
		ok := c.lib.insertAppend(s, &data[0], uintptr(len(data)))
		runtime.KeepAlive(data)
		if ok != 0 {
			msg := "chdb_stream_append failed"
			if m := c.lib.insertError(s); m != nil {
				msg = goString(m)
			}
			c.lib.insertCancel(s)
			return Stats{}, newError(msg)
		}
	}
	r := c.lib.insertDone(s)
	if r == nil {
		return Stats{}, errors.New("chdb_stream_done returned no result")
	}
	defer c.lib.destroy(r)
	if msg := c.lib.errorMsg(r); msg != nil {
		return Stats{}, newError(goString(msg))
	}
	return Stats{Elapsed: c.lib.elapsed(r), RowsRead: c.lib.rowsRead(r)}, nil
}

// QueryClass is how the engine's parser classifies a statement.
type QueryClass uint32

// Query classes, as chdb_query_class defines them.
const (
	ReadOnly       QueryClass = 0
	Mutating       QueryClass = 1
	MutatingGlobal QueryClass = 2
	Control        QueryClass = 3
	Unknown        QueryClass = 4
)

// String returns the class name.
func (q QueryClass) String() string {
	switch q {
	case ReadOnly:
		return "read-only"
	case Mutating:
		return "mutating"
	case MutatingGlobal:
		return "mutating-global"
	case Control:
		return "control"
	}
	return "unknown"
}

// Analysis is the engine parser's verdict on a text.
type Analysis struct {
	// Class is the statement's class; for several statements, the most
	// restrictive. Text that does not parse is Unknown.
	Class QueryClass
	// Statements counts the executable statements (0 if it does not parse).
	Statements int
}

// analysis mirrors struct chdb_query_analysis_v1.
type analysis struct {
	structSize     uint32
	statementCount uint32
	flags          uint32
	queryClass     uint32
}

// ErrUnsupported is returned when the loaded library lacks an optional call.
var ErrUnsupported = errors.New("not supported by this libchdb")

// Classify asks the engine's own parser what sql is, without running it.
// It returns ErrUnsupported when the library has no classifier.
func (c *Conn) Classify(sql string) (Analysis, error) {
	if c.lib.classify == nil {
		return Analysis{}, ErrUnsupported
	}
	if sql == "" {
		return Analysis{Class: Unknown}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle == nil {
		return Analysis{}, ErrClosed
	}
	out := analysis{structSize: uint32(unsafe.Sizeof(analysis{})), queryClass: uint32(Unknown)}
	state := c.lib.classify(*c.handle, unsafe.StringData(sql), uintptr(len(sql)), nil, 0, &out)
	runtime.KeepAlive(sql)
	if state != 0 {
		return Analysis{}, errors.New("chdb_classify_query_n failed")
	}
	return Analysis{Class: QueryClass(out.queryClass), Statements: int(out.statementCount)}, nil
}

// Close closes the connection and frees the process's engine for another
// Connect. It is safe to call more than once.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handle == nil {
		return nil
	}
	saved := saveSignals()
	c.lib.closeConn(c.handle)
	restoreSignals(saved)
	c.handle = nil
	c.argv = nil
	process.mu.Lock()
	if process.conn == c {
		process.conn = nil
	}
	process.mu.Unlock()
	return nil
}

// goString copies a NUL-terminated C string.
func goString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}
