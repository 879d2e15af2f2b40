package warehouse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/nianbao/nianbao/warehouse/internal/chdb"
)

// engine is what the Warehouse needs of a transport. Both implementations
// are safe for concurrent use.
type engine interface {
	// exec runs a statement that returns no rows (DDL).
	exec(ctx context.Context, sql string) error
	// query runs a trusted statement and decodes its rows.
	query(ctx context.Context, sql string) (*Result, error)
	// queryReadOnly runs a user's statement under the engine's own
	// read-only enforcement and decodes its rows.
	queryReadOnly(ctx context.Context, sql string) (*Result, error)
	// insert writes a block into its table in one INSERT that names its
	// columns.
	insert(ctx context.Context, b *block) error
	// version returns the engine's ClickHouse version.
	version() string
	close() error
}

// errorCode returns the ClickHouse error code carried by err, or 0.
func errorCode(err error) int {
	var ce *chdb.Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return int(ex.Code)
	}
	return 0
}

// ClickHouse error codes the warehouse reacts to.
const (
	codeUnknownTable    = 60
	codeUnknownDatabase = 81
	codeReadOnly        = 164
)

// Date and DateTime bounds shared by both engines.
var (
	minDate     = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate     = time.Date(2149, 6, 6, 0, 0, 0, 0, time.UTC)
	maxDateTime = time.Unix(math.MaxUint32, 0).UTC()
)

// clampDateTime keeps t inside DateTime's range, in UTC, to the second; the
// zero time becomes the epoch.
func clampDateTime(t time.Time) time.Time {
	switch {
	case t.Before(minDate):
		return minDate
	case t.After(maxDateTime):
		return maxDateTime
	}
	return t.UTC().Truncate(time.Second)
}

// dayNumber returns a Date's value: days since 1970-01-01.
func dayNumber(col string, t time.Time) (uint16, error) {
	days := t.Sub(minDate) / (24 * time.Hour)
	if days < 0 || days > math.MaxUint16 {
		return 0, fmt.Errorf("column %s: date %s out of range", col, t.Format(time.DateOnly))
	}
	return uint16(days), nil
}
