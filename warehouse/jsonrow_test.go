package warehouse

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// referenceRow decodes a row as decodeJSONCompact did before scanRow:
// encoding/json with UseNumber.
func referenceRow(line string) ([]any, error) {
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	var raw []any
	err := d.Decode(&raw)
	return raw, err
}

func TestScanRow(t *testing.T) {
	tests := []struct {
		line string
		fast bool // scanRow reads it itself
	}{
		{`["a", 1, -2.5e3, null, true, false, "http://127.0.0.1/zwgk/t2023.html"]`, true},
		{`[]`, true},
		{`  [ "x" , 0 ]  `, true},
		{`["三滩镇人民政府", 18446744073709551615, "2023-01-31 13:24:00"]`, true},
		{`["a\/b", "say \"hi\"\n", "\u4e09\ud83d\ude00"]`, true},
		{`["nan", "-inf", 0.1]`, true},
		{`[[1, 2], "a"]`, false},
		{`[{"k": 1}]`, false},
		{`["tab	in string"]`, false},
		{`[01]`, false},
		{`[1.]`, false},
		{`[1e]`, false},
		{`["unterminated]`, false},
		{`[1, 2`, false},
		{`[1] [2]`, false},
		{`[nul]`, false},
		{`{"a": 1}`, false},
	}
	for _, tt := range tests {
		got, err := scanRow(tt.line, nil)
		if (err == nil) != tt.fast {
			t.Errorf("scanRow(%s): err %v, want fast=%v", tt.line, err, tt.fast)
			continue
		}
		if err != nil {
			continue
		}
		want, rerr := referenceRow(tt.line)
		if rerr != nil {
			t.Errorf("scanRow(%s) read a row encoding/json rejects (%v)", tt.line, rerr)
			continue
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scanRow(%s) = %#v, encoding/json %#v", tt.line, got, want)
		}
	}
}

// FuzzScanRow holds scanRow to encoding/json: a row it reads decodes to
// the same values there.
func FuzzScanRow(f *testing.F) {
	for _, s := range []string{`["a", 1, null, true]`, `["a\/b", -0.5e-3]`, `[[1]]`, `[1, "x"`, `["\ud83d"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.Contains(line, "\n") || !isValidUTF8(line) {
			return
		}
		got, err := scanRow(line, nil)
		if err != nil {
			return
		}
		want, rerr := referenceRow(line)
		if rerr != nil {
			t.Fatalf("scanRow(%q) read a row encoding/json rejects: %v", line, rerr)
		}
		if trailingData(line) {
			t.Fatalf("scanRow(%q) accepted trailing data", line)
		}
		if len(want) == 0 && len(got) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("scanRow(%q) = %#v, encoding/json %#v", line, got, want)
		}
	})
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// trailingData reports whether more than one JSON value is on the line.
func trailingData(line string) bool {
	d := json.NewDecoder(strings.NewReader(line))
	var v any
	if d.Decode(&v) != nil {
		return false
	}
	return d.More()
}

// TestDecodeJSONCompactFastPath decodes a result whose rows take both
// paths, and invalid UTF-8, and checks the values against the general
// decoder's.
func TestDecodeJSONCompactFastPath(t *testing.T) {
	header := `["name","n","x","d","url","tags"]` + "\n" + `["String","UInt64","Nullable(Float64)","DateTime","String","Array(String)"]` + "\n"
	rows := []string{
		`["三滩镇", 3, 0.25, "2023-01-31 13:24:00", "http:\/\/127.0.0.1\/a.html", []]`,
		`["b", 18446744073709551615, null, "2024-02-29 00:00:00", "http://x/y?a=1&b=2", ["p", "q"]]`,
		`["c", 0, "nan", "1970-01-01 00:00:00", "", []]`,
	}
	chunk := []byte(header + strings.Join(rows, "\n") + "\n")
	r, err := decodeJSONCompact([][]byte{chunk, chunk})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 6 {
		t.Fatalf("%d rows, want 6", len(r.Rows))
	}
	types := make([]chType, len(r.Types))
	for i, ty := range r.Types {
		types[i] = parseType(ty)
	}
	for i, line := range append(rows, rows...) {
		raw, err := referenceRow(line)
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range raw {
			want, err := fromJSON(types[j], v)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Rows[i][j]
			if f, ok := want.(float64); ok && math.IsNaN(f) {
				if g, ok := got.(float64); !ok || !math.IsNaN(g) {
					t.Errorf("row %d column %s: %#v, want NaN", i, r.Columns[j], got)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("row %d column %s: %#v, want %#v", i, r.Columns[j], got, want)
			}
		}
	}

	// Invalid UTF-8 goes through encoding/json, which replaces it.
	bad := []byte(`["name"]` + "\n" + `["String"]` + "\n" + "[\"a\xffb\"]\n")
	r, err = decodeJSONCompact([][]byte{bad})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Rows[0][0]; got != "a\uFFFDb" {
		t.Errorf("invalid UTF-8: %q, want %q", got, "a\uFFFDb")
	}
	// A malformed row is an error naming it.
	if _, err := decodeJSONCompact([][]byte{append(bytes.Clone(chunk), "[1, 2\n"...)}); err == nil || !strings.Contains(err.Error(), "row 3") {
		t.Errorf("malformed row: err %v, want one naming row 3", err)
	}
}
