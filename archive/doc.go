// Package archive writes and reads the WARC 1.1 files that hold every capture
// the crawler makes. The archive is the source of truth: the warehouse can be
// rebuilt at any time by re-parsing it (see Scan).
//
// # Files
//
// A Writer appends to one file at a time in Config.Dir, named
//
//	<prefix>-<run>-<seq>.warc.gz        e.g. nianbao-20261126181700-00001.warc.gz
//
// where run is the UTC time the Writer was created (yyyymmddhhmmss) and seq a
// five-digit counter, so names sort in writing order within a run and across
// runs. While a file is being written it carries an extra ".open" suffix; it is
// renamed to its final name when it is full or the Writer is closed, so a
// crashed run never leaves a half-written file under a final name. Names are
// claimed with O_EXCL and never overwrite an existing file, so writers started
// in the same second (even in different processes) never collide: a taken name
// is skipped.
//
// A file is rotated before a write would take it past Config.MaxFileSize, so
// files stay within the limit unless a single exchange is larger on its own.
// If the operating system fails a write and the file cannot be cut back to
// its last complete record, the file is abandoned under its ".open" name and
// the next write starts a new one.
//
// Records are built, validated and parsed with github.com/nlnwa/gowarc/v3.
// The files themselves are handled here rather than by gowarc's file writer,
// which names files after the host's outbound IP address (it dials out to
// learn it) and does not report each record's compressed length.
//
// # Records
//
// Every file starts with a warcinfo record. Each Write then appends a request
// record and a response record (in that order), each carrying
// WARC-Concurrent-To pointing at the other, WARC-Warcinfo-ID pointing at the
// file's warcinfo, WARC-Target-URI (Exchange.URL in Go's url.URL.String
// form, without fragment), WARC-Date (the fetch time, UTC, at
// nanosecond precision as WARC 1.1 allows), WARC-IP-Address when known and
// WARC-Protocol (http/1.0, http/1.1, h2, h3: the proposed IIPC extension field)
// when the protocol is known. Each record is its own gzip member, so any
// record can be read by seeking to its offset (see ReadRecord and Location).
//
// Digests are SHA-1 in base32, "sha1:" followed by 32 characters, the form
// Heritrix, wget and warcio write and CDX indexes carry. WARC-Block-Digest
// covers the whole record block (HTTP header and body); WARC-Payload-Digest
// covers the body alone (see PayloadDigest). Both are verified when a record is
// read.
//
// # What the response record holds
//
// Exchange.Body is the body after the HTTP client's transfer decoding (and,
// usually, after Go's transparent gzip decompression), not the bytes on the
// wire. The response record is made self-consistent with that body:
//
//   - Transfer-Encoding is dropped: the body is no longer chunked.
//   - Content-Encoding gzip (or x-gzip) is dropped when the body does not
//     start with the gzip magic bytes, i.e. when the client already
//     decompressed it. (Go's transport removes the header itself when it
//     decompresses; other clients, Colly among them, keep it.) Any other
//     Content-Encoding is kept: the body is then still encoded.
//   - Content-Length is set to the length of the stored body, except for
//     responses that carry no body by definition (HEAD, 1xx, 204, 304), whose
//     Content-Length, if any, is kept as served.
//   - The status line is rebuilt as "<version> <code> <reason>", with Go's
//     reason phrase (http.StatusText), or an empty one for codes Go does not
//     know. HTTP/2 and HTTP/3 exchanges are written as HTTP/1.1 messages, the
//     real protocol going into WARC-Protocol, since their binary framing has no
//     text form and some WARC readers reject "HTTP/2" status lines.
//   - Header fields are written in Go's canonical form, sorted; names that are
//     not valid HTTP tokens are dropped, and control characters in values
//     (which no HTTP parser would accept) become spaces.
//
// The request record is rebuilt the same way from Exchange.Method,
// Exchange.URL and Exchange.RequestHeader (with a Host field from the URL when
// the header has none). Headers the HTTP client adds below that level (such as
// Accept-Encoding) appear only if the caller recorded them.
//
// # Revisits
//
// WriteRevisit writes a request record and a revisit record instead of a full
// response, with one of the two standard WARC 1.1 profiles. The revisit block
// holds the new response's status line and header only. For the
// identical-payload-digest profile the writer checks that the new body really
// has the payload digest of the record it refers to, so a revisit can never
// stand in for different content.
//
// # Durability
//
// Each Write hands the encoded records to the operating system in one write
// call before returning, so a process killed at any moment (kill -9) loses at
// most the exchange whose Write had not returned. Config.Sync additionally
// fsyncs every write, for durability across power loss; files are always
// fsynced before they are renamed to their final name. Readers tolerate a
// truncated last record in a ".open" file (the record in flight when a writer
// died); in a file under its final name a truncated record is corruption.
//
// # Reading
//
// ReadRecord reads the record at an offset of a file, and ReadLocation the
// record a Location points at, whether its file is sealed yet or not. Scan
// walks every response and revisit record in a directory, file by file in
// name order. All three verify the gzip checksum, Content-Length and both
// digests of every record they read, and are safe for concurrent use.
// Malformed input yields a *ReadError naming the file and offset (wrapping
// ErrTruncated or ErrCorrupt), never a panic.
package archive
