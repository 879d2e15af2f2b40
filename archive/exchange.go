package archive

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Exchange is one HTTP exchange as fetched: the request sent and the response
// received. The archive does not import the crawler; whoever wires the two
// maps a crawler capture to an Exchange.
type Exchange struct {
	// URL is the absolute http or https URL requested. It is recorded as
	// WARC-Target-URI in Go's form (url.URL.String) without any fragment,
	// which for URLs from Go's HTTP client is the string they already have.
	URL string
	// Method is the request method; empty means GET.
	Method string
	// RequestHeader is the header sent. A Host field is added from URL when
	// it has none.
	RequestHeader http.Header
	// FetchedAt is when the request was sent. It becomes WARC-Date.
	FetchedAt time.Time
	// Status is the response status code.
	Status int
	// Proto is the response protocol as Go reports it ("HTTP/1.1",
	// "HTTP/2.0"); empty means HTTP/1.1.
	Proto string
	// Header is the response header received.
	Header http.Header
	// Body is the response body after transfer decoding (see the package
	// doc for how the record is kept consistent with it).
	Body []byte
	// IP is the server's address, when known. It becomes WARC-IP-Address.
	IP string
}

// ErrInvalidExchange marks an Exchange the writer refuses to archive.
var ErrInvalidExchange = errors.New("invalid exchange")

// Location identifies one record in the archive: where it is, and what a
// later revisit record needs in order to refer to it.
type Location struct {
	// File is the base name of the WARC file under its final name (without
	// ".open", even while the file is still being written).
	File string
	// Offset is where the record's gzip member starts in File.
	Offset int64
	// Length is the size of the record's gzip member, in bytes.
	Length int64
	// RecordID is the WARC-Record-ID, without angle brackets
	// ("urn:uuid:…").
	RecordID string
	// PayloadDigest is the WARC-Payload-Digest ("sha1:…"); empty for records
	// without one.
	PayloadDigest string
	// TargetURI is the WARC-Target-URI.
	TargetURI string
	// Date is the WARC-Date.
	Date time.Time
}

// Profile is a revisit profile: the reason a revisit record stands in for a
// full response.
type Profile string

// The two standard WARC 1.1 revisit profiles.
const (
	// ProfileIdenticalPayloadDigest says the payload is byte-identical to
	// the referred record's, as shown by its digest.
	ProfileIdenticalPayloadDigest Profile = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
	// ProfileServerNotModified says the server answered that the content has
	// not changed (typically 304 Not Modified to a conditional request).
	ProfileServerNotModified Profile = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
)

// PayloadDigest returns the WARC-Payload-Digest the writer records for body:
// "sha1:" and the SHA-1 in base32. Callers compare it with a Location's
// PayloadDigest to decide on an identical-payload-digest revisit.
func PayloadDigest(body []byte) string {
	sum := sha1.Sum(body)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// checked is an Exchange that passed validation, with its URL parsed.
type checked struct {
	Exchange
	u *url.URL
}

// check validates ex.
func check(ex Exchange) (checked, error) {
	u, err := url.Parse(ex.URL)
	if err != nil {
		return checked{}, fmt.Errorf("%w: url: %w", ErrInvalidExchange, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return checked{}, fmt.Errorf("%w: url %q is not an absolute http(s) URL", ErrInvalidExchange, ex.URL)
	}
	if ex.Method == "" {
		ex.Method = http.MethodGet
	}
	if !httpguts.ValidHeaderFieldName(ex.Method) { // a method is a token, as a field name is
		return checked{}, fmt.Errorf("%w: method %q", ErrInvalidExchange, ex.Method)
	}
	if ex.FetchedAt.IsZero() {
		return checked{}, fmt.Errorf("%w: fetched_at is zero", ErrInvalidExchange)
	}
	if ex.Status < 100 || ex.Status > 999 {
		return checked{}, fmt.Errorf("%w: status %d is not a three-digit code", ErrInvalidExchange, ex.Status)
	}
	if _, _, ok := protocol(ex.Proto); !ok {
		return checked{}, fmt.Errorf("%w: protocol %q", ErrInvalidExchange, ex.Proto)
	}
	if ex.IP != "" && net.ParseIP(ex.IP) == nil {
		return checked{}, fmt.Errorf("%w: ip %q", ErrInvalidExchange, ex.IP)
	}
	u.Fragment, u.RawFragment = "", ""
	ex.URL = u.String()
	return checked{Exchange: ex, u: u}, nil
}

// protocol maps Go's Proto to the version written in the HTTP message and the
// WARC-Protocol value ("" when unknown).
func protocol(proto string) (version, warcProtocol string, ok bool) {
	switch proto {
	case "":
		return "HTTP/1.1", "", true
	case "HTTP/1.0":
		return "HTTP/1.0", "http/1.0", true
	case "HTTP/1.1":
		return "HTTP/1.1", "http/1.1", true
	case "HTTP/2.0", "HTTP/2":
		return "HTTP/1.1", "h2", true
	case "HTTP/3.0", "HTTP/3":
		return "HTTP/1.1", "h3", true
	}
	return "", "", false
}

// protoFromWARC maps a WARC-Protocol value back to Go's Proto ("" when none
// is an HTTP version).
func protoFromWARC(values []string) string {
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			switch strings.ToLower(strings.TrimSpace(p)) {
			case "http/1.0":
				return "HTTP/1.0"
			case "http/1.1":
				return "HTTP/1.1"
			case "h2", "h2c":
				return "HTTP/2.0"
			case "h3":
				return "HTTP/3.0"
			}
		}
	}
	return ""
}

// statusLine returns the response status line, without CRLF.
func statusLine(version string, code int) string {
	return version + " " + strconv.Itoa(code) + " " + http.StatusText(code)
}

// bodyless reports whether a response carries no body by definition.
func bodyless(method string, status int) bool {
	return method == http.MethodHead || status/100 == 1 || status == http.StatusNoContent || status == http.StatusNotModified
}

// decoded reports whether body, served with Content-Encoding ce, was already
// decompressed by the client.
func decoded(ce string, body []byte) bool {
	switch strings.ToLower(strings.TrimSpace(ce)) {
	case "gzip", "x-gzip":
		return len(body) > 0 && !bytes.HasPrefix(body, []byte{0x1f, 0x8b})
	}
	return false
}

// responseHeader returns the response header as recorded (see the package
// doc). bodyLen is the length of the body the record stands for.
func responseHeader(ex checked, bodyLen int) http.Header {
	h := ex.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Transfer-Encoding")
	if ce := h.Values("Content-Encoding"); len(ce) == 1 && decoded(ce[0], ex.Body) {
		h.Del("Content-Encoding")
	}
	if bodyLen > 0 || !bodyless(ex.Method, ex.Status) {
		h.Set("Content-Length", strconv.Itoa(bodyLen))
	}
	return h
}

// responseHead returns the status line and header of the response record.
func responseHead(ex checked, bodyLen int) []byte {
	version, _, _ := protocol(ex.Proto)
	var b bytes.Buffer
	b.WriteString(statusLine(version, ex.Status))
	b.WriteString("\r\n")
	writeHeader(&b, responseHeader(ex, bodyLen), "")
	b.WriteString("\r\n")
	return b.Bytes()
}

// requestHead returns the request line and header of the request record.
func requestHead(ex checked) []byte {
	version, _, _ := protocol(ex.Proto)
	var b bytes.Buffer
	b.WriteString(ex.Method + " " + ex.u.RequestURI() + " " + version + "\r\n")
	host := ex.RequestHeader.Get("Host")
	if host == "" {
		host = ex.u.Host
	}
	b.WriteString("Host: " + headerValue(host) + "\r\n")
	writeHeader(&b, ex.RequestHeader, "Host")
	b.WriteString("\r\n")
	return b.Bytes()
}

// writeHeader writes h in canonical form, sorted, skipping the field named
// skip and any name that is not a token. Line breaks in values become spaces.
func writeHeader(b *bytes.Buffer, h http.Header, skip string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		if httpguts.ValidHeaderFieldName(k) && http.CanonicalHeaderKey(k) != skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := http.CanonicalHeaderKey(k)
		for _, v := range h[k] {
			b.WriteString(name + ": " + headerValue(v) + "\r\n")
		}
	}
}

// headerValue makes v safe as one header line: control characters other
// than tab (CR and LF among them) become spaces, bytes are otherwise kept as
// they are (header values need not be UTF-8), and surrounding whitespace goes.
func headerValue(v string) string {
	b := []byte(v)
	for i, c := range b {
		if c < 0x20 && c != '\t' || c == 0x7f {
			b[i] = ' '
		}
	}
	return strings.Trim(string(b), " \t")
}
