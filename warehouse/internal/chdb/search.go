package chdb

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// LibraryName is the file name of the engine library.
const LibraryName = "libchdb.so"

// DepsPath is where the project's setup step puts the library, relative to
// the repository root (or to an installed binary's directory).
const DepsPath = ".deps/chdb/libchdb.so"

// SystemPath is the conventional system-wide install location.
const SystemPath = "/usr/local/lib/libchdb.so"

// ErrNotFound is matched (errors.Is) by the error Load returns when no
// candidate library could be opened.
var ErrNotFound = errors.New("libchdb not found")

// NotFoundError lists where Load looked for the library and why each place
// failed.
type NotFoundError struct {
	// Tried holds one entry per candidate, in search order.
	Tried []Attempt
}

// Attempt is one candidate path and why it could not be opened.
type Attempt struct {
	Path string
	Err  error
}

// Error implements error.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString("tried ")
	for i, a := range e.Tried {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%v)", a.Path, a.Err)
	}
	return b.String()
}

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Search describes where to look for the library. Its zero value searches
// only the system locations.
type Search struct {
	// Explicit is a path chosen by configuration. When set, it is the only
	// candidate: a wrong explicit path is an error, not a reason to load
	// some other copy of the engine.
	Explicit string
	// Env is the value of $CHDB_LIB_PATH. When set (and Explicit is not),
	// it is the only candidate, for the same reason.
	Env string
	// WorkDir is the working directory; DepsPath is tried relative to it.
	WorkDir string
	// Executable is the running program's path; DepsPath is tried relative
	// to its directory and that directory's parent.
	Executable string
}

// Candidates returns the paths to try, in order, without duplicates: the
// explicit path or $CHDB_LIB_PATH alone when set; otherwise DepsPath
// relative to the working directory, to the executable's directory and to
// its parent, then SystemPath, then the bare LibraryName, which dlopen
// resolves through LD_LIBRARY_PATH and the loader cache.
func (s Search) Candidates() []string {
	if s.Explicit != "" {
		return []string{s.Explicit}
	}
	if s.Env != "" {
		return []string{s.Env}
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if s.WorkDir != "" {
		add(filepath.Join(s.WorkDir, DepsPath))
	}
	if s.Executable != "" {
		dir := filepath.Dir(s.Executable)
		add(filepath.Join(dir, DepsPath))
		add(filepath.Join(filepath.Dir(dir), DepsPath))
	}
	add(SystemPath)
	add(LibraryName)
	return out
}
