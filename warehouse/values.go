package warehouse

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// chType is a parsed ClickHouse type name.
type chType struct {
	// base is the family without arguments, e.g. "Nullable", "Array",
	// "DateTime", "UInt16".
	base string
	// args is the text inside the outer parentheses, if any.
	args string
}

// parseType splits a ClickHouse type name into its family and arguments,
// unwrapping LowCardinality (a storage detail, not a value type).
func parseType(s string) chType {
	s = strings.TrimSpace(s)
	base, args, ok := strings.Cut(s, "(")
	if ok {
		args = strings.TrimSuffix(args, ")")
	}
	if base == "LowCardinality" {
		return parseType(args)
	}
	return chType{base: base, args: args}
}

// inner returns the element type of Nullable(T) or Array(T).
func (t chType) inner() chType { return parseType(t.args) }

// location returns the time zone named in DateTime('tz') or
// DateTime64(p, 'tz'), or UTC.
func (t chType) location() *time.Location {
	if i := strings.IndexByte(t.args, '\''); i >= 0 {
		name := strings.Trim(t.args[i:], "' ")
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// isInt, isUint and isFloat classify numeric families.
func (t chType) isInt() bool {
	switch t.base {
	case "Int8", "Int16", "Int32", "Int64":
		return true
	}
	return false
}

func (t chType) isUint() bool {
	switch t.base {
	case "UInt8", "UInt16", "UInt32", "UInt64":
		return true
	}
	return false
}

func (t chType) isFloat() bool { return t.base == "Float32" || t.base == "Float64" }

// fromJSON converts one value of a JSONCompact* row (decoded with
// UseNumber) to its canonical Go value; see Result.
func fromJSON(t chType, v any) (any, error) {
	if t.base == "Nullable" {
		if v == nil {
			return nil, nil
		}
		return fromJSON(t.inner(), v)
	}
	switch {
	case t.isInt():
		return jsonInt(v, func(s string) (any, error) { return strconv.ParseInt(s, 10, 64) })
	case t.isUint():
		return jsonInt(v, func(s string) (any, error) { return strconv.ParseUint(s, 10, 64) })
	case t.isFloat():
		return jsonFloat(v)
	}
	switch t.base {
	case "Bool":
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case "Date", "Date32":
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "DateTime", "DateTime64":
		s, ok := v.(string)
		if !ok {
			break
		}
		tm, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", s, t.location())
		if err != nil {
			return nil, fmt.Errorf("%s value %q: %w", t.base, s, err)
		}
		return tm.UTC(), nil
	case "Array":
		a, ok := v.([]any)
		if !ok {
			break
		}
		out := make([]any, len(a))
		for i, e := range a {
			x, err := fromJSON(t.inner(), e)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case "String", "FixedString", "UUID", "Enum8", "Enum16", "IPv4", "IPv6":
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "Int128", "Int256", "UInt128", "UInt256", "Decimal", "Decimal32", "Decimal64", "Decimal128", "Decimal256":
		switch x := v.(type) {
		case json.Number:
			return x.String(), nil
		case string:
			return x, nil
		}
	default:
		return genericJSON(v), nil
	}
	return nil, fmt.Errorf("unexpected %T for %s", v, t.base)
}

// jsonInt parses an integer that JSON output may quote.
func jsonInt(v any, parse func(string) (any, error)) (any, error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	default:
		return nil, fmt.Errorf("unexpected %T for an integer", v)
	}
	return parse(s)
}

// jsonFloat parses a float; non-finite values arrive quoted ("nan", "inf").
func jsonFloat(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return strconv.ParseFloat(x.String(), 64)
	case string:
		switch strings.ToLower(x) {
		case "nan", "-nan":
			return math.NaN(), nil
		case "inf", "+inf":
			return math.Inf(1), nil
		case "-inf":
			return math.Inf(-1), nil
		}
		return strconv.ParseFloat(x, 64)
	case nil:
		return math.NaN(), nil
	}
	return nil, fmt.Errorf("unexpected %T for a float", v)
}

// genericJSON converts json.Numbers inside a value of a type Result does
// not model (Map, Tuple, JSON…) to int64 or float64.
func genericJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = genericJSON(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = genericJSON(x[k])
		}
		return x
	}
	return v
}

// fromGo converts a value scanned by clickhouse-go (a pointer to the
// column's scan type) to its canonical Go value; see Result.
func fromGo(t chType, v any) any {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if t.base == "Nullable" {
		t = t.inner()
	}
	if !rv.IsValid() {
		return nil
	}
	x := rv.Interface()
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return rv.Uint()
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Bool:
		return rv.Bool()
	case reflect.String:
		return rv.String()
	case reflect.Slice, reflect.Array:
		if t.base == "Array" {
			out := make([]any, rv.Len())
			for i := range out {
				out[i] = fromGo(t.inner(), rv.Index(i).Interface())
			}
			return out
		}
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			out[fmt.Sprint(iter.Key().Interface())] = fromGo(chType{}, iter.Value().Interface())
		}
		return out
	}
	switch y := x.(type) {
	case time.Time:
		if t.base == "Date" || t.base == "Date32" {
			return y.Format(time.DateOnly)
		}
		return y.UTC()
	case big.Int:
		return y.String()
	case fmt.Stringer:
		return y.String()
	}
	return x
}
