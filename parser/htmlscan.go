package parser

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlScanner splits an HTML page into the tokens golang.org/x/net/html's
// Tokenizer gives (text, start, end and self-closing tags; comments and
// doctypes are passed over), following the same rules: tag and attribute
// syntax, raw text and RCDATA elements, the script data escape states,
// comments, bogus comments and "</>". It works on the page bytes in place
// and copies nothing it need not: the Tokenizer reads through a buffer one
// byte per call and copies every tag name, which made it most of the
// parser's time. TestScannerMatchesTokenizer and FuzzScanner compare the
// two.
type htmlScanner struct {
	b []byte
	p int

	// rawTag is the lower-case name of the element whose raw text or
	// RCDATA is read next, "" for none.
	rawTag string

	// The current token.
	tt       html.TokenType
	a        atom.Atom // the tag's element, 0 for an unknown one
	tagStart int       // the tag's bytes are b[tagStart:p]
	nameEnd  int       // the tag's name is b[tagStart+1 or +2 : nameEnd]
	attrs    [][4]int  // a start tag's attributes: key start, end, value start, end
	next     int       // the next attribute nextAttr returns
	data     []byte    // a text token's bytes, not yet decoded
	rawText  bool      // the text is raw: no entities
	rcdata   bool      // the text is RCDATA or raw: NUL becomes U+FFFD
	scratch  []byte
}

// newHTMLScanner returns a scanner of page. The scanner never modifies
// page.
func newHTMLScanner(page []byte) *htmlScanner {
	return &htmlScanner{b: page}
}

// Next scans the next token: html.TextToken, StartTagToken,
// SelfClosingTagToken or EndTagToken, or html.ErrorToken at the end of the
// page (or inside a tag the page ends in).
func (s *htmlScanner) Next() html.TokenType {
	for {
		tt := s.scan()
		if tt != html.CommentToken {
			s.tt = tt
			return tt
		}
	}
}

// scan reads one token, comments included.
func (s *htmlScanner) scan() html.TokenType {
	start := s.p
	if s.rawTag != "" {
		s.rawText = s.rawTag != "textarea" && s.rawTag != "title"
		s.rcdata = true
		if s.rawTag == "plaintext" {
			s.p = len(s.b)
		} else if s.rawTag == "script" {
			s.readScript()
		} else {
			s.readRaw()
		}
		s.rawTag = ""
		if s.p > start {
			s.data = s.b[start:s.p]
			return html.TextToken
		}
	}
	s.rawText, s.rcdata = false, false
	b := s.b
	for s.p < len(b) {
		i := bytes.IndexByte(b[s.p:], '<')
		if i < 0 {
			s.p = len(b)
			break
		}
		lt := s.p + i
		if lt+1 >= len(b) {
			s.p = len(b)
			break
		}
		c := b[lt+1]
		var tt html.TokenType
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			tt = html.StartTagToken
		case c == '/':
			tt = html.EndTagToken
		case c == '!' || c == '?':
			tt = html.CommentToken
		default:
			s.p = lt + 1
			continue
		}
		if lt > start {
			// Text first; the tag is read on the next call.
			s.p = lt
			s.data = b[start:lt]
			return html.TextToken
		}
		s.p = lt + 2
		s.tagStart = lt
		switch tt {
		case html.StartTagToken:
			return s.readStartTag()
		case html.EndTagToken:
			if s.p >= len(b) {
				// "</" at the end of the page is text.
				s.data = b[start:s.p]
				return html.TextToken
			}
			c = b[s.p]
			s.p++
			switch {
			case c == '>':
				// "</>" gives no token.
				return html.CommentToken
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				s.p--
				if !s.readTag(false) {
					return html.ErrorToken
				}
				s.a = s.tagAtom(lt + 2)
				return html.EndTagToken
			}
			s.p--
			s.readUntilCloseAngle()
			return html.CommentToken
		default:
			if c == '!' {
				s.readMarkupDeclaration()
			} else {
				s.p--
				s.readUntilCloseAngle()
			}
			return html.CommentToken
		}
	}
	if s.p > start {
		s.data = b[start:s.p]
		return html.TextToken
	}
	return html.ErrorToken
}

// isTagSpace reports whether c separates a tag's name and attributes.
func isTagSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// readStartTag reads a start tag whose "<" and first letter are consumed
// (s.p is after the letter) and sets up the raw text of the elements that
// have one.
func (s *htmlScanner) readStartTag() html.TokenType {
	s.p--
	if !s.readTag(true) {
		return html.ErrorToken
	}
	s.a = s.tagAtom(s.tagStart + 1)
	switch s.a {
	case atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext, atom.Script, atom.Style,
		atom.Textarea, atom.Title, atom.Xmp:
		s.rawTag = s.a.String()
	}
	// "<br/>" is self-closing; "<a href=x/>" is not: the slash belongs to
	// the value.
	if s.b[s.p-2] == '/' && (len(s.attrs) == 0 || s.p-2 != s.attrs[len(s.attrs)-1][3]-1) {
		return html.SelfClosingTagToken
	}
	return html.StartTagToken
}

// tagAtom returns the element named at b[from:s.nameEnd], 0 for an unknown
// one.
func (s *htmlScanner) tagAtom(from int) atom.Atom {
	name := s.b[from:s.nameEnd]
	var buf [32]byte
	if len(name) > len(buf) {
		return 0
	}
	for k, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[k] = c
	}
	return atom.Lookup(buf[:len(name)])
}

// readTag reads a tag's name and attributes, s.p at the name's first
// letter, up to and including the closing ">". It reports false when the
// page ends inside the tag. Attributes are kept when keep is set.
func (s *htmlScanner) readTag(keep bool) bool {
	b := s.b
	s.attrs = s.attrs[:0]
	s.next = 0
	// The name ends at a space, "/" or ">".
	for s.p < len(b) {
		c := b[s.p]
		if isTagSpace(c) || c == '/' || c == '>' {
			break
		}
		s.p++
	}
	s.nameEnd = s.p
	if s.p < len(b) && isTagSpace(b[s.p]) {
		s.p++
	}
	s.skipSpace()
	for {
		if s.p >= len(b) {
			return false
		}
		if b[s.p] == '>' {
			s.p++
			return true
		}
		var a [4]int
		a[0] = s.p
		s.readAttrKey()
		a[1] = s.p
		a[2], a[3] = s.readAttrVal()
		if keep && a[0] != a[1] && !s.seenAttr(b[a[0]:a[1]]) {
			// The first of duplicate attributes counts.
			s.attrs = append(s.attrs, a)
		}
		s.skipSpace()
	}
}

// seenAttr reports whether the current tag already has an attribute named
// key, in any case.
func (s *htmlScanner) seenAttr(key []byte) bool {
	for _, a := range s.attrs {
		if k := s.b[a[0]:a[1]]; len(k) == len(key) && equalFoldASCII(k, key) {
			return true
		}
	}
	return false
}

// equalFoldASCII reports whether a and b, of equal length, are equal up to
// ASCII case.
func equalFoldASCII(a, b []byte) bool {
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func (s *htmlScanner) skipSpace() {
	for s.p < len(s.b) && isTagSpace(s.b[s.p]) {
		s.p++
	}
}

// readAttrKey reads an attribute name: up to a space, "=", "/" or ">"; an
// "=" first is part of the name.
func (s *htmlScanner) readAttrKey() {
	start := s.p
	for s.p < len(s.b) {
		c := s.b[s.p]
		switch c {
		case '=':
			if s.p == start {
				s.p++
				continue
			}
			return
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			return
		}
		s.p++
	}
}

// readAttrVal reads "= value" after an attribute name, and returns the
// value's span (empty when there is none).
func (s *htmlScanner) readAttrVal() (int, int) {
	b := s.b
	at := s.p
	s.skipSpace()
	if s.p >= len(b) {
		return at, at
	}
	c := b[s.p]
	s.p++
	if c == '/' {
		return at, at
	}
	if c != '=' {
		s.p--
		return at, at
	}
	s.skipSpace()
	if s.p >= len(b) {
		return at, at
	}
	q := b[s.p]
	s.p++
	switch q {
	case '>':
		s.p--
		return at, at
	case '\'', '"':
		vs := s.p
		i := bytes.IndexByte(b[s.p:], q)
		if i < 0 {
			s.p = len(b)
			return vs, s.p
		}
		s.p += i + 1
		return vs, s.p - 1
	}
	vs := s.p - 1
	for s.p < len(b) {
		switch b[s.p] {
		case ' ', '\n', '\r', '\t', '\f':
			s.p++
			return vs, s.p - 1
		case '>':
			return vs, s.p
		}
		s.p++
	}
	return vs, s.p
}

// readUntilCloseAngle reads up to and including the next ">".
func (s *htmlScanner) readUntilCloseAngle() {
	if i := bytes.IndexByte(s.b[s.p:], '>'); i >= 0 {
		s.p += i + 1
		return
	}
	s.p = len(s.b)
}

// readMarkupDeclaration reads what follows "<!": a comment, a doctype or a
// bogus comment.
func (s *htmlScanner) readMarkupDeclaration() {
	b := s.b
	if s.p+2 > len(b) {
		s.p = len(b)
		return
	}
	if b[s.p] == '-' && b[s.p+1] == '-' {
		s.p += 2
		s.readComment()
		return
	}
	// A doctype and a bogus comment both end at ">".
	s.readUntilCloseAngle()
}

// readComment reads a comment after "<!--": it ends at "-->", "--!>", or a
// ">" right after the opening ("<!-->", "<!--->").
func (s *htmlScanner) readComment() {
	b := s.b
	dashes := 0
	beginning := true
	for s.p < len(b) {
		c := b[s.p]
		s.p++
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return
			}
		case '!':
			if dashes >= 2 {
				if s.p >= len(b) {
					return
				}
				c = b[s.p]
				s.p++
				if c == '>' {
					return
				}
				if c == '-' {
					dashes = 1
					beginning = false
					continue
				}
			}
		}
		dashes = 0
		beginning = false
	}
}

// readRaw reads raw text or RCDATA up to the end tag of s.rawTag, leaving
// s.p at its "<".
func (s *htmlScanner) readRaw() {
	b := s.b
	for s.p < len(b) {
		i := bytes.Index(b[s.p:], []byte("</"))
		if i < 0 {
			s.p = len(b)
			return
		}
		s.p += i
		if s.isRawEndTag(s.p + 2) {
			return
		}
		s.p += 2
	}
}

// isRawEndTag reports whether s.rawTag's name, in any case, followed by a
// space, "/" or ">", starts at b[i:].
func (s *htmlScanner) isRawEndTag(i int) bool {
	b, name := s.b, s.rawTag
	if i+len(name) >= len(b) {
		return false
	}
	for k := 0; k < len(name); k++ {
		if c := b[i+k]; c != name[k] && c != name[k]-('a'-'A') {
			return false
		}
	}
	switch b[i+len(name)] {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		return true
	}
	return false
}

// readScript reads script data up to its end tag, through the escape
// states of the HTML standard ("<!--" … "-->", and a "<script>" inside
// them), leaving s.p at the end tag's "<".
func (s *htmlScanner) readScript() {
	b := s.b
	const (
		data = iota
		escaped
		doubleEscaped
	)
	state := data
	dashes := 0 // dashes just read in an escaped state
	for s.p < len(b) {
		c := b[s.p]
		s.p++
		switch state {
		case data:
			if c != '<' {
				continue
			}
			if s.p >= len(b) {
				return
			}
			switch b[s.p] {
			case '/':
				if s.isRawEndTag(s.p + 1) {
					s.p--
					return
				}
				s.p++
			case '!':
				if s.p+2 < len(b) && b[s.p+1] == '-' && b[s.p+2] == '-' {
					s.p += 3
					state, dashes = escaped, 2
				}
			}
		case escaped, doubleEscaped:
			switch c {
			case '-':
				dashes++
				continue
			case '>':
				if dashes >= 2 {
					state = data
				}
			case '<':
				if s.p >= len(b) {
					return
				}
				n := b[s.p]
				switch {
				case n == '/' && state == escaped:
					if s.isRawEndTag(s.p + 1) {
						s.p--
						return
					}
				case n == '/' && state == doubleEscaped:
					if s.isRawEndTag(s.p + 1) {
						s.p += 1 + len("script") + 1
						state = escaped
					}
				case state == escaped && ('a' <= n && n <= 'z' || 'A' <= n && n <= 'Z'):
					if s.isRawEndTag(s.p) {
						s.p += len("script") + 1
						state = doubleEscaped
					}
				case state == escaped:
					// As golang.org/x/net/html does: any other "<" in
					// escaped data ends the escape.
					state = data
				}
			}
			dashes = 0
		}
	}
}

// Text returns the current text token, with "\r\n" and "\r" as "\n" and
// entities decoded (except in raw text). The slice is valid until the next
// call to Next; it may be the page's own bytes and must not be modified.
func (s *htmlScanner) Text() []byte {
	t := s.data
	if bytes.IndexByte(t, '\r') >= 0 {
		s.scratch = append(s.scratch[:0], t...)
		t = convertCR(s.scratch)
	}
	if s.rcdata && bytes.IndexByte(t, 0) >= 0 {
		t = bytes.ReplaceAll(t, []byte{0}, []byte("\ufffd"))
	}
	if !s.rawText && bytes.IndexByte(t, '&') >= 0 {
		t = []byte(html.UnescapeString(string(t)))
	}
	return t
}

// convertCR turns "\r\n" and "\r" in t into "\n", in place.
func convertCR(t []byte) []byte {
	out := t[:0]
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '\r' {
			if i+1 < len(t) && t[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// Atom returns the element of the current tag, 0 for an unknown one.
func (s *htmlScanner) Atom() atom.Atom { return s.a }

// Raw returns the bytes of the current tag.
func (s *htmlScanner) Raw() []byte { return s.b[s.tagStart:s.p] }

// HasAttr reports whether the current start tag has attributes.
func (s *htmlScanner) HasAttr() bool { return len(s.attrs) > 0 }

// TagAttr returns the next attribute of the current start tag: its key in
// lower case (valid until the next call) and its value with entities
// decoded, and whether more follow.
func (s *htmlScanner) TagAttr() (key, val []byte, more bool) {
	if s.next >= len(s.attrs) {
		return nil, nil, false
	}
	a := s.attrs[s.next]
	s.next++
	key = s.b[a[0]:a[1]]
	if bytes.IndexByte(key, 0) >= 0 {
		key = bytes.ReplaceAll(key, []byte{0}, []byte("\ufffd"))
	}
	if bytes.ContainsAny(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		low := make([]byte, len(key))
		for i, c := range key {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			low[i] = c
		}
		key = low
	}
	val = s.b[a[2]:a[3]]
	if bytes.IndexByte(val, 0) >= 0 {
		val = bytes.ReplaceAll(val, []byte{0}, []byte("\ufffd"))
	}
	if bytes.IndexByte(val, '\r') >= 0 {
		val = convertCR(append([]byte(nil), val...))
	}
	if bytes.IndexByte(val, '&') >= 0 {
		val = []byte(html.UnescapeString(string(val)))
	}
	return key, val, s.next < len(s.attrs)
}
