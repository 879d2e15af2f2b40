package warehouse

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Result is a query's answer, decoded the same way whichever engine ran it.
//
// Each value is the canonical Go value of its column's ClickHouse type:
// Int8…Int64 → int64; UInt8…UInt64 → uint64; Float32/Float64 → float64;
// Bool → bool; String, FixedString, Enum, UUID, IP, Decimal and the
// 128/256-bit integers → string; Date → string "2006-01-02"; DateTime →
// time.Time in UTC; Array(T) → []any; NULL → nil. Other types (Map, Tuple)
// are decoded best-effort and may differ between engines.
type Result struct {
	// Columns are the column names, in order.
	Columns []string
	// Types are the ClickHouse type names of the columns, e.g.
	// "Nullable(UInt16)".
	Types []string
	// Rows hold one value per column.
	Rows [][]any
}

// Output formats for Result.Write.
const (
	// FormatTable is aligned text for terminals: a header, a rule, one line
	// per row (numbers right-aligned, widths counting CJK characters as two
	// columns) and a row count.
	FormatTable = "table"
	// FormatCSV is RFC 4180 CSV with a header row; NULL is an empty field.
	FormatCSV = "csv"
	// FormatJSON is one JSON array holding an object per row, keys in
	// column order.
	FormatJSON = "json"
	// FormatJSONLines is one JSON object per row, one per line.
	FormatJSONLines = "jsonl"
)

// Formats returns the formats Write accepts.
func Formats() []string {
	return []string{FormatTable, FormatCSV, FormatJSON, FormatJSONLines}
}

// ErrUnknownFormat is matched by the error Write returns for a format it
// does not know.
var ErrUnknownFormat = errors.New("unknown output format")

// Write renders r to w in format (one of Formats). DateTime values are
// written as "2006-01-02 15:04:05" (UTC) in every format; non-finite floats
// as nan, inf and -inf (strings in JSON).
func (r *Result) Write(w io.Writer, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case FormatTable:
		err = r.writeTable(bw)
	case FormatCSV:
		err = r.writeCSV(bw)
	case FormatJSON:
		err = r.writeJSON(bw, true)
	case FormatJSONLines:
		err = r.writeJSON(bw, false)
	default:
		return fmt.Errorf("%w %q: want one of %s", ErrUnknownFormat, format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// text renders a value for table and CSV output. null is the text for nil.
func text(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return formatTime(x)
	}
	b, err := marshalJSON(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// marshalJSON encodes a canonical value as JSON without HTML escaping (a
// "<" in a report title stays a "<").
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonValue(v)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// formatFloat writes integers without a fraction and other values in the
// shortest form that reads back exactly.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.Abs(f) < 1e15 && f == math.Trunc(f):
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// formatTime writes a DateTime as ClickHouse does, with a fraction only
// when there is one.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.999999999")
}

// jsonValue maps a canonical value onto what encoding/json writes.
func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatFloat(x)
		}
		return x
	case time.Time:
		return formatTime(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}

func (r *Result) writeJSON(w *bufio.Writer, array bool) error {
	keys := make([][]byte, len(r.Columns))
	for i, c := range r.Columns {
		k, err := marshalJSON(c)
		if err != nil {
			return err
		}
		keys[i] = k
	}
	if array {
		w.WriteString("[")
	}
	for n, row := range r.Rows {
		if array {
			if n > 0 {
				w.WriteString(",")
			}
			w.WriteString("\n  ")
		}
		w.WriteByte('{')
		for i, v := range row {
			if i > 0 {
				w.WriteByte(',')
			}
			w.Write(keys[i])
			w.WriteByte(':')
			b, err := marshalJSON(v)
			if err != nil {
				return fmt.Errorf("row %d column %s: %w", n, r.Columns[i], err)
			}
			w.Write(b)
		}
		w.WriteByte('}')
		if !array {
			w.WriteByte('\n')
		}
	}
	if array {
		if len(r.Rows) > 0 {
			w.WriteString("\n")
		}
		w.WriteString("]\n")
	}
	return nil
}

func (r *Result) writeCSV(w *bufio.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	rec := make([]string, len(r.Columns))
	for _, row := range r.Rows {
		for i, v := range row {
			rec[i] = text(v, "")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (r *Result) writeTable(w *bufio.Writer) error {
	cells := make([][]string, len(r.Rows))
	widths := make([]int, len(r.Columns))
	numeric := make([]bool, len(r.Columns))
	for i, c := range r.Columns {
		widths[i] = displayWidth(c)
		numeric[i] = isNumericType(r.typeOf(i))
	}
	for n, row := range r.Rows {
		cells[n] = make([]string, len(row))
		for i, v := range row {
			s := escapeCell(text(v, "NULL"))
			cells[n][i] = s
			widths[i] = max(widths[i], displayWidth(s))
		}
	}
	line := func(vals []string, right []bool) {
		var b strings.Builder
		for i, s := range vals {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-displayWidth(s))
			if right != nil && right[i] {
				b.WriteString(pad + s)
			} else if i < len(vals)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s)
			}
		}
		w.WriteString(strings.TrimRight(b.String(), " "))
		w.WriteByte('\n')
	}
	line(r.Columns, numeric)
	rules := make([]string, len(widths))
	for i, n := range widths {
		rules[i] = strings.Repeat("-", n)
	}
	line(rules, nil)
	for _, row := range cells {
		line(row, numeric)
	}
	if len(r.Rows) == 1 {
		w.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(w, "(%d rows)\n", len(r.Rows))
	}
	return nil
}

// typeOf returns column i's type name, or "" when Types is short.
func (r *Result) typeOf(i int) string {
	if i < len(r.Types) {
		return r.Types[i]
	}
	return ""
}

// isNumericType reports whether values of the named type are numbers,
// which the table format right-aligns.
func isNumericType(name string) bool {
	t := parseType(name)
	if t.base == "Nullable" {
		t = t.inner()
	}
	return t.isInt() || t.isUint() || t.isFloat() || strings.HasPrefix(t.base, "Decimal")
}

// escapeCell keeps a table cell on one line.
func escapeCell(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}

// displayWidth returns how many terminal columns s takes: East Asian wide
// and fullwidth characters take two, combining marks and other
// zero-width characters none.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			n++
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}
