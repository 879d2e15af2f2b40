package warehouse

import (
	"errors"
	"strings"
	"testing"
)

func TestBind(t *testing.T) {
	tests := []struct {
		name   string
		sql    string
		params map[string]string
		want   string
	}{
		{"string", "SELECT * FROM reports_latest WHERE agency = {agency:String}",
			map[string]string{"agency": "三滩镇人民政府"},
			"SELECT * FROM reports_latest WHERE agency = '三滩镇人民政府'"},
		{"uint and reuse", "SELECT {year:UInt16}, {year:UInt16} - 1",
			map[string]string{"year": "2023"}, "SELECT 2023, 2023 - 1"},
		{"spaces in placeholder", "SELECT { year : UInt16 }",
			map[string]string{"year": "2023"}, "SELECT 2023"},
		{"int", "SELECT {n:Int8}", map[string]string{"n": "-128"}, "SELECT -128"},
		{"float", "SELECT {f:Float64}", map[string]string{"f": "1e3"}, "SELECT 1000"},
		{"bool", "SELECT {b:Bool}", map[string]string{"b": "false"}, "SELECT 0"},
		{"date", "SELECT {d:Date}", map[string]string{"d": "2024-02-29"}, "SELECT toDate('2024-02-29')"},
		{"datetime", "SELECT {t:DateTime}", map[string]string{"t": "2024-02-29T08:00:00+08:00"},
			"SELECT toDateTime('2024-02-29 00:00:00', 'UTC')"},
		{"quote injection", "SELECT {s:String}", map[string]string{"s": "'; DROP TABLE reports; --"},
			`SELECT '\'; DROP TABLE reports; --'`},
		{"backslash injection", "SELECT {s:String}", map[string]string{"s": `\'; DROP TABLE x; --`},
			`SELECT '\\\'; DROP TABLE x; --'`},
		{"control bytes", "SELECT {s:String}", map[string]string{"s": "a\nb\x00c\x1b"},
			`SELECT 'a\nb\0c\x1B'`},
		{"placeholder-looking value stays data", "SELECT {s:String}, {t:String}",
			map[string]string{"s": "{t:String}", "t": "x"}, "SELECT '{t:String}', 'x'"},
		{"inside string literal untouched", "SELECT '{s:String}', {s:String}",
			map[string]string{"s": "x"}, "SELECT '{s:String}', 'x'"},
		{"inside comment untouched", "SELECT 1 -- {s:String}\n, {s:String}",
			map[string]string{"s": "x"}, "SELECT 1 -- {s:String}\n, 'x'"},
		{"inside block comment untouched", "SELECT /* {s:String} */ {s:String}",
			map[string]string{"s": "x"}, "SELECT /* {s:String} */ 'x'"},
		{"inside quoted name untouched", "SELECT 1 AS \"{s:String}\", {s:String}",
			map[string]string{"s": "x"}, "SELECT 1 AS \"{s:String}\", 'x'"},
		{"no placeholders", "SELECT 1", nil, "SELECT 1"},
		{"not a placeholder", "SELECT {'a': 1}", nil, "SELECT {'a': 1}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Bind(tt.sql, tt.params)
			if err != nil {
				t.Fatalf("Bind(%q, %v): %v", tt.sql, tt.params, err)
			}
			if got != tt.want {
				t.Errorf("Bind(%q, %v) =\n%s\nwant\n%s", tt.sql, tt.params, got, tt.want)
			}
		})
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct {
		name    string
		sql     string
		params  map[string]string
		wantMsg string
	}{
		{"missing", "SELECT {a:String}, {b:UInt8}", map[string]string{"a": "x"}, "missing value for b"},
		{"unknown", "SELECT {a:String}", map[string]string{"a": "x", "zz": "1"}, "no parameter zz"},
		{"conflicting types", "SELECT {a:String}, {a:UInt8}", map[string]string{"a": "1"}, "both String and UInt8"},
		{"uint overflow", "SELECT {y:UInt8}", map[string]string{"y": "256"}, `"256" is not a UInt8`},
		{"negative uint", "SELECT {y:UInt16}", map[string]string{"y": "-1"}, "is not a UInt16"},
		{"number injection", "SELECT {y:UInt16}", map[string]string{"y": "1; DROP TABLE reports"}, "is not a UInt16"},
		{"int overflow", "SELECT {n:Int8}", map[string]string{"n": "128"}, "is not an Int8"},
		{"nan", "SELECT {f:Float64}", map[string]string{"f": "NaN"}, "not a finite Float64"},
		{"bad date", "SELECT {d:Date}", map[string]string{"d": "2024-02-30"}, "is not a Date"},
		{"date injection", "SELECT {d:Date}", map[string]string{"d": "2024-01-01') OR (1"}, "is not a Date"},
		{"bad datetime", "SELECT {t:DateTime}", map[string]string{"t": "yesterday"}, "is not a DateTime"},
		{"bad bool", "SELECT {b:Bool}", map[string]string{"b": "yes"}, "is not a Bool"},
		{"unsupported type", "SELECT {a:Array(String)}", map[string]string{"a": "['x']"}, "unsupported parameter type Array(String)"},
		{"identifier type", "SELECT * FROM {t:Identifier}", map[string]string{"t": "reports"}, "unsupported parameter type Identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Bind(tt.sql, tt.params)
			if err == nil {
				t.Fatalf("Bind(%q, %v) = %q, want an error", tt.sql, tt.params, got)
			}
			if !errors.Is(err, ErrBind) {
				t.Errorf("Bind error %v does not match ErrBind", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Bind error = %q, want it to mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestPlaceholders(t *testing.T) {
	got := Placeholders("SELECT {a:String}, '{x:String}', {b:Nullable(UInt16)}, {a:String}")
	want := []Placeholder{{"a", "String"}, {"b", "Nullable(UInt16)"}}
	if len(got) != len(want) {
		t.Fatalf("Placeholders = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Placeholders[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// FuzzBindString checks that a bound String can never escape its literal:
// whatever the value, the bound text lexes with the value as exactly one
// string token that unquotes back to the value, and the tokens around it
// are the query's own.
func FuzzBindString(f *testing.F) {
	for _, s := range []string{"", "x", "'", `\`, `\'`, "''", "'; DROP TABLE t; --", "\x00", "{s:String}", "*/", "\n--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		const sql = "SELECT {s:String} AS s FROM t"
		got, err := Bind(sql, map[string]string{"s": v})
		if err != nil {
			t.Fatalf("Bind(%q): %v", v, err)
		}
		toks := lex(got)
		if len(toks) != 6 {
			t.Fatalf("Bind(%q) = %q lexes to %d tokens, want 6", v, got, len(toks))
		}
		if toks[1].kind != tokString {
			t.Fatalf("Bind(%q) = %q: token 1 is %q, not a string", v, got, toks[1].text)
		}
		if u := unquote(t, toks[1].text); u != v {
			t.Fatalf("Bind(%q) literal %s unquotes to %q", v, toks[1].text, u)
		}
		for i, w := range []string{"SELECT", "", "AS", "s", "FROM", "t"} {
			if i != 1 && toks[i].text != w {
				t.Fatalf("Bind(%q) = %q: token %d is %q, want %q", v, got, i, toks[i].text, w)
			}
		}
	})
}

// unquote decodes a single-quoted literal written by quoteString, the way
// ClickHouse reads one.
func unquote(t *testing.T, lit string) string {
	t.Helper()
	if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
		t.Fatalf("not a literal: %q", lit)
	}
	s := lit[1 : len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '0':
			b.WriteByte(0)
		case 'x':
			var c byte
			for _, h := range s[i+1 : i+3] {
				c <<= 4
				switch {
				case h >= '0' && h <= '9':
					c |= byte(h - '0')
				default:
					c |= byte(h-'A') + 10
				}
			}
			b.WriteByte(c)
			i += 2
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
