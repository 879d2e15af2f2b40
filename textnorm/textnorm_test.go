package textnorm

import "testing"

func TestBasic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"（一）予以公开", "(一)予以公开"},
		{"２０２０年１２月", "2020年12月"},
		{"本年度\u3000报告", "本年度 报告"},
		{"索\u00a0引\u00a0号：", "索 引 号:"},
		{"根據(jù)白銀市", "根據白銀市"},
		{"鄉(xiāng)政府", "鄉政府"},
		{"零\u200b宽", "零宽"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"ｅ\u0301", "é"},
		{"①号", "1号"},
		{"(以下简称《条例》)", "(以下简称《条例》)"},
		{"邮箱(abc@qq.com)", "邮箱(abc@qq.com)"},
		{"第二十条第(一)项", "第二十条第(一)项"},
		{"中心(zhōng xīn)", "中心(zhōng xīn)"}, // a space is not a gloss
		{"plain ascii", "plain ascii"},
	}
	for _, tt := range tests {
		if got := Basic(tt.in); got != tt.want {
			t.Errorf("Basic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	n := New()
	tests := []struct{ in, want string }{
		{"本年製發件數", "本年制发件数"},
		{"行政強製", "行政强制"},
		{"二、上年結轉政府信息公開申請數量", "二、上年结转政府信息公开申请数量"},
		{"行政複議與行政訴訟", "行政复议与行政诉讼"},
		{"根據(jù)白銀市靖遠(yuǎn)縣", "根据白银市靖远县"},
		{"（二）部分公開（區分處理的，隻計這一情形）", "(二)部分公开(区分处理的,只计这一情形)"},
		{"三滩镇2019年政府信息公开年度报告", "三滩镇2019年政府信息公开年度报告"},
	}
	for _, tt := range tests {
		if got := n.Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasTraditional(t *testing.T) {
	n := New()
	tests := []struct {
		in   string
		want bool
	}{
		{"政府信息公开工作年度报告", false},
		{"著作权 乾坤", false}, // in GB 2312: never probed
		{"政府信息公開工作年度報告", true},
		{"政府信息公开工作年度報告", false}, // one character: too few to call a page Traditional
		{"麻陽苗族自治縣板栗樹鄉人民政府2022年政府信息公開工作年度報告", true},
		{"政府信息公开工作年度报告 简体 | 繁體", false}, // one link, not a Traditional page
		{"", false},
	}
	for _, tt := range tests {
		if got := n.HasTraditional(tt.in); got != tt.want {
			t.Errorf("HasTraditional(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func BenchmarkBasicSimplified(b *testing.B) {
	s := "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复），均在法定期限内予以答复。"
	n := New()
	b.ReportAllocs()
	for b.Loop() {
		_ = n.HasTraditional(Basic(s))
	}
}
