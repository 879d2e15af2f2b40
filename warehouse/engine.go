package warehouse

import (
	"context"
	"encoding/binary"
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
	// insert writes rows (values in t.cols order) into t in one INSERT
	// that names its columns.
	insert(ctx context.Context, t *table, rows [][]any) error
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

// appendRowBinary encodes one row in ClickHouse's RowBinary format.
func appendRowBinary(b []byte, cols []column, row []any) ([]byte, error) {
	if len(row) != len(cols) {
		return b, fmt.Errorf("row has %d values for %d columns", len(row), len(cols))
	}
	for i, c := range cols {
		v := row[i]
		bad := func() error { return fmt.Errorf("column %s (%s): unexpected %T", c.name, c.typ, v) }
		switch c.typ {
		case tString:
			s, ok := v.(string)
			if !ok {
				return b, bad()
			}
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		case tUInt8:
			x, ok := v.(uint8)
			if !ok {
				return b, bad()
			}
			b = append(b, x)
		case tUInt16:
			x, ok := v.(uint16)
			if !ok {
				return b, bad()
			}
			b = binary.LittleEndian.AppendUint16(b, x)
		case tUInt32:
			x, ok := v.(uint32)
			if !ok {
				return b, bad()
			}
			b = binary.LittleEndian.AppendUint32(b, x)
		case tUInt64:
			x, ok := v.(uint64)
			if !ok {
				return b, bad()
			}
			b = binary.LittleEndian.AppendUint64(b, x)
		case tFloat64:
			x, ok := v.(float64)
			if !ok {
				return b, bad()
			}
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		case tDateTime:
			x, ok := v.(time.Time)
			if !ok {
				return b, bad()
			}
			b = binary.LittleEndian.AppendUint32(b, uint32(clampDateTime(x).Unix()))
		case tNullUInt16:
			x, ok := v.(*uint16)
			if !ok {
				return b, bad()
			}
			if x == nil {
				b = append(b, 1)
				continue
			}
			b = append(b, 0)
			b = binary.LittleEndian.AppendUint16(b, *x)
		case tNullDate:
			x, ok := v.(*time.Time)
			if !ok {
				return b, bad()
			}
			if x == nil {
				b = append(b, 1)
				continue
			}
			days, err := dayNumber(c.name, *x)
			if err != nil {
				return b, err
			}
			b = append(b, 0)
			b = binary.LittleEndian.AppendUint16(b, days)
		case tNullFloat64:
			x, ok := v.(*float64)
			if !ok {
				return b, bad()
			}
			if x == nil {
				b = append(b, 1)
				continue
			}
			b = append(b, 0)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*x))
		case tDate:
			x, ok := v.(time.Time)
			if !ok {
				return b, bad()
			}
			days, err := dayNumber(c.name, x)
			if err != nil {
				return b, err
			}
			b = binary.LittleEndian.AppendUint16(b, days)
		case tNullDateTime:
			x, ok := v.(*time.Time)
			if !ok {
				return b, bad()
			}
			if x == nil {
				b = append(b, 1)
				continue
			}
			b = append(b, 0)
			b = binary.LittleEndian.AppendUint32(b, uint32(clampDateTime(*x).Unix()))
		case tArrayString:
			x, ok := v.([]string)
			if !ok {
				return b, bad()
			}
			b = binary.AppendUvarint(b, uint64(len(x)))
			for _, s := range x {
				b = binary.AppendUvarint(b, uint64(len(s)))
				b = append(b, s...)
			}
		case tArrayUInt64:
			x, ok := v.([]uint64)
			if !ok {
				return b, bad()
			}
			b = binary.AppendUvarint(b, uint64(len(x)))
			for _, n := range x {
				b = binary.LittleEndian.AppendUint64(b, n)
			}
		default:
			return b, bad()
		}
	}
	return b, nil
}

// dayNumber returns a Date's value: days since 1970-01-01.
func dayNumber(col string, t time.Time) (uint16, error) {
	days := t.Sub(minDate) / (24 * time.Hour)
	if days < 0 || days > math.MaxUint16 {
		return 0, fmt.Errorf("column %s: date %s out of range", col, t.Format(time.DateOnly))
	}
	return uint16(days), nil
}
