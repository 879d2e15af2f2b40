package archive

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// Content types of HTTP record blocks.
const (
	contentTypeRequest  = "application/http;msgtype=request"
	contentTypeResponse = "application/http;msgtype=response"
	// fieldProtocol is the proposed WARC-Protocol extension field.
	fieldProtocol = "WARC-Protocol"
)

// ErrDigestMismatch is returned by WriteRevisit when an identical-payload-digest
// revisit is asked for a body whose digest differs from the referred record's.
var ErrDigestMismatch = errors.New("payload digest differs from the referred record's")

// recordSpec is everything needed to build one record except its warcinfo
// ID; the block is head followed by body.
type recordSpec struct {
	typ    gowarc.RecordType
	fields [][2]string
	head   []byte
	body   []byte
	// trusted says every field was built here from checked input, so the
	// record needs no validation by gowarc (see Writer.member).
	trusted bool
}

// pair is an exchange ready to encode: a request record and the record that
// Location points at (a response or a revisit).
type pair struct {
	first, second recordSpec
	loc           Location // of second, without File, Offset, Length and PayloadDigest
}

// encoded is a pair as gzip members.
type encoded struct {
	data   []byte
	second int64         // where the second member starts in data
	digest string        // the second record's WARC-Payload-Digest
	buf    *bytes.Buffer // holds data; back to the pool once written
}

// commonFields returns the WARC fields request and response share.
func commonFields(c checked, id, other string) [][2]string {
	f := [][2]string{
		{gowarc.WarcRecordID, "<" + id + ">"},
		{gowarc.WarcDate, c.FetchedAt.UTC().Format(time.RFC3339Nano)},
		{gowarc.WarcTargetURI, c.URL},
	}
	if c.IP != "" {
		f = append(f, [2]string{gowarc.WarcIPAddress, c.IP})
	}
	if _, p, _ := protocol(c.Proto); p != "" {
		f = append(f, [2]string{fieldProtocol, p})
	}
	return append(f, [2]string{gowarc.WarcConcurrentTo, "<" + other + ">"})
}

// newResponsePair returns the request and response records for c.
func newResponsePair(c checked) (*pair, error) {
	reqID, respID := newRecordID(), newRecordID()
	req := recordSpec{
		typ:     gowarc.Request,
		fields:  append(commonFields(c, reqID, respID), [2]string{gowarc.ContentType, contentTypeRequest}),
		head:    requestHead(c),
		trusted: true,
	}
	resp := recordSpec{
		typ: gowarc.Response,
		// gowarc adds WARC-Payload-Digest, as it adds WARC-Block-Digest.
		fields:  append(commonFields(c, respID, reqID), [2]string{gowarc.ContentType, contentTypeResponse}),
		head:    responseHead(c, len(c.Body)),
		body:    c.Body,
		trusted: true,
	}
	loc := Location{RecordID: respID, TargetURI: c.URL, Date: c.FetchedAt.UTC()}
	return &pair{first: req, second: resp, loc: loc}, nil
}

// newRevisitPair returns the request and revisit records for c.
func newRevisitPair(c checked, ref Location, profile Profile) (*pair, error) {
	switch profile {
	case ProfileIdenticalPayloadDigest:
		if ref.PayloadDigest == "" {
			return nil, fmt.Errorf("%w: referred record has no payload digest", ErrInvalidExchange)
		}
		if got := PayloadDigest(c.Body); got != ref.PayloadDigest {
			return nil, fmt.Errorf("%w: body %s, %s has %s", ErrDigestMismatch, got, ref.RecordID, ref.PayloadDigest)
		}
	case ProfileServerNotModified:
	default:
		return nil, fmt.Errorf("%w: unknown revisit profile %q", ErrInvalidExchange, profile)
	}
	if ref.RecordID == "" {
		return nil, fmt.Errorf("%w: referred record has no record ID", ErrInvalidExchange)
	}
	reqID, revID := newRecordID(), newRecordID()
	req := recordSpec{
		typ:     gowarc.Request,
		fields:  append(commonFields(c, reqID, revID), [2]string{gowarc.ContentType, contentTypeRequest}),
		head:    requestHead(c),
		trusted: true,
	}
	fields := append(commonFields(c, revID, reqID),
		[2]string{gowarc.ContentType, contentTypeResponse},
		[2]string{gowarc.WarcProfile, string(profile)},
		[2]string{gowarc.WarcRefersTo, "<" + ref.RecordID + ">"})
	if ref.TargetURI != "" {
		fields = append(fields, [2]string{gowarc.WarcRefersToTargetURI, ref.TargetURI})
	}
	if !ref.Date.IsZero() {
		fields = append(fields, [2]string{gowarc.WarcRefersToDate, ref.Date.UTC().Format(time.RFC3339Nano)})
	}
	if ref.PayloadDigest != "" {
		fields = append(fields, [2]string{gowarc.WarcPayloadDigest, ref.PayloadDigest})
	}
	rev := recordSpec{typ: gowarc.Revisit, fields: fields, head: responseHead(c, len(c.Body))}
	loc := Location{RecordID: revID, TargetURI: c.URL, Date: c.FetchedAt.UTC()}
	return &pair{first: req, second: rev, loc: loc}, nil
}

// encode builds x's records, pointing at the warcinfo record infoID, and
// compresses each into its own gzip member, in a buffer from the writer's
// pool (back to w.outs once written).
func (w *Writer) encode(x *pair, infoID string) (encoded, error) {
	buf := w.outs.Get().(*bytes.Buffer)
	buf.Reset()
	if _, err := w.member(buf, x.first, infoID); err != nil {
		release(&w.outs, buf)
		return encoded{}, err
	}
	second := int64(buf.Len())
	digest, err := w.member(buf, x.second, infoID)
	if err != nil {
		release(&w.outs, buf)
		return encoded{}, err
	}
	return encoded{data: buf.Bytes(), second: second, digest: digest, buf: buf}, nil
}

// maxPooled is the largest buffer kept for reuse; larger ones (a big
// attachment's) are left to the garbage collector.
const maxPooled = 1 << 20

// release returns buf, taken from pool, to it.
func release(pool *sync.Pool, buf *bytes.Buffer) {
	if buf != nil && buf.Cap() <= maxPooled {
		pool.Put(buf)
	}
}

// member builds the record spec (with WARC-Warcinfo-ID infoID, unless empty)
// through gowarc and appends it to buf as one gzip member. It returns the
// record's WARC-Payload-Digest.
//
// A trusted spec (every field built here from a checked Exchange) is
// written directly by trustedMember. Other specs (warcinfo, revisits, whose
// fields come partly from the caller) are built by gowarc with strict
// validation, gowarc adding the length and digests itself. Both give the
// same bytes for the same spec (see TestFastRecordsMatchStrict).
func (w *Writer) member(buf *bytes.Buffer, spec recordSpec, infoID string) (digest string, err error) {
	if spec.trusted {
		return w.trustedMember(buf, spec, infoID)
	}
	b := newRecordBuilder(spec.typ, w.strict...)
	for _, f := range spec.fields {
		b.AddWarcHeader(f[0], f[1])
	}
	if infoID != "" {
		b.AddWarcHeader(gowarc.WarcWarcinfoID, "<"+infoID+">")
	}
	if _, err := b.Write(spec.head); err != nil {
		b.Close()
		return "", fmt.Errorf("build %s record: %w", spec.typ, err)
	}
	if _, err := b.Write(spec.body); err != nil {
		b.Close()
		return "", fmt.Errorf("build %s record: %w", spec.typ, err)
	}
	rec, validation, err := b.Build()
	if err != nil {
		return "", fmt.Errorf("build %s record: %w", spec.typ, err)
	}
	defer func() {
		if cerr := rec.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("build %s record: %w", spec.typ, cerr)
		}
	}()
	if len(validation) > 0 {
		return "", fmt.Errorf("build %s record: %w", spec.typ, errors.Join(validation...))
	}
	// gowarc writes field names it does not know in MIME case
	// ("Warc-Protocol"); names are case-insensitive, but write the usual form.
	for _, f := range *rec.WarcHeader() {
		if len(f.Name) == len(fieldProtocol) && strings.EqualFold(f.Name, fieldProtocol) {
			f.Name = fieldProtocol
		}
	}
	// The record is marshalled into a pooled buffer (bytes.Buffer reads the
	// block straight in, where io.Copy to the compressor would allocate a
	// 32 KiB buffer every time) and compressed in one write.
	raw := w.raws.Get().(*bytes.Buffer)
	defer release(&w.raws, raw)
	raw.Reset()
	if _, _, err := gowarc.NewMarshaler().Marshal(raw, rec, 0); err != nil {
		return "", fmt.Errorf("encode %s record: %w", spec.typ, err)
	}
	if err := w.compress(buf, raw.Bytes()); err != nil {
		return "", fmt.Errorf("compress %s record: %w", spec.typ, err)
	}
	return rec.WarcHeader().Get(gowarc.WarcPayloadDigest), nil
}

// trustedMember is member for a trusted spec. Its fields were built here
// from a checked Exchange, so the record is written directly, in the layout
// gowarc's strict build gives the same spec (TestFastRecordsMatchStrict
// holds the two to the same bytes): WARC-Type, the spec's fields,
// WARC-Warcinfo-ID, Content-Length, WARC-Block-Digest (head and body) and
// WARC-Payload-Digest (the body). Going through gowarc's builder would
// buffer and copy every block once more, which cost more than compressing it.
func (w *Writer) trustedMember(buf *bytes.Buffer, spec recordSpec, infoID string) (string, error) {
	block := sha1.New()
	block.Write(spec.head)
	block.Write(spec.body)
	var sum [sha1.Size]byte
	digest := PayloadDigest(spec.body)

	raw := w.raws.Get().(*bytes.Buffer)
	defer release(&w.raws, raw)
	raw.Reset()
	raw.Grow(512 + len(spec.head) + len(spec.body))
	field := func(name, value string) {
		raw.WriteString(name)
		raw.WriteString(": ")
		raw.WriteString(value)
		raw.WriteString("\r\n")
	}
	raw.WriteString("WARC/1.1\r\n")
	field(gowarc.WarcType, spec.typ.String())
	for _, f := range spec.fields {
		field(f[0], f[1])
	}
	if infoID != "" {
		field(gowarc.WarcWarcinfoID, "<"+infoID+">")
	}
	field(gowarc.ContentLength, strconv.Itoa(len(spec.head)+len(spec.body)))
	field(gowarc.WarcBlockDigest, "sha1:"+base32.StdEncoding.EncodeToString(block.Sum(sum[:0])))
	field(gowarc.WarcPayloadDigest, digest)
	raw.WriteString("\r\n")
	raw.Write(spec.head)
	raw.Write(spec.body)
	raw.WriteString("\r\n\r\n")
	if err := w.compress(buf, raw.Bytes()); err != nil {
		return "", fmt.Errorf("compress %s record: %w", spec.typ, err)
	}
	return digest, nil
}

// compress appends record to buf as one gzip member.
func (w *Writer) compress(buf *bytes.Buffer, record []byte) error {
	zw := w.gzips.Get().(*gzip.Writer)
	defer w.gzips.Put(zw)
	zw.Reset(buf)
	if _, err := zw.Write(record); err != nil {
		return err
	}
	return zw.Close()
}
