package numerals

import "testing"

func TestParseChinese(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"一", 1, true},
		{"十", 10, true},
		{"十二", 12, true},
		{"二十", 20, true},
		{"四十", 40, true},
		{"一百零五", 105, true},
		{"两千", 2000, true},
		{"两千三百", 2300, true},
		{"三万五千", 35000, true},
		{"一万零一", 10001, true},
		{"二○一一", 2011, true}, // signature years: 二○一一年
		{"二〇二三", 2023, true}, // U+3007
		{"二零一九", 2019, true}, // 零 as a digit
		{"壹佰贰拾", 120, true},  // financial forms
		{"", 0, false},
		{"十a", 0, false},
		{"年", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseChinese(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseChinese(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		want   float64
		approx bool
		ok     bool
	}{
		{"82", 82, false, true},
		{" 3119 ", 3119, false, true},
		{"96171.6", 96171.6, false, true},
		{"1,234", 1234, false, true},
		{"１２", 12, false, true}, // full-width digits
		{"5500 余", 5500, true, true},
		{"140余", 140, true, true},
		{"四十余", 40, true, true},
		{"300多", 300, true, true},
		{"近200", 200, true, true},
		{"超过1000", 1000, true, true},
		{"一", 1, false, true},
		{"十二", 12, false, true},
		{"", 0, false, false},
		{"余", 0, false, false},
		{"-", 0, false, false},
		{"1.2.3", 0, false, false},
		{".5", 0, false, false},
		{"12a", 0, false, false},
		{"12345678901234567890", 0, false, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if ok != tt.ok || got.Value != tt.want || got.Approximate != tt.approx {
			t.Errorf("Parse(%q) = %+v, %v; want {%v %v}, %v", tt.in, got, ok, tt.want, tt.approx, tt.ok)
		}
	}
}

func TestIsChineseNumeral(t *testing.T) {
	for _, r := range "一二三十百千万两零○〇" {
		if !IsChineseNumeral(r) {
			t.Errorf("IsChineseNumeral(%q) = false", r)
		}
	}
	for _, r := range "0年件a" {
		if IsChineseNumeral(r) {
			t.Errorf("IsChineseNumeral(%q) = true", r)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"82", "5500 余", "四十余", "二○一一", "一百零五", "1,234.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Invariant: never panics; a parsed value is never negative.
		if fig, ok := Parse(s); ok && fig.Value < 0 {
			t.Fatalf("Parse(%q) = %v, negative", s, fig.Value)
		}
	})
}
