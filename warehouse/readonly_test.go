package warehouse

import (
	"errors"
	"testing"
)

func TestCheckReadOnly(t *testing.T) {
	tests := []struct {
		sql  string
		want string // the text sent on, "" when refused
		err  error
	}{
		{"SELECT 1", "SELECT 1", nil},
		{"SELECT 1;", "SELECT 1", nil},
		{"SELECT 1 ; ; -- done", "SELECT 1", nil},
		{"  with x AS (SELECT 1) SELECT * FROM x", "  with x AS (SELECT 1) SELECT * FROM x", nil},
		{"((SELECT 1))", "((SELECT 1))", nil},
		{"EXPLAIN SELECT 1", "EXPLAIN SELECT 1", nil},
		{"SHOW CREATE TABLE reports", "SHOW CREATE TABLE reports", nil},
		{"SELECT ';' AS semicolon", "SELECT ';' AS semicolon", nil},
		{"SELECT 'INTO OUTFILE' AS s", "SELECT 'INTO OUTFILE' AS s", nil},
		{"SELECT format FROM reports ORDER BY format DESC", "SELECT format FROM reports ORDER BY format DESC", nil},
		{"", "", ErrEmptyQuery},
		{"-- nothing\n", "", ErrEmptyQuery},
		{"SELECT 1; SELECT 2", "", ErrReadOnly},
		{"INSERT INTO t VALUES (1)", "", ErrReadOnly},
		{"/* SELECT */ DELETE FROM t WHERE 1", "", ErrReadOnly},
		{"/* nested /* SELECT */ */ DROP TABLE t", "", ErrReadOnly},
		{"SELECT 1 INTO OUTFILE 'x'", "", ErrReadOnly},
		{"select 1 into   outfile 'x'", "", ErrReadOnly},
		{"SET readonly = 0", "", ErrReadOnly},
		{"SELECT 1 FORMAT JSON", "", ErrFormatClause},
		{"SELECT 1 format TabSeparated;", "", ErrFormatClause},
	}
	for _, tt := range tests {
		got, err := checkReadOnly(tt.sql)
		if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("checkReadOnly(%q) error = %v, want %v", tt.sql, err, tt.err)
			continue
		}
		if got != tt.want {
			t.Errorf("checkReadOnly(%q) = %q, want %q", tt.sql, got, tt.want)
		}
	}
}

func TestCheckReadOnlyUnboundParameter(t *testing.T) {
	if _, err := checkReadOnly("SELECT {year:UInt16}"); err == nil {
		t.Error("checkReadOnly accepted an unbound parameter")
	}
}

// FuzzQueryText: lexing, the read-only check and Bind never panic, and a
// statement the check accepts starts with a read-only verb.
func FuzzQueryText(f *testing.F) {
	for _, s := range []string{"SELECT 1", "'unterminated", "/* open", "{a:String", "{a:Nullable(String)}",
		"SELECT {a:DateTime('UTC')}", "(((", "`x` \"y\" 'z'", "1e+5 .5 0x1F", "--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := lex(s)
		for _, tk := range toks {
			if tk.start < 0 || tk.end > len(s) || tk.start >= tk.end {
				t.Fatalf("lex(%q): token %+v out of bounds", s, tk)
			}
		}
		if out, err := checkReadOnly(s); err == nil {
			ts := lex(out)
			i := 0
			for i < len(ts) && ts[i].text == "(" {
				i++
			}
			ok := false
			for _, v := range readOnlyVerbs() {
				ok = ok || (i < len(ts) && ts[i].is(v))
			}
			if !ok {
				t.Fatalf("checkReadOnly(%q) accepted %q", s, out)
			}
		}
		_, _ = Bind(s, map[string]string{"a": "x"})
	})
}
