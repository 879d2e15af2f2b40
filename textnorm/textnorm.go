package textnorm

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"
)

// The CJK Unified Ideographs block, where GB 2312's hanzi live.
const (
	hanFirst = 0x4E00
	hanLast  = 0x9FFF
)

// Normalizer folds text; see the package documentation. The zero value is
// not usable; call New. A Normalizer is safe for concurrent use; the OpenCC
// dictionaries are loaded on first need and then shared.
type Normalizer struct {
	gb2312 []uint64 // bit per rune in [hanFirst, hanLast]: the rune is in GB 2312

	once sync.Once
	cc   *opencc.OpenCC
	err  error
}

// New returns a Normalizer. It builds the GB 2312 repertoire by decoding the
// standard's hanzi rows with golang.org/x/text; it does not load OpenCC.
func New() *Normalizer {
	n := &Normalizer{gb2312: make([]uint64, (hanLast-hanFirst)/64+1)}
	// GB 2312 hanzi: rows 0xB0–0xF7, cells 0xA1–0xFE.
	buf := make([]byte, 0, (0xF7-0xB0+1)*(0xFE-0xA1+1)*2)
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			buf = append(buf, byte(hi), byte(lo))
		}
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(buf)
	if err == nil {
		for _, r := range string(out) {
			if r >= hanFirst && r <= hanLast {
				i := r - hanFirst
				n.gb2312[i/64] |= 1 << (i % 64)
			}
		}
	}
	return n
}

// inGB2312 reports whether the hanzi r is in GB 2312.
func (n *Normalizer) inGB2312(r rune) bool {
	if r < hanFirst || r > hanLast {
		return false
	}
	i := r - hanFirst
	return n.gb2312[i/64]&(1<<(i%64)) != 0
}

func (n *Normalizer) converter() (*opencc.OpenCC, error) {
	n.once.Do(func() {
		n.cc, n.err = opencc.New("t2s")
		if n.err != nil {
			n.err = fmt.Errorf("load opencc t2s: %w", n.err)
		}
	})
	return n.cc, n.err
}

// maxProbe bounds how many distinct candidate characters are looked up.
const maxProbe = 64

// HasTraditional reports whether s is written in Traditional characters:
// at least two of its hanzi, and 1% of them, are characters OpenCC's t2s
// conversion changes. A simplified page with a "繁體" link is not. Only
// characters outside GB 2312 are looked up, so for simplified text it costs
// one table lookup per hanzi.
func (n *Normalizer) HasTraditional(s string) bool {
	trad, han := n.CountTraditional(s)
	return traditional(trad, han)
}

// traditional is the rule of HasTraditional.
func traditional(trad, han int) bool { return trad >= 2 && trad*100 >= han }

// CountTraditional returns how many of the hanzi of s are Traditional
// characters that t2s changes, and how many hanzi s has.
func (n *Normalizer) CountTraditional(s string) (trad, han int) {
	c := n.NewCensus()
	c.Add(s)
	return c.Count()
}

// Census counts Traditional characters over many strings, such as the
// lines and cells of one document, without joining them. It is not safe
// for concurrent use.
type Census struct {
	n      *Normalizer
	han    int
	cand   []rune
	counts []int
}

// NewCensus returns an empty Census.
func (n *Normalizer) NewCensus() *Census { return &Census{n: n} }

// Add counts the hanzi of s.
func (c *Census) Add(s string) {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			i++
			continue
		}
		var r rune
		if isHanLead(b) && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			r = rune(b&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			i += 3
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
		}
		if r < 0x3400 || !isHan(r) {
			continue
		}
		c.han++
		if c.n.inGB2312(r) {
			continue
		}
		found := false
		for k, x := range c.cand {
			if x == r {
				c.counts[k]++
				found = true
				break
			}
		}
		if !found && len(c.cand) < maxProbe {
			c.cand = append(c.cand, r)
			c.counts = append(c.counts, 1)
		}
	}
}

// Traditional reports whether the text counted so far is written in
// Traditional characters, by HasTraditional's rule.
func (c *Census) Traditional() bool {
	return traditional(c.Count())
}

// Count returns how many of the hanzi counted are Traditional characters
// that t2s changes, and how many hanzi were counted.
func (c *Census) Count() (trad, han int) {
	n, cand, counts := c.n, c.cand, c.counts
	han = c.han
	if len(cand) == 0 {
		return 0, han
	}
	cc, err := n.converter()
	if err != nil {
		return 0, han
	}
	probe := string(cand)
	out, err := cc.Convert(probe)
	if err != nil || out == probe {
		return 0, han
	}
	conv := []rune(out)
	for i, r := range cand {
		changed := false
		if len(conv) == len(cand) {
			changed = conv[i] != r
		} else if one, err := cc.Convert(string(r)); err == nil {
			changed = one != string(r)
		}
		if changed {
			trad += counts[i]
		}
	}
	return trad, han
}

// ToSimplified converts s from Traditional to Simplified characters.
func (n *Normalizer) ToSimplified(s string) (string, error) {
	cc, err := n.converter()
	if err != nil {
		return s, err
	}
	out, err := cc.Convert(s)
	if err != nil {
		return s, fmt.Errorf("opencc t2s: %w", err)
	}
	return out, nil
}

// Fold returns s in matching form: NFKC, pinyin glosses stripped and, when s
// contains any Traditional character, converted to Simplified. To fold many
// strings of one document consistently, call Basic on each, HasTraditional
// on their union and ToSimplified where it says so.
func (n *Normalizer) Fold(s string) string {
	s = Basic(s)
	if trad, _ := n.CountTraditional(s); trad > 0 {
		if t, err := n.ToSimplified(s); err == nil {
			s = t
		}
	}
	return s
}

// Basic applies the script-independent folds: NFKC and StripPinyin. It
// also drops zero-width characters, turns every Unicode space into an ASCII
// space and line ends into "\n".
//
// Runes that NFKC leaves alone (ASCII, CJK ideographs, CJK punctuation) and
// the full-width forms are handled inline; only the rest goes through
// golang.org/x/text/unicode/norm, which keeps the common case fast.
func Basic(s string) string {
	var b []byte
	plainTo := 0 // s[:plainTo] is known unchanged and not yet copied to b
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf || c == '\n' || c == '\t' {
			i++
			continue
		}
		if isHanLead(c) && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// U+4000–U+9FFF: CJK ideographs (and the Yijing hexagrams),
			// which NFKC leaves alone.
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if stable(r) {
			i += size
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[plainTo:i]...)
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				// drop: the \n follows
			} else {
				b = append(b, '\n')
			}
			i += size
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			b = append(b, byte(r-0xFEE0))
			i += size
		case r == 0x3000 || r == 0xA0 || r < 0x20:
			b = append(b, ' ')
			i += size
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0xAD:
			i += size
		default:
			// A run of other runes goes through NFKC as a whole.
			j := i + size
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				if r2 < utf8.RuneSelf || stable(r2) || r2 >= 0xFF01 && r2 <= 0xFF5E || r2 == 0x3000 {
					break
				}
				j += size2
			}
			run := s[i:j]
			if unicode.Is(unicode.Mn, r) && len(b) > 0 {
				// A combining mark composes with the rune before it.
				last, n := utf8.DecodeLastRune(b)
				b = b[:len(b)-n]
				run = string(last) + run
			}
			for _, r2 := range norm.NFKC.String(run) {
				if r2 != ' ' && r2 != '\n' && unicode.IsSpace(r2) {
					r2 = ' '
				}
				b = utf8.AppendRune(b, r2)
			}
			i = j
		}
		plainTo = i
	}
	if b != nil {
		b = append(b, s[plainTo:]...)
		s = string(b)
	}
	if strings.IndexByte(s, '(') < 0 {
		// NFKC has made every full-width bracket ASCII: no gloss.
		return s
	}
	return StripPinyin(s)
}

// isHanLead reports whether c leads the UTF-8 encoding of a rune in
// U+4000–U+9FFF.
func isHanLead(c byte) bool { return c >= 0xE4 && c <= 0xE9 }

// stable reports whether NFKC leaves r unchanged in any context the pages
// produce: CJK ideographs and the CJK punctuation and quotes in common use.
func stable(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r >= 0x20000 && r <= 0x2A6DF:
		return true
	case r >= 0x3001 && r <= 0x3003, r >= 0x3005 && r <= 0x3011, r >= 0x3014 && r <= 0x301B:
		return true // 、。〃々〆〇《》「」『』【】〔〕
	case r >= 0x2018 && r <= 0x201D, r == 0x2014, r == 0x2026, r == 0x00B7, r == 0x25CB, r == 0x2022:
		return true // ‘’“” — … · ○ •
	}
	return false
}

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF ||
		r >= 0x20000 && r <= 0x2FFFF || r >= 0xF900 && r <= 0xFAFF || r == 0x3007
}

// StripPinyin removes pinyin glosses that mirror sites insert after a
// character, "根據(jù)" → "根據", "鄉(xiāng)" → "鄉": a run of 1–7 lowercase
// Latin letters (with or without tone marks) in ASCII or full-width
// parentheses right after a hanzi.
func StripPinyin(s string) string {
	if !strings.Contains(s, "(") && !strings.Contains(s, "（") {
		return s
	}
	var b strings.Builder
	last := 0
	prevHan := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == '(' || r == '（') && prevHan {
			if end := glossEnd(s[i+size:]); end > 0 {
				b.WriteString(s[last:i])
				i += size + end
				last = i
				prevHan = false
				continue
			}
		}
		prevHan = isHan(r)
		i += size
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// glossEnd returns the length of "letters)" at the start of s when it is a
// pinyin gloss body, else 0.
func glossEnd(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ')' || r == '）':
			if n == 0 {
				return 0
			}
			return i + size
		case isPinyinLetter(r):
			n++
			if n > 7 {
				return 0
			}
		default:
			return 0
		}
		i += size
	}
	return 0
}

func isPinyinLetter(r rune) bool {
	if r >= 'a' && r <= 'z' {
		return true
	}
	return strings.ContainsRune("āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ", r)
}
