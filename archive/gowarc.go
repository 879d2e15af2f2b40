package archive

import (
	"sync"

	"github.com/nlnwa/gowarc/v3"
)

// gowarcMu serialises the gowarc constructors (NewRecordBuilder,
// NewUnmarshaler). Each call sets a global in github.com/google/uuid
// (uuid.EnableRandPool) without synchronisation, which is a data race when
// two run at once, or when one runs while UUIDs are generated. With every
// call under this lock, and this package generating its own record IDs (so
// gowarc never generates one), the archive is race-free however many
// writers and readers run. It is the package's only global state.
var gowarcMu sync.Mutex

// newRecordBuilder is gowarc.NewRecordBuilder under gowarcMu.
func newRecordBuilder(typ gowarc.RecordType, opts ...gowarc.WarcRecordOption) gowarc.WarcRecordBuilder {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewRecordBuilder(typ, opts...)
}

// newUnmarshaler is gowarc.NewUnmarshaler under gowarcMu.
func newUnmarshaler(opts ...gowarc.WarcRecordOption) gowarc.Unmarshaler {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewUnmarshaler(opts...)
}
