package warehouse

import (
	"encoding/json"
	"errors"
	"strings"
)

// errSlowRow says a row holds something scanRow leaves to encoding/json.
var errSlowRow = errors.New("row needs the general decoder")

// scanRow reads one JSONCompactEachRow line, a JSON array of valid UTF-8,
// into dst as
// encoding/json with UseNumber would decode it ([]any of string,
// json.Number, bool and nil). Rows of scalars are what dashboards return,
// thousands at a time; reading them without reflection is an order of
// magnitude faster. Anything else (arrays, objects, malformed strings)
// returns errSlowRow and is left to encoding/json, as
// is anything malformed, so that the general decoder reports it.
func scanRow(line string, dst []any) ([]any, error) {
	dst = dst[:0]
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '[' {
		return nil, errSlowRow
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == ']' {
		return dst, trailing(line, i+1)
	}
	for {
		if i >= len(line) {
			return nil, errSlowRow
		}
		var v any
		switch c := line[i]; {
		case c == '"':
			s, next, ok := scanString(line, i)
			if !ok {
				return nil, errSlowRow
			}
			v, i = s, next
		case c == 'n':
			if !strings.HasPrefix(line[i:], "null") {
				return nil, errSlowRow
			}
			v, i = nil, i+4
		case c == 't':
			if !strings.HasPrefix(line[i:], "true") {
				return nil, errSlowRow
			}
			v, i = true, i+4
		case c == 'f':
			if !strings.HasPrefix(line[i:], "false") {
				return nil, errSlowRow
			}
			v, i = false, i+5
		case c == '-' || c >= '0' && c <= '9':
			end := i
			for end < len(line) && isNumberByte(line[end]) {
				end++
			}
			n := json.Number(line[i:end])
			if !validNumber(line[i:end]) {
				return nil, errSlowRow
			}
			v, i = n, end
		default:
			return nil, errSlowRow
		}
		dst = append(dst, v)
		i = skipSpace(line, i)
		if i >= len(line) {
			return nil, errSlowRow
		}
		switch line[i] {
		case ',':
			i = skipSpace(line, i+1)
		case ']':
			return dst, trailing(line, i+1)
		default:
			return nil, errSlowRow
		}
	}
}

// trailing checks that only white space follows a row.
func trailing(line string, i int) error {
	if skipSpace(line, i) != len(line) {
		return errSlowRow
	}
	return nil
}

func skipSpace(b string, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber reports whether b is a JSON number.
func validNumber(b string) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		if i = digits(b, i+1); b[i-1] == '.' {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		if i = digits(b, i); i == start {
			return false
		}
	}
	return i == len(b)
}

// digits returns the offset after the run of decimal digits at b[i:].
func digits(b string, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// scanString reads the JSON string starting at b[i] (a quote). A string
// with escapes is unquoted by encoding/json; one with control characters
// is not handled (ok is false). The result shares b's memory; b must be
// valid UTF-8 (the caller checks the whole text once).
func scanString(b string, i int) (s string, next int, ok bool) {
	escaped := false
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			if escaped {
				if err := json.Unmarshal([]byte(b[i:j+1]), &s); err != nil {
					return "", 0, false
				}
				return s, j + 1, true
			}
			return b[i+1 : j], j + 1, true
		case c == '\\':
			escaped = true
			j++ // the escaped byte cannot end the string
		case c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}
