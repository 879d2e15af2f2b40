package warehouse

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrBind is matched (errors.Is) by every error Bind returns.
var ErrBind = errors.New("bind query parameters")

// Bind substitutes the query parameters of sql, written as ClickHouse
// writes them ({county:String}, {year:UInt16}), with literals made from
// params, client-side: ClickHouse 18.16 has no server-side parameters, so
// saved queries run the same on every engine.
//
// Each value is checked against its placeholder's type before it is
// written, and strings are quoted and escaped, so a value can never change
// the statement's structure. Placeholders inside string literals, quoted
// names and comments are left alone. It is an error for sql to use a
// parameter params lacks, for params to hold one sql does not use, or for
// one name to appear with two types.
//
// Supported types: String; Int8…Int64 and UInt8…UInt64; Float32 and
// Float64 (finite); Bool (true/false/1/0, written as 1 or 0); Date
// (2006-01-02); DateTime (2006-01-02 15:04:05 or RFC 3339, in UTC).
// Numbers are written as plain literals so they can stand in LIMIT.
func Bind(sql string, params map[string]string) (string, error) {
	toks := lex(sql)
	types := map[string]string{}
	var order []string
	for _, t := range toks {
		if t.kind != tokPlaceholder {
			continue
		}
		if prev, ok := types[t.name]; ok {
			if !strings.EqualFold(prev, t.typ) {
				return "", fmt.Errorf("%w: parameter %s used as both %s and %s", ErrBind, t.name, prev, t.typ)
			}
			continue
		}
		types[t.name] = t.typ
		order = append(order, t.name)
	}
	var missing, unknown []string
	for _, n := range order {
		if _, ok := params[n]; !ok {
			missing = append(missing, n)
		}
	}
	for n := range params {
		if _, ok := types[n]; !ok {
			unknown = append(unknown, n)
		}
	}
	slices.Sort(unknown)
	var errs []error
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("%w: missing value for %s", ErrBind, strings.Join(missing, ", ")))
	}
	if len(unknown) > 0 {
		errs = append(errs, fmt.Errorf("%w: the query has no parameter %s", ErrBind, strings.Join(unknown, ", ")))
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	literals := make(map[string]string, len(order))
	for _, n := range order {
		lit, err := literal(types[n], params[n])
		if err != nil {
			return "", fmt.Errorf("%w: parameter %s: %w", ErrBind, n, err)
		}
		literals[n] = lit
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if t.kind != tokPlaceholder {
			continue
		}
		b.WriteString(sql[last:t.start])
		b.WriteString(literals[t.name])
		last = t.end
	}
	b.WriteString(sql[last:])
	return b.String(), nil
}

// Placeholders returns the query parameters sql uses, in order of first
// use, each once.
func Placeholders(sql string) []Placeholder {
	var out []Placeholder
	seen := map[string]bool{}
	for _, t := range lex(sql) {
		if t.kind == tokPlaceholder && !seen[t.name] {
			seen[t.name] = true
			out = append(out, Placeholder{Name: t.name, Type: t.typ})
		}
	}
	return out
}

// Placeholder is one query parameter of a saved query.
type Placeholder struct {
	// Name is the parameter's name, the key Bind looks up.
	Name string
	// Type is the ClickHouse type written after the colon, e.g. "UInt16".
	Type string
}

// literal renders v as a ClickHouse literal of type typ.
func literal(typ, v string) (string, error) {
	switch typ {
	case "String":
		return quoteString(v), nil
	case "Int8", "Int16", "Int32", "Int64":
		bits, _ := strconv.Atoi(strings.TrimPrefix(typ, "Int"))
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, bits)
		if err != nil {
			return "", fmt.Errorf("%q is not an %s", v, typ)
		}
		return strconv.FormatInt(n, 10), nil
	case "UInt8", "UInt16", "UInt32", "UInt64":
		bits, _ := strconv.Atoi(strings.TrimPrefix(typ, "UInt"))
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, bits)
		if err != nil {
			return "", fmt.Errorf("%q is not a %s", v, typ)
		}
		return strconv.FormatUint(n, 10), nil
	case "Float32", "Float64":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("%q is not a finite %s", v, typ)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case "Bool":
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1":
			return "1", nil
		case "false", "0":
			return "0", nil
		}
		return "", fmt.Errorf("%q is not a Bool (true, false, 1 or 0)", v)
	case "Date":
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("%q is not a Date (2006-01-02)", v)
		}
		return "toDate('" + d.Format(time.DateOnly) + "')", nil
	case "DateTime":
		s := strings.TrimSpace(v)
		t, err := time.Parse(time.DateTime, s)
		if err != nil {
			t, err = time.Parse(time.RFC3339, s)
		}
		if err != nil {
			return "", fmt.Errorf("%q is not a DateTime (2006-01-02 15:04:05 or RFC 3339)", v)
		}
		return "toDateTime('" + t.UTC().Format(time.DateTime) + "', 'UTC')", nil
	}
	return "", fmt.Errorf("unsupported parameter type %s", typ)
}

// quoteString returns s as a single-quoted ClickHouse string literal. Every
// byte that could end the literal or confuse a reader is escaped; other
// bytes, UTF-8 included, pass through.
func quoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\x%02X`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('\'')
	return b.String()
}
