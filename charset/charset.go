// Package charset decides the character encoding of a fetched payload and
// converts it to UTF-8, the way Chinese government portals need: the HTTP
// header, then a byte-order mark, then a <meta> declaration, then sniffing.
// gb2312 and gbk labels are decoded as GB18030, their superset, because real
// pages labelled gb2312 contain characters outside it.
package charset

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Canonical names returned by Detect for the encodings portals use.
const (
	UTF8    = "utf-8"
	GB18030 = "gb18030"
)

// metaScanLimit is how far into a document a <meta> declaration is looked
// for. WHATWG prescans 1024 bytes; portals put long comments and scripts
// before it, so look further.
const metaScanLimit = 8192

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// Detect returns the canonical name of body's encoding, given the HTTP
// Content-Type header (which may be empty).
func Detect(body []byte, contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if name, ok := canonical(params["charset"]); ok {
			return name
		}
	}
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return "utf-16be"
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return "utf-16le"
	}
	head := body
	if len(head) > metaScanLimit {
		head = head[:metaScanLimit]
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		if name, ok := canonical(string(m[1])); ok {
			return name
		}
	}
	if utf8.Valid(body) {
		return UTF8
	}
	return GB18030
}

// canonical maps an encoding label to the name Detect reports, and whether
// the label is known.
func canonical(label string) (string, bool) {
	label = strings.ToLower(strings.TrimSpace(label))
	switch label {
	case "":
		return "", false
	case "gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "gb18030", "hz-gb-2312":
		return GB18030, true
	case "utf8", "utf-8":
		return UTF8, true
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return "", false
	}
	name, err := htmlindex.Name(e)
	if err != nil {
		return "", false
	}
	return strings.ToLower(name), true
}

// Decode converts body to UTF-8. It returns the text, the encoding used (as
// Detect names it) and an error only when the encoding is unsupported.
// Invalid byte sequences become U+FFFD rather than failing the whole page.
func Decode(body []byte, contentType string) ([]byte, string, error) {
	name := Detect(body, contentType)
	out, err := DecodeAs(body, name)
	return out, name, err
}

// DecodeAs converts body from the named encoding to UTF-8, dropping a
// leading byte-order mark.
func DecodeAs(body []byte, name string) ([]byte, error) {
	var enc encoding.Encoding
	switch name {
	case UTF8:
		body = bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})
		if utf8.Valid(body) {
			return body, nil
		}
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	case GB18030:
		enc = simplifiedchinese.GB18030
	case "utf-16be":
		enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case "utf-16le":
		enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	default:
		e, err := htmlindex.Get(name)
		if err != nil {
			return nil, fmt.Errorf("charset %q: %w", name, err)
		}
		enc = e
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, nil
}
