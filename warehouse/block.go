package warehouse

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// colData holds one column of a block: the slice of the column's Go type
// (see colType) is used, the others stay nil.
type colData struct {
	strs   []string
	u8     []uint8
	u16    []uint16
	u32    []uint32
	u64    []uint64
	f64    []float64
	times  []time.Time    // DateTime, Date
	nu16   []*uint16      // Nullable(UInt16)
	ntimes []*time.Time   // Nullable(Date), Nullable(DateTime)
	nf64   []*float64     // Nullable(Float64)
	astrs  [][]string     // Array(String)
	packed *packedStrings // Array(String), already in the Native encoding
	au64   [][]uint64     // Array(UInt64)
	af64   [][]float64    // Array(Float64)
	au8    [][]uint8      // Array(UInt8)
	au32   [][]uint32     // Array(UInt32)
}

// block is rows for one table held column by column, so the hot paths
// append typed values without boxing them, and both engines send whole
// columns (the server as typed slices, chDB in the Native format).
type block struct {
	t    *table
	cols []colData
	n    int
}

// newBlock returns an empty block for t with room for n rows.
func newBlock(t *table, n int) *block {
	b := &block{t: t, cols: make([]colData, len(t.cols))}
	for i, c := range t.cols {
		d := &b.cols[i]
		switch c.typ {
		case tString:
			d.strs = make([]string, 0, n)
		case tUInt8:
			d.u8 = make([]uint8, 0, n)
		case tUInt16:
			d.u16 = make([]uint16, 0, n)
		case tUInt32:
			d.u32 = make([]uint32, 0, n)
		case tUInt64:
			d.u64 = make([]uint64, 0, n)
		case tFloat64:
			d.f64 = make([]float64, 0, n)
		case tDateTime, tDate:
			d.times = make([]time.Time, 0, n)
		case tNullUInt16:
			d.nu16 = make([]*uint16, 0, n)
		case tNullDate, tNullDateTime:
			d.ntimes = make([]*time.Time, 0, n)
		case tNullFloat64:
			d.nf64 = make([]*float64, 0, n)
		case tArrayString:
			d.astrs = make([][]string, 0, n)
		case tArrayUInt64:
			d.au64 = make([][]uint64, 0, n)
		case tArrayFloat64:
			d.af64 = make([][]float64, 0, n)
		case tArrayUInt8:
			d.au8 = make([][]uint8, 0, n)
		case tArrayUInt32:
			d.au32 = make([][]uint32, 0, n)
		}
	}
	return b
}

// rowsBlock returns rows (values in t.cols order, of the columns' Go
// types) as a block.
func rowsBlock(t *table, rows [][]any) (*block, error) {
	b := newBlock(t, len(rows))
	for i, row := range rows {
		if err := b.appendRow(row); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	return b, nil
}

// appendRow appends one row of boxed values.
func (b *block) appendRow(row []any) error {
	if len(row) != len(b.t.cols) {
		return fmt.Errorf("row has %d values for %d columns", len(row), len(b.t.cols))
	}
	for i, c := range b.t.cols {
		v := row[i]
		d := &b.cols[i]
		var ok bool
		switch c.typ {
		case tString:
			ok = push(&d.strs, v)
		case tUInt8:
			ok = push(&d.u8, v)
		case tUInt16:
			ok = push(&d.u16, v)
		case tUInt32:
			ok = push(&d.u32, v)
		case tUInt64:
			ok = push(&d.u64, v)
		case tFloat64:
			ok = push(&d.f64, v)
		case tDateTime, tDate:
			ok = push(&d.times, v)
		case tNullUInt16:
			ok = push(&d.nu16, v)
		case tNullDate, tNullDateTime:
			ok = push(&d.ntimes, v)
		case tNullFloat64:
			ok = push(&d.nf64, v)
		case tArrayString:
			ok = push(&d.astrs, v)
		case tArrayUInt64:
			ok = push(&d.au64, v)
		case tArrayFloat64:
			ok = push(&d.af64, v)
		case tArrayUInt8:
			ok = push(&d.au8, v)
		case tArrayUInt32:
			ok = push(&d.au32, v)
		}
		if !ok {
			return fmt.Errorf("column %s (%s): unexpected %T", c.name, c.typ, v)
		}
	}
	b.n++
	return nil
}

// rowWriter appends one row to a block value by value, in the table's
// column order and without boxing: a report row is some sixty values,
// which as a []any cost an allocation each. A value of the wrong type for
// its column, or a row of the wrong length, is reported by end.
type rowWriter struct {
	b   *block
	i   int
	err error
}

// row starts a row of b.
func (b *block) row() *rowWriter { return &rowWriter{b: b} }

// col returns the next column's data if its type is one of types, else
// records the error and returns a scratch column.
func (w *rowWriter) col(types ...colType) *colData {
	i := w.i
	w.i++
	if i < len(w.b.cols) && slices.Contains(types, w.b.t.cols[i].typ) {
		return &w.b.cols[i]
	}
	if w.err == nil {
		if i >= len(w.b.cols) {
			w.err = fmt.Errorf("row has more than %d values", len(w.b.cols))
		} else {
			w.err = fmt.Errorf("column %s (%s): a %s value", w.b.t.cols[i].name, w.b.t.cols[i].typ, types[0])
		}
	}
	return &colData{}
}

func (w *rowWriter) str(s string) { d := w.col(tString); d.strs = append(d.strs, s) }
func (w *rowWriter) u16(x uint16) { d := w.col(tUInt16); d.u16 = append(d.u16, x) }
func (w *rowWriter) u32(x uint32) { d := w.col(tUInt32); d.u32 = append(d.u32, x) }
func (w *rowWriter) u64(x uint64) { d := w.col(tUInt64); d.u64 = append(d.u64, x) }

func (w *rowWriter) time(t time.Time) {
	d := w.col(tDateTime, tDate)
	d.times = append(d.times, t)
}

func (w *rowWriter) nullU16(x *uint16) { d := w.col(tNullUInt16); d.nu16 = append(d.nu16, x) }

func (w *rowWriter) nullTime(t *time.Time) {
	d := w.col(tNullDate, tNullDateTime)
	d.ntimes = append(d.ntimes, t)
}

func (w *rowWriter) nullF64(x *float64) { d := w.col(tNullFloat64); d.nf64 = append(d.nf64, x) }
func (w *rowWriter) strs(a []string)    { d := w.col(tArrayString); d.astrs = append(d.astrs, a) }

// end ends the row: it counts if every column got a value of its type.
func (w *rowWriter) end() error {
	if w.err == nil && w.i != len(w.b.cols) {
		w.err = fmt.Errorf("row has %d values for %d columns", w.i, len(w.b.cols))
	}
	if w.err != nil {
		return fmt.Errorf("table %s: %w", w.b.t.name, w.err)
	}
	w.b.n++
	return nil
}

// push appends v to *dst when it is a T (else T's zero value, so the
// columns stay aligned), and reports whether it was.
func push[T any](dst *[]T, v any) bool {
	x, ok := v.(T)
	*dst = append(*dst, x)
	return ok
}

// slice returns rows [lo, hi) of b, sharing its memory.
func (b *block) slice(lo, hi int) *block {
	out := &block{t: b.t, cols: make([]colData, len(b.cols)), n: hi - lo}
	for i, d := range b.cols {
		o := &out.cols[i]
		switch {
		case d.strs != nil:
			o.strs = d.strs[lo:hi]
		case d.u8 != nil:
			o.u8 = d.u8[lo:hi]
		case d.u16 != nil:
			o.u16 = d.u16[lo:hi]
		case d.u32 != nil:
			o.u32 = d.u32[lo:hi]
		case d.u64 != nil:
			o.u64 = d.u64[lo:hi]
		case d.f64 != nil:
			o.f64 = d.f64[lo:hi]
		case d.times != nil:
			o.times = d.times[lo:hi]
		case d.nu16 != nil:
			o.nu16 = d.nu16[lo:hi]
		case d.ntimes != nil:
			o.ntimes = d.ntimes[lo:hi]
		case d.nf64 != nil:
			o.nf64 = d.nf64[lo:hi]
		case d.packed != nil:
			o.packed = d.packed.slice(lo, hi)
		case d.astrs != nil:
			o.astrs = d.astrs[lo:hi]
		case d.au64 != nil:
			o.au64 = d.au64[lo:hi]
		case d.af64 != nil:
			o.af64 = d.af64[lo:hi]
		case d.au8 != nil:
			o.au8 = d.au8[lo:hi]
		case d.au32 != nil:
			o.au32 = d.au32[lo:hi]
		}
	}
	return out
}

// check reports a column whose length is not the block's row count.
func (b *block) check() error {
	for i, c := range b.t.cols {
		d := b.cols[i]
		n := max(len(d.strs), len(d.u8), len(d.u16), len(d.u32), len(d.u64), len(d.f64), len(d.times),
			len(d.nu16), len(d.ntimes), len(d.nf64), len(d.astrs), len(d.au64), len(d.af64), len(d.au8), len(d.au32),
			d.packed.rows())
		if n != b.n {
			return fmt.Errorf("block %s: column %s has %d values for %d rows", b.t.name, c.name, n, b.n)
		}
	}
	return nil
}

// appendNative encodes b as one block of ClickHouse's Native format:
// column and row counts, then each column's name, type and values, column
// after column.
func (b *block) appendNative(buf []byte) ([]byte, error) {
	return b.appendNativeSized(buf, b.nativeSize())
}

// appendNativeSized is appendNative for a caller that has b.nativeSize()
// already (size): it grows buf once, by that much.
func (b *block) appendNativeSized(buf []byte, size int) ([]byte, error) {
	if err := b.check(); err != nil {
		return buf, err
	}
	buf = slices.Grow(buf, size)
	buf = binary.AppendUvarint(buf, uint64(len(b.t.cols)))
	buf = binary.AppendUvarint(buf, uint64(b.n))
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	for i, c := range b.t.cols {
		str(c.name)
		str(c.typ.String())
		d := b.cols[i]
		switch c.typ {
		case tString:
			for _, s := range d.strs {
				str(s)
			}
		case tUInt8:
			buf = append(buf, d.u8...)
		case tUInt16:
			for _, x := range d.u16 {
				buf = binary.LittleEndian.AppendUint16(buf, x)
			}
		case tUInt32:
			for _, x := range d.u32 {
				buf = binary.LittleEndian.AppendUint32(buf, x)
			}
		case tUInt64:
			for _, x := range d.u64 {
				buf = binary.LittleEndian.AppendUint64(buf, x)
			}
		case tFloat64:
			for _, x := range d.f64 {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
			}
		case tDateTime:
			for _, x := range d.times {
				buf = binary.LittleEndian.AppendUint32(buf, uint32(clampDateTime(x).Unix()))
			}
		case tDate:
			for _, x := range d.times {
				days, err := dayNumber(c.name, x)
				if err != nil {
					return buf, err
				}
				buf = binary.LittleEndian.AppendUint16(buf, days)
			}
		case tNullUInt16:
			for _, x := range d.nu16 {
				buf = append(buf, boolUint8(x == nil))
			}
			for _, x := range d.nu16 {
				var v uint16
				if x != nil {
					v = *x
				}
				buf = binary.LittleEndian.AppendUint16(buf, v)
			}
		case tNullDate:
			for _, x := range d.ntimes {
				buf = append(buf, boolUint8(x == nil))
			}
			for _, x := range d.ntimes {
				var days uint16
				if x != nil {
					var err error
					if days, err = dayNumber(c.name, *x); err != nil {
						return buf, err
					}
				}
				buf = binary.LittleEndian.AppendUint16(buf, days)
			}
		case tNullDateTime:
			for _, x := range d.ntimes {
				buf = append(buf, boolUint8(x == nil))
			}
			for _, x := range d.ntimes {
				var v uint32
				if x != nil {
					v = uint32(clampDateTime(*x).Unix())
				}
				buf = binary.LittleEndian.AppendUint32(buf, v)
			}
		case tNullFloat64:
			for _, x := range d.nf64 {
				buf = append(buf, boolUint8(x == nil))
			}
			for _, x := range d.nf64 {
				var v float64
				if x != nil {
					v = *x
				}
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
		case tArrayString:
			if p := d.packed; p != nil {
				for _, c := range p.counts {
					buf = binary.LittleEndian.AppendUint64(buf, c-p.base)
				}
				buf = append(buf, p.data...)
				continue
			}
			buf = appendOffsets(buf, d.astrs)
			for _, a := range d.astrs {
				for _, s := range a {
					str(s)
				}
			}
		case tArrayUInt64:
			buf = appendOffsets(buf, d.au64)
			for _, a := range d.au64 {
				for _, x := range a {
					buf = binary.LittleEndian.AppendUint64(buf, x)
				}
			}
		case tArrayFloat64:
			buf = appendOffsets(buf, d.af64)
			for _, a := range d.af64 {
				for _, x := range a {
					buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
				}
			}
		case tArrayUInt8:
			buf = appendOffsets(buf, d.au8)
			for _, a := range d.au8 {
				buf = append(buf, a...)
			}
		case tArrayUInt32:
			buf = appendOffsets(buf, d.au32)
			for _, a := range d.au32 {
				for _, x := range a {
					buf = binary.LittleEndian.AppendUint32(buf, x)
				}
			}
		default:
			return buf, fmt.Errorf("column %s: unsupported type %s", c.name, c.typ)
		}
	}
	return buf, nil
}

// nativeSize returns the length of b's Native encoding, so appendNative
// grows its buffer once rather than doubling it through the block.
func (b *block) nativeSize() int {
	str := func(s string) int { return uvarintLen(len(s)) + len(s) }
	strs := func(ss []string) int {
		n := 0
		for _, s := range ss {
			n += str(s)
		}
		return n
	}
	n := uvarintLen(len(b.t.cols)) + uvarintLen(b.n)
	for i, c := range b.t.cols {
		n += str(c.name) + str(c.typ.String())
		d := &b.cols[i]
		switch c.typ {
		case tString:
			n += strs(d.strs)
		case tUInt8:
			n += b.n
		case tUInt16, tDate:
			n += 2 * b.n
		case tUInt32, tDateTime:
			n += 4 * b.n
		case tUInt64, tFloat64:
			n += 8 * b.n
		case tNullUInt16, tNullDate:
			n += 3 * b.n
		case tNullDateTime:
			n += 5 * b.n
		case tNullFloat64:
			n += 9 * b.n
		case tArrayString:
			n += 8 * b.n
			if d.packed != nil {
				n += len(d.packed.data)
			}
			for _, a := range d.astrs {
				n += strs(a)
			}
		case tArrayUInt64, tArrayFloat64:
			n += 8 * b.n
			for _, a := range d.au64 {
				n += 8 * len(a)
			}
			for _, a := range d.af64 {
				n += 8 * len(a)
			}
		case tArrayUInt8:
			n += 8 * b.n
			for _, a := range d.au8 {
				n += len(a)
			}
		case tArrayUInt32:
			n += 8 * b.n
			for _, a := range d.au32 {
				n += 4 * len(a)
			}
		}
	}
	return n
}

// uvarintLen returns the length of n as an unsigned varint.
func uvarintLen(n int) int {
	l := 1
	for x := uint64(n); x >= 0x80; x >>= 7 {
		l++
	}
	return l
}

// columnSlice returns column i as the typed slice clickhouse-go appends.
func (b *block) columnSlice(i int) any {
	d := b.cols[i]
	switch b.t.cols[i].typ {
	case tString:
		return d.strs
	case tUInt8:
		return d.u8
	case tUInt16:
		return d.u16
	case tUInt32:
		return d.u32
	case tUInt64:
		return d.u64
	case tFloat64:
		return d.f64
	case tDateTime:
		ts := make([]time.Time, len(d.times))
		for j, x := range d.times {
			ts[j] = clampDateTime(x)
		}
		return ts
	case tDate:
		return d.times
	case tNullUInt16:
		return d.nu16
	case tNullDate, tNullDateTime:
		return d.ntimes
	case tNullFloat64:
		return d.nf64
	case tArrayString:
		if d.packed != nil {
			return d.packed.arrays()
		}
		return d.astrs
	case tArrayUInt64:
		return d.au64
	case tArrayFloat64:
		return d.af64
	case tArrayUInt8:
		return d.au8
	case tArrayUInt32:
		return d.au32
	}
	return nil
}

// appendOffsets appends the Native format's offsets of an Array column:
// the running total of the arrays' lengths, one UInt64 per row.
func appendOffsets[T any](buf []byte, arrays [][]T) []byte {
	var off uint64
	for _, a := range arrays {
		off += uint64(len(a))
		buf = binary.LittleEndian.AppendUint64(buf, off)
	}
	return buf
}

// packedStrings is an Array(String) column kept in the Native format's
// encoding as its rows are appended: each string as a varint length and
// its bytes, in data, and the running count of strings at the end of each
// row. Encoding a block then copies data whole; a column of []string
// windows cost a pointer per string, which the collector scans while the
// load runs, and a second pass over every string to encode it.
type packedStrings struct {
	data   []byte
	counts []uint64 // strings in data up to the end of each row, from base
	ends   []int    // len(data) at the end of each row
	base   uint64   // strings before row 0 (non-zero in a slice)
	n      uint64   // strings added (a slice is only read, never added to)
}

// newPackedStrings returns an empty column with room for rows rows and
// bytes bytes of encoded strings.
func newPackedStrings(rows, bytes int) *packedStrings {
	return &packedStrings{data: make([]byte, 0, bytes), counts: make([]uint64, 0, rows), ends: make([]int, 0, rows)}
}

// packedLen returns the length of s in a packedStrings' data.
func packedLen(s string) int { return uvarintLen(len(s)) + len(s) }

// appendPacked appends s to dst as the Native format encodes a string: its
// length as a varint (one byte below 128, the common case), then its
// bytes.
func appendPacked(dst []byte, s string) []byte {
	if len(s) < 0x80 {
		dst = append(dst, byte(len(s)))
	} else {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
	}
	return append(dst, s...)
}

// endRow ends the current row (the strings appended to data, and counted
// in n, since the last endRow).
func (p *packedStrings) endRow() {
	p.counts = append(p.counts, p.n)
	p.ends = append(p.ends, len(p.data))
}

// rows returns the number of rows; 0 for nil.
func (p *packedStrings) rows() int {
	if p == nil {
		return 0
	}
	return len(p.counts)
}

// slice returns rows [lo, hi), sharing p's memory.
func (p *packedStrings) slice(lo, hi int) *packedStrings {
	out := &packedStrings{counts: p.counts[lo:hi:hi], base: p.base}
	start := 0
	if lo > 0 {
		out.base, start = p.counts[lo-1], p.ends[lo-1]
	}
	if hi > lo {
		out.data = p.data[start:p.ends[hi-1]:p.ends[hi-1]]
	}
	out.ends = make([]int, hi-lo)
	for i, e := range p.ends[lo:hi] {
		out.ends[i] = e - start
	}
	return out
}

// arrays decodes the rows (for the server, which takes []string rows).
func (p *packedStrings) arrays() [][]string {
	out := make([][]string, len(p.counts))
	data, prev := p.data, p.base
	for i, c := range p.counts {
		row := make([]string, c-prev)
		for j := range row {
			l, k := binary.Uvarint(data)
			row[j], data = string(data[k:k+int(l)]), data[k+int(l):]
		}
		out[i], prev = row, c
	}
	return out
}
