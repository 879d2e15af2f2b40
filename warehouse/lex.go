package warehouse

import (
	"strings"
)

// tokKind is the kind of a lexical token of ClickHouse SQL.
type tokKind int

const (
	tokWord        tokKind = iota // identifier or keyword
	tokNumber                     // numeric literal
	tokString                     // 'string literal'
	tokQuoted                     // "quoted" or `quoted` identifier
	tokPunct                      // any other single character
	tokPlaceholder                // {name:Type}
)

// token is one lexical token; comments and white space are not tokens.
type token struct {
	kind       tokKind
	start, end int // byte offsets in the text
	text       string
	// name and typ are set for tokPlaceholder.
	name, typ string
}

// is reports whether t is the word w, case-insensitively.
func (t token) is(w string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, w)
}

// lex splits ClickHouse SQL into tokens, skipping white space and comments
// (-- to end of line, nested /* */). It never fails: an unterminated string,
// quoted name or comment runs to the end of the text, which is what the
// server would reject anyway.
func lex(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			i = skipBlockComment(s, i)
		case c == '\'' || c == '"' || c == '`':
			end := skipQuoted(s, i, c)
			kind := tokQuoted
			if c == '\'' {
				kind = tokString
			}
			toks = append(toks, token{kind: kind, start: i, end: end, text: s[i:end]})
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tokWord, start: i, end: j, text: s[i:j]})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (isIdentPart(s[j]) || s[j] == '.' ||
				(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			toks = append(toks, token{kind: tokNumber, start: i, end: j, text: s[i:j]})
			i = j
		case c == '{':
			if t, ok := lexPlaceholder(s, i); ok {
				toks = append(toks, t)
				i = t.end
				continue
			}
			toks = append(toks, token{kind: tokPunct, start: i, end: i + 1, text: "{"})
			i++
		default:
			toks = append(toks, token{kind: tokPunct, start: i, end: i + 1, text: s[i : i+1]})
			i++
		}
	}
	return toks
}

// skipBlockComment returns the offset after the (possibly nested) comment
// starting at i.
func skipBlockComment(s string, i int) int {
	depth := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(s[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return i
}

// skipQuoted returns the offset after the literal opened by q at i.
// Backslash escapes the next byte; a doubled quote stands for itself.
func skipQuoted(s string, i int, q byte) int {
	i++
	for i < len(s) {
		switch s[i] {
		case '\\':
			i += 2
		case q:
			if i+1 < len(s) && s[i+1] == q {
				i += 2
				continue
			}
			return i + 1
		default:
			i++
		}
	}
	return len(s)
}

// lexPlaceholder reads a query parameter {name:Type} at i. The type may
// hold balanced parentheses and quoted arguments, e.g. Nullable(UInt16) or
// DateTime('UTC').
func lexPlaceholder(s string, i int) (token, bool) {
	j := i + 1
	for j < len(s) && s[j] == ' ' {
		j++
	}
	ns := j
	if j >= len(s) || !isIdentStart(s[j]) {
		return token{}, false
	}
	for j < len(s) && isIdentPart(s[j]) {
		j++
	}
	name := s[ns:j]
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) || s[j] != ':' {
		return token{}, false
	}
	j++
	ts := j
	depth := 0
	for j < len(s) {
		switch c := s[j]; {
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return token{}, false
			}
		case c == '\'':
			j = skipQuoted(s, j, '\'') - 1
		case c == '}' && depth == 0:
			typ := strings.TrimSpace(s[ts:j])
			if typ == "" {
				return token{}, false
			}
			return token{kind: tokPlaceholder, start: i, end: j + 1, text: s[i : j+1], name: name, typ: typ}, true
		case c == '{' || c == ';' || c == '\n':
			return token{}, false
		}
		j++
	}
	return token{}, false
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}
