package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// scanKind is the kind of a scanned token.
type scanKind uint8

const (
	scanEOF scanKind = iota
	scanText
	scanStart
	scanEnd
	scanComment // comments, doctypes and bogus comments: nothing to keep
)

// attrSpan is one attribute of a start tag, as offsets into the page.
type attrSpan struct {
	k0, k1, v0, v1 int
}

// scanner splits a page into the tokens golang.org/x/net/html's tokenizer
// gives, reading the page in place: names and unescaped text are
// substrings of it. It follows that tokenizer's rules for tags, attributes,
// comments, doctypes and raw text, and gives up (next reports false) where
// they get intricate: markup cut off by the end of the page, script
// content with both "<!--" and "<script" (the double-escaped state, where
// "</script>" does not end the script), plaintext, NUL bytes and
// attribute values with character references other than numeric ones
// and the five common named ones. TestScannerMatchesTokenizer and
// FuzzFastTree hold it to the tokenizer.
type scanner struct {
	s   string
	pos int
	raw string // the element whose raw text comes next, or ""

	// The current token.
	kind  scanKind
	off   int    // the token's offset
	text  string // a text token's text, decoded
	name  string // a tag's lower-cased name
	atom  atom.Atom
	attrs []attrSpan
	keys  []string // lower-cased keys of attrs
}

// next reads the next token; false means the page needs the tokenizer.
func (z *scanner) next() bool {
	if z.pos == 0 && strings.IndexByte(z.s, 0) >= 0 {
		return false // the tokenizer and html.Parse replace or drop NUL by context
	}
	z.off = z.pos
	z.attrs, z.keys = z.attrs[:0], z.keys[:0]
	if z.pos >= len(z.s) {
		z.kind = scanEOF
		return true
	}
	if z.raw != "" {
		raw := z.raw
		z.raw = ""
		if end, ok := z.rawEnd(raw); !ok {
			return false
		} else if end > z.pos {
			z.kind = scanText
			z.text = z.decodeText(z.s[z.pos:end], raw != "title" && raw != "textarea")
			z.pos = end
			return true
		}
	}
	if z.s[z.pos] != '<' || !markupAt(z.s, z.pos) {
		end := z.pos + 1
		for {
			i := strings.IndexByte(z.s[end:], '<')
			if i < 0 {
				end = len(z.s)
				break
			}
			end += i
			if markupAt(z.s, end) {
				break
			}
			end++
		}
		z.kind = scanText
		z.text = z.decodeText(z.s[z.pos:end], false)
		z.pos = end
		return true
	}
	if z.pos+1 >= len(z.s) {
		return false
	}
	switch c := z.s[z.pos+1]; {
	case c == '/':
		return z.endTag()
	case c == '!':
		return z.declaration()
	case c == '?':
		return z.untilCloseAngle(z.pos + 2)
	}
	return z.startTag()
}

// markupAt reports whether the '<' at s[i] starts a tag, comment or
// doctype rather than being text.
func markupAt(s string, i int) bool {
	if i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// isHTMLSpace reports whether c is HTML whitespace.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'
}

// decodeText converts a text token's line breaks and, unless raw, its
// character references, as the tokenizer's Text does.
func (z *scanner) decodeText(s string, raw bool) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	if !raw && strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return s
}

// rawEnd finds the end tag closing the raw text of element name: "</" and
// the name in any case, then whitespace, '/' or '>'. Without one the text
// runs to the end of the page.
func (z *scanner) rawEnd(name string) (int, bool) {
	switch name {
	case "plaintext":
		return 0, false
	}
	for i := z.pos; ; {
		j := strings.Index(z.s[i:], "</")
		if j < 0 {
			if name == "script" && doubleEscapable(z.s[z.pos:]) {
				return 0, false
			}
			return len(z.s), true
		}
		i += j
		k := i + 2 + len(name)
		if k < len(z.s) && equalFoldASCII(z.s[i+2:k], name) && (isHTMLSpace(z.s[k]) || z.s[k] == '/' || z.s[k] == '>') {
			if name == "script" && doubleEscapable(z.s[z.pos:i]) {
				return 0, false
			}
			return i, true
		}
		i += 2
	}
}

// doubleEscapable reports whether script content may enter the
// tokenizer's double-escaped state, in which "</script>" does not end the
// script: it needs "<!--" and then "<script". Without both, the script ends
// at the first "</script" and a delimiter, as old pages' "<script><!-- …
// //--></script>" does.
func doubleEscapable(content string) bool {
	i := strings.Index(content, "<!--")
	if i < 0 {
		return false
	}
	for rest := content[i:]; ; {
		j := strings.IndexByte(rest, '<')
		if j < 0 {
			return false
		}
		rest = rest[j+1:]
		if len(rest) >= 6 && equalFoldASCII(rest[:6], "script") {
			return true
		}
	}
}

// untilCloseAngle reads a bogus comment to the next '>'.
func (z *scanner) untilCloseAngle(from int) bool {
	i := strings.IndexByte(z.s[from:], '>')
	if i < 0 {
		return false
	}
	z.kind = scanComment
	z.pos = from + i + 1
	return true
}

// declaration reads "<!": a comment, a doctype or a bogus comment.
func (z *scanner) declaration() bool {
	i := z.pos + 2
	if !strings.HasPrefix(z.s[i:], "--") {
		return z.untilCloseAngle(i) // a doctype also ends at the first '>'
	}
	// The tokenizer's comment states: "-->" (or any run of two or more
	// dashes and '>'), "--!>", and right at the start "<!-->" or "<!--->".
	dashes, beginning := 0, true
	for i += 2; i < len(z.s); i++ {
		switch z.s[i] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				z.kind = scanComment
				z.pos = i + 1
				return true
			}
		case '!':
			if dashes >= 2 && i+1 < len(z.s) {
				switch z.s[i+1] {
				case '>':
					z.kind = scanComment
					z.pos = i + 2
					return true
				case '-':
					i++
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return false
}

// tagName reads a tag name from s[i:], to whitespace, '/' or '>'.
func (z *scanner) tagName(i int) (int, bool) {
	j := i
	upper := false
	for ; j < len(z.s); j++ {
		c := z.s[j]
		if isHTMLSpace(c) || c == '/' || c == '>' {
			break
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if j >= len(z.s) {
		return 0, false
	}
	name := z.s[i:j]
	if upper {
		name = lowerASCII(name)
	}
	z.atom = commonAtom(name)
	if z.atom == 0 {
		z.atom = atom.Lookup([]byte(name))
	}
	if z.atom != 0 {
		name = z.atom.String()
	}
	z.name = name
	return j, true
}

// commonAtom returns the atom of the tag names report pages are made of,
// without atom.Lookup's hashing, or 0 for any other name.
func commonAtom(name string) atom.Atom {
	switch name {
	case "td":
		return atom.Td
	case "tr":
		return atom.Tr
	case "p":
		return atom.P
	case "span":
		return atom.Span
	case "br":
		return atom.Br
	case "div":
		return atom.Div
	case "font":
		return atom.Font
	case "a":
		return atom.A
	case "li":
		return atom.Li
	case "b":
		return atom.B
	case "strong":
		return atom.Strong
	case "table":
		return atom.Table
	case "tbody":
		return atom.Tbody
	case "th":
		return atom.Th
	case "img":
		return atom.Img
	case "meta":
		return atom.Meta
	case "script":
		return atom.Script
	}
	return 0
}

// lowerASCII lowers the ASCII letters of s, as the tokenizer lowers names.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// equalFoldASCII reports whether s and name (lower-case ASCII) are equal
// ignoring the case of ASCII letters.
func equalFoldASCII(s, name string) bool {
	if len(s) != len(name) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// endTag reads "</…>". An end tag with anything but whitespace after its
// name (the tokenizer reads attributes there too) is left to the
// tokenizer.
func (z *scanner) endTag() bool {
	i := z.pos + 2
	if i >= len(z.s) {
		return false
	}
	switch c := z.s[i]; {
	case c == '>':
		z.kind = scanComment // "</>" gives no token
		z.pos = i + 1
		return true
	case !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'):
		return z.untilCloseAngle(i)
	}
	j, ok := z.tagName(i)
	if !ok {
		return false
	}
	for ; j < len(z.s) && isHTMLSpace(z.s[j]); j++ {
	}
	if j >= len(z.s) || z.s[j] != '>' {
		return false
	}
	z.kind = scanEnd
	z.pos = j + 1
	return true
}

// startTag reads "<name attributes>" by the tokenizer's rules, keeping the
// first of each attribute name, and notes the elements whose content the
// tokenizer reads as raw text.
func (z *scanner) startTag() bool {
	i, ok := z.tagName(z.pos + 1)
	if !ok {
		return false
	}
	s := z.s
	skip := func() {
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
	}
	skip()
	for i < len(s) && s[i] != '>' {
		// The key runs to whitespace, '/', '=' or '>'; an '=' first is
		// part of it.
		k0 := i
		for ; i < len(s); i++ {
			c := s[i]
			if isHTMLSpace(c) || c == '/' || c == '>' || c == '=' && i > k0 {
				break
			}
		}
		k1 := i
		v0, v1 := i, i
		skip()
		if i >= len(s) {
			return false
		}
		switch s[i] {
		case '/':
			i++
		case '=':
			i++
			skip()
			if i >= len(s) {
				return false
			}
			switch q := s[i]; q {
			case '>':
			case '"', '\'':
				e := strings.IndexByte(s[i+1:], q)
				if e < 0 {
					return false
				}
				v0, v1 = i+1, i+1+e
				i = v1 + 1
			default:
				v0 = i
				for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
					i++
				}
				v1 = i
			}
		}
		if k1 > k0 {
			z.addAttr(attrSpan{k0, k1, v0, v1})
		}
		skip()
	}
	if i >= len(s) {
		return false
	}
	z.kind = scanStart
	z.pos = i + 1
	switch z.atom {
	case atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext, atom.Script,
		atom.Style, atom.Textarea, atom.Title, atom.Xmp:
		z.raw = z.name
	}
	return true
}

// addAttr keeps an attribute unless one of its name came first.
func (z *scanner) addAttr(a attrSpan) {
	key := lowerASCII(z.s[a.k0:a.k1])
	for _, k := range z.keys {
		if k == key {
			return
		}
	}
	z.attrs = append(z.attrs, a)
	z.keys = append(z.keys, key)
}

// attrValue decodes an attribute's value as the tokenizer does. It reports
// false for a character reference that is neither numeric nor a named one
// closed by ';' (such as "&copy" or "&amp=" in a URL), whose reading in
// attributes differs from the one html.UnescapeString gives.
func attrValue(v string) (string, bool) {
	if strings.IndexByte(v, '\r') >= 0 {
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	if strings.IndexByte(v, '&') < 0 {
		return v, true
	}
	for i := 0; i < len(v); i++ {
		if v[i] != '&' {
			continue
		}
		rest := v[i+1:]
		if strings.HasPrefix(rest, "#") {
			continue
		}
		// A known name closed by ';' reads the same in both modes.
		n := 0
		for n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= '0' && rest[n] <= '9') {
			n++
		}
		if n == 0 || n == len(rest) || rest[n] != ';' {
			return "", false
		}
		if ref := v[i : i+n+2]; html.UnescapeString(ref) == ref {
			return "", false
		}
	}
	return html.UnescapeString(v), true
}
