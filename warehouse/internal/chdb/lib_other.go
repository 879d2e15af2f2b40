//go:build !linux

package chdb

import (
	"context"
	"errors"
	"runtime"
)

// Library is the loaded libchdb; on this platform it cannot be loaded.
type Library struct{}

// Conn is a connection to the embedded engine; unavailable on this platform.
type Conn struct{}

// Stats describes a finished statement.
type Stats struct {
	Elapsed  float64
	RowsRead uint64
}

// Error is an error the engine reported for a statement.
type Error struct {
	Code    int
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

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
func (q QueryClass) String() string { return "unknown" }

// Analysis is the engine parser's verdict on a text.
type Analysis struct {
	Class      QueryClass
	Statements int
}

// Errors, as on Linux.
var (
	ErrBusy        = errors.New("chdb engine already open in this process")
	ErrClosed      = errors.New("chdb connection closed")
	ErrUnsupported = errors.New("not supported by this libchdb")
	ErrLocked      = errors.New("data directory in use by another process")
)

// Load always fails: libchdb is packaged for Linux only.
func Load(s Search) (*Library, error) {
	return nil, &NotFoundError{Tried: []Attempt{{Path: LibraryName, Err: errors.New("chdb is not supported on " + runtime.GOOS)}}}
}

// CheckLock does nothing on this platform.
func CheckLock(string) error { return nil }

// Path returns "".
func (l *Library) Path() string { return "" }

// Version returns "".
func (l *Library) Version() string { return "" }

// Connect always fails on this platform.
func (l *Library) Connect([]string) (*Conn, error) { return nil, ErrUnsupported }

// Query always fails on this platform.
func (c *Conn) Query(string, string) ([]byte, Stats, error) { return nil, Stats{}, ErrUnsupported }

// QueryContext always fails on this platform.
func (c *Conn) QueryContext(context.Context, string, string) ([][]byte, error) {
	return nil, ErrUnsupported
}

// Insert always fails on this platform.
func (c *Conn) Insert(string, string, []byte) (Stats, error) { return Stats{}, ErrUnsupported }

// Classify always fails on this platform.
func (c *Conn) Classify(string) (Analysis, error) { return Analysis{}, ErrUnsupported }

// Close does nothing.
func (c *Conn) Close() error { return nil }
