package warehouse

import (
	"errors"
	"fmt"
	"strings"
)

// ErrReadOnly is matched (errors.Is) by the error Query returns for a
// statement that could change the warehouse or the machine: anything but
// one SELECT, WITH, SHOW, DESCRIBE, EXPLAIN or EXISTS statement, and
// SELECT … INTO OUTFILE.
var ErrReadOnly = errors.New("only read-only statements are allowed")

// ErrFormatClause is matched by the error Query returns for a statement
// that ends in a FORMAT clause: the warehouse chooses the wire format, and
// Result.Write renders it.
var ErrFormatClause = errors.New("FORMAT clause not allowed; choose the output format with Result.Write")

// ErrEmptyQuery is returned by Query for text with no statement.
var ErrEmptyQuery = errors.New("empty query")

// readOnlyVerbs are the statements Query accepts.
func readOnlyVerbs() []string {
	return []string{"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "EXISTS"}
}

// checkReadOnly vets sql for Query, before the engine's own enforcement,
// and returns it without trailing semicolons.
func checkReadOnly(sql string) (string, error) {
	toks := lex(sql)
	// Drop trailing semicolons; any other token after a ';' is a second
	// statement.
	n := len(toks)
	for n > 0 && toks[n-1].kind == tokPunct && toks[n-1].text == ";" {
		n--
	}
	toks = toks[:n]
	if len(toks) == 0 {
		return "", ErrEmptyQuery
	}
	for _, t := range toks {
		if t.kind == tokPunct && t.text == ";" {
			return "", fmt.Errorf("%w: one statement at a time", ErrReadOnly)
		}
		if t.kind == tokPlaceholder {
			return "", fmt.Errorf("query parameter %s has no value (use Bind)", t.text)
		}
	}
	first := 0
	for first < len(toks) && toks[first].kind == tokPunct && toks[first].text == "(" {
		first++
	}
	verbOK := false
	if first < len(toks) {
		for _, v := range readOnlyVerbs() {
			if toks[first].is(v) {
				verbOK = true
				break
			}
		}
	}
	if !verbOK {
		verb := "the statement"
		if first < len(toks) {
			verb = strings.ToUpper(toks[first].text)
		}
		return "", fmt.Errorf("%w: %s is not one of %s", ErrReadOnly, verb, strings.Join(readOnlyVerbs(), ", "))
	}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].is("INTO") && toks[i+1].is("OUTFILE") {
			return "", fmt.Errorf("%w: INTO OUTFILE writes a file", ErrReadOnly)
		}
	}
	if k := len(toks); k >= 2 && toks[k-2].is("FORMAT") && toks[k-1].kind == tokWord &&
		!toks[k-1].is("ASC") && !toks[k-1].is("DESC") && !toks[k-1].is("FIRST") && !toks[k-1].is("LAST") {
		return "", ErrFormatClause
	}
	return sql[:toks[len(toks)-1].end], nil
}
