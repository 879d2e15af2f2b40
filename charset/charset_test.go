package charset

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDetect(t *testing.T) {
	page := func(meta string, body []byte) []byte {
		return append([]byte(`<html><head>`+meta+`</head><body>`), body...)
	}
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"header wins", page(`<meta charset="utf-8">`, gbk(t, "年报")), "text/html; charset=GBK", GB18030},
		{"header gb2312 is gb18030", []byte("x"), "text/html; charset=gb2312", GB18030},
		{"header utf-8", []byte("x"), "text/html;charset=UTF-8", UTF8},
		{"unknown header label falls through", page(`<meta charset="gbk">`, nil), "text/html; charset=x-nonsense", GB18030},
		{"bom", append([]byte{0xEF, 0xBB, 0xBF}, "年报"...), "text/html", UTF8},
		{"utf-16le bom", []byte{0xFF, 0xFE, 'a', 0}, "", "utf-16le"},
		{"meta http-equiv only", page(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, gbk(t, "政府信息公开年报")), "text/html", GB18030},
		{"meta charset attribute", page(`<META CHARSET='GBK'>`, nil), "", GB18030},
		{"meta big5", page(`<meta charset="big5">`, nil), "", "big5"},
		{"sniff utf-8", []byte("<p>政府信息公开年报</p>"), "", UTF8},
		{"sniff gbk", gbk(t, "<p>政府信息公开年报</p>"), "", GB18030},
		{"meta beyond scan limit is ignored", append(bytes.Repeat([]byte(" "), metaScanLimit), `<meta charset="gbk">`...), "", UTF8},
	}
	for _, tt := range tests {
		if got := Detect(tt.body, tt.contentType); got != tt.want {
			t.Errorf("%s: Detect = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	want := "三滩镇人民政府2022年政府信息公开工作年度报告"
	body := append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), gbk(t, want)...)
	out, name, err := Decode(body, "text/html")
	if err != nil || name != GB18030 || !bytes.Contains(out, []byte(want)) {
		t.Errorf("Decode(meta-only GBK) = %q, %q, %v", out, name, err)
	}
	// Characters outside GB2312 in a page labelled gb2312 survive.
	rare := "镕" // GBK, not GB2312
	out, _, err = Decode(gbk(t, rare), "text/html; charset=gb2312")
	if err != nil || string(out) != rare {
		t.Errorf("Decode(gbk %s labelled gb2312) = %q, %v", rare, out, err)
	}
	out, _, err = Decode(append([]byte{0xEF, 0xBB, 0xBF}, "年报"...), "")
	if err != nil || string(out) != "年报" {
		t.Errorf("Decode drops the BOM: got %q, %v", out, err)
	}
	out, _, err = Decode([]byte("年\xff报"), "text/html; charset=utf-8")
	if err != nil || string(out) != "年\uFFFD报" {
		t.Errorf("Decode(invalid utf-8) = %q, %v", out, err)
	}
	if _, err := DecodeAs([]byte("x"), "no-such-charset"); err == nil {
		t.Error("DecodeAs(unknown) = nil error")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`<meta charset="gbk">abc`), "text/html")
	f.Add([]byte{0xFE, 0xFF, 0, 'a'}, "")
	f.Add([]byte("\xb0\xa1"), "text/html; charset=gb2312")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, name, err := Decode(body, contentType)
		if err != nil {
			return
		}
		if name == "" {
			t.Fatalf("Decode named no charset")
		}
		if !utf8.Valid(out) {
			t.Fatalf("Decode(%q, %q) as %s = invalid UTF-8 %q", body, contentType, name, out)
		}
	})
}
