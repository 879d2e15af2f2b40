package numerals

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Figure is a number as a report states it.
type Figure struct {
	// Value is the number as written, e.g. 5500 for "5500余".
	Value float64
	// Approximate is set when the number carries 余, 多, 近, 超, 约, 逾 or
	// 以上: the report gives a bound, not an exact count.
	Approximate bool
}

// digitValue returns the value of a Chinese digit character and whether it
// is one.
func digitValue(r rune) (int64, bool) {
	switch r {
	case '〇', '○', '零', 'Ｏ', 'O', '0':
		return 0, true
	case '一', '壹', '1':
		return 1, true
	case '二', '两', '贰', '貳', '兩', '2':
		return 2, true
	case '三', '叁', '參', '3':
		return 3, true
	case '四', '肆', '4':
		return 4, true
	case '五', '伍', '5':
		return 5, true
	case '六', '陆', '陸', '6':
		return 6, true
	case '七', '柒', '7':
		return 7, true
	case '八', '捌', '8':
		return 8, true
	case '九', '玖', '9':
		return 9, true
	}
	return 0, false
}

// unitValue returns the multiplier of a Chinese unit character and whether
// it is one.
func unitValue(r rune) (int64, bool) {
	switch r {
	case '十', '拾':
		return 10, true
	case '百', '佰':
		return 100, true
	case '千', '仟':
		return 1000, true
	case '万', '萬':
		return 10000, true
	case '亿', '億':
		return 100000000, true
	}
	return 0, false
}

// IsChineseNumeral reports whether r can be part of a Chinese numeral.
func IsChineseNumeral(r rune) bool {
	if r >= '0' && r <= '9' {
		return false
	}
	if _, ok := digitValue(r); ok {
		return true
	}
	_, ok := unitValue(r)
	return ok
}

// ParseChinese returns the value of a Chinese numeral such as 一, 十二,
// 四十, 一百零五, 两千三百, 三万五千 or, written digit by digit as years
// are, 二○一一. It reports false for anything else, including an empty
// string and values that overflow.
func ParseChinese(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	hasUnit := false
	for _, r := range s {
		if _, ok := unitValue(r); ok {
			hasUnit = true
			continue
		}
		if _, ok := digitValue(r); !ok {
			return 0, false
		}
	}
	if !hasUnit {
		// Digit by digit: 二○一一 = 2011, 一 = 1.
		var v int64
		n := 0
		for _, r := range s {
			d, _ := digitValue(r)
			v = v*10 + d
			n++
			if n > 18 {
				return 0, false
			}
		}
		return v, true
	}
	var total, section, digit int64
	pendingDigit := false
	for _, r := range s {
		if d, ok := digitValue(r); ok {
			digit = d
			pendingDigit = true
			continue
		}
		u, _ := unitValue(r)
		switch {
		case u >= 10000:
			section += digit
			if section == 0 {
				section = 1
			}
			total += section * u
			if total < 0 || total > 1e15 {
				return 0, false
			}
			section = 0
		default:
			if !pendingDigit {
				digit = 1 // 十二 = 12
			}
			section += digit * u
		}
		digit = 0
		pendingDigit = false
	}
	return total + section + digit, true
}

// Parse reads one stated figure: digits (with optional "," or "，"
// thousands separators and a decimal part) or a Chinese numeral, optionally
// preceded by 近, 超, 超过, 约, 逾 or 将近 and followed by 余, 多 or 以上, with
// spaces anywhere between. Anything else in s makes it report false.
func Parse(s string) (Figure, bool) {
	s = strings.TrimSpace(s)
	var f Figure
	for _, p := range []string{"将近", "超过", "近", "超", "约", "逾", "大约"} {
		if strings.HasPrefix(s, p) {
			s = strings.TrimSpace(s[len(p):])
			f.Approximate = true
			break
		}
	}
	for _, suf := range []string{"以上", "余", "多", "餘"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSpace(s[:len(s)-len(suf)])
			f.Approximate = true
			break
		}
	}
	if s == "" {
		return Figure{}, false
	}
	if v, ok := parseDigits(s); ok {
		f.Value = v
		return f, true
	}
	if v, ok := ParseChinese(s); ok {
		f.Value = float64(v)
		return f, true
	}
	return Figure{}, false
}

// parseDigits reads ASCII or full-width digits with thousands separators and
// an optional decimal part.
func parseDigits(s string) (float64, bool) {
	var b strings.Builder
	b.Grow(len(s))
	dot := false
	digits := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
			digits++
		case r == '.' || r == '．':
			if dot || digits == 0 {
				return 0, false
			}
			dot = true
			b.WriteByte('.')
		case r == ',' || r == '，':
			if dot || digits == 0 {
				return 0, false
			}
		case r == ' ':
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 18 {
		return 0, false
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		return 0, false
	}
	return v, true
}
