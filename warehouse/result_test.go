package warehouse

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sampleResult has one of each kind of value Result.Write renders.
func sampleResult() *Result {
	return &Result{
		Columns: []string{"agency", "year", "requests", "share", "published_at", "loaded_at", "tags", "note"},
		Types: []string{"String", "Nullable(UInt16)", "Float64", "Float64", "Nullable(Date)", "DateTime",
			"Array(String)", "String"},
		Rows: [][]any{
			{"三滩镇人民政府", uint64(2019), 0.0, 0.125, "2020-01-28", time.Date(2024, 3, 1, 8, 30, 0, 0, time.UTC),
				[]any{"乡镇", "table2019"}, "plain"},
			{"Ｆｕｌｌｗｉｄｔｈ Bureau", nil, 1234567.0, math.NaN(), nil, time.Date(2024, 3, 1, 8, 30, 0, 500e6, time.UTC),
				[]any{}, "comma, \"quote\"\nnewline"},
			{"e\u0301cole", uint64(2021), -3.5, math.Inf(1), "2022-02-01", time.Unix(0, 0).UTC(), []any{nil}, "a<b & c>d"},
		},
	}
}

func TestResultWriteGolden(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := sampleResult().Write(&buf, format); err != nil {
				t.Fatalf("Write(%s): %v", format, err)
			}
			golden := filepath.Join("testdata", "result."+format+".golden")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./warehouse -run TestResultWriteGolden -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("Write(%s) =\n%s\nwant (%s)\n%s", format, buf.Bytes(), golden, want)
			}
		})
	}
}

func TestResultWriteEmpty(t *testing.T) {
	r := &Result{Columns: []string{"a"}, Types: []string{"UInt8"}}
	want := map[string]string{
		FormatTable:     "a\n-\n(0 rows)\n",
		FormatCSV:       "a\n",
		FormatJSON:      "[]\n",
		FormatJSONLines: "",
	}
	for format, w := range want {
		var buf bytes.Buffer
		if err := r.Write(&buf, format); err != nil {
			t.Fatalf("Write(%s): %v", format, err)
		}
		if buf.String() != w {
			t.Errorf("Write(%s) of no rows = %q, want %q", format, buf.String(), w)
		}
	}
}

func TestResultWriteUnknownFormat(t *testing.T) {
	err := sampleResult().Write(&bytes.Buffer{}, "xml")
	if !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Write(xml) error = %v, want ErrUnknownFormat", err)
	}
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"abc", 3},
		{"三滩镇", 6},
		{"Ｆｕｌｌ", 8},
		{"e\u0301", 1},
		{"（七）总计", 10},
		{"½", 1},
		{"\xff", 1},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.s); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
