package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/charset"
)

// errBodyTooLarge marks a payload over Config.MaxBodySize.
var errBodyTooLarge = errors.New("body exceeds max_body_size")

// errTruncated marks a body shorter than its Content-Length.
var errTruncated = errors.New("body shorter than Content-Length")

// statusError is a response whose status is worth retrying.
type statusError struct {
	status     int
	retryAfter time.Duration
}

func (e *statusError) Error() string { return fmt.Sprintf("http status %d", e.status) }

// errBreakerOpen marks a fetch given up because the host's circuit
// breaker opened.
var errBreakerOpen = errors.New("host circuit breaker open")

// transport is the crawler's http.RoundTripper: politeness, retries,
// breaker, capture and decoding (see the package doc). It is safe for
// concurrent use.
type transport struct {
	base     http.RoundTripper
	cfg      Config
	sink     Sink
	sources  *sourceIndex
	stats    *Stats
	logger   *slog.Logger
	global   chan struct{}
	hosts    *hostTable
	frontier *frontier // may be nil
	runID    string
}

func newTransport(base http.RoundTripper, cfg Config, sink Sink, sources *sourceIndex, stats *Stats, logger *slog.Logger) *transport {
	return &transport{
		base:    base,
		cfg:     cfg,
		sink:    sink,
		sources: sources,
		stats:   stats,
		logger:  logger,
		global:  make(chan struct{}, cfg.Concurrency),
		hosts:   newHostTable(cfg),
	}
}

// RoundTrip fetches req, retrying as configured, and hands every exchange
// to the sink.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	h := t.hosts.get(req.URL.Host)
	var fl *inflight // nil for requests not made through Colly (robots.txt)
	if t.frontier != nil {
		fl = t.frontier.lookup(req.URL)
	}
	var retryAfter time.Duration
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if err := sleep(ctx, t.backoff(attempt-1, retryAfter)); err != nil {
				return nil, err
			}
			t.stats.retry()
		}
		ex, err := t.fetch(ctx, h, req)
		if err == nil {
			c := t.capture(req, ex, attempt, fl)
			serr := t.retryable(ex.resp)
			outcome := attemptOK
			if serr != nil {
				outcome = attemptFailed
				if serr.retryAfter > 0 {
					h.holdOff(time.Now().Add(min(serr.retryAfter, t.cfg.BackoffMax)))
				}
			}
			open := h.record(outcome, t.cfg, time.Now())
			t.emit(ctx, c)
			if serr != nil && attempt <= t.cfg.Retries && !open {
				retryAfter = serr.retryAfter
				t.logger.Debug("retrying", "url", req.URL.String(), "status", ex.resp.StatusCode, "attempt", attempt)
				continue
			}
			if serr != nil {
				t.stats.fail(req.URL.Host, serr)
			}
			return t.forColly(ex.resp, ex.body, c.Charset, fl), nil
		}
		retryAfter = 0
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch %s: %w", req.URL, ctx.Err())
		}
		open := false
		if !errors.Is(err, errBodyTooLarge) {
			open = h.record(attemptFailed, t.cfg, time.Now())
		}
		if errors.Is(err, errBodyTooLarge) || attempt > t.cfg.Retries || open {
			t.stats.fail(req.URL.Host, err)
			if open {
				err = fmt.Errorf("%w: %w", errBreakerOpen, err)
			}
			return nil, fmt.Errorf("fetch %s (attempt %d): %w", req.URL, attempt, err)
		}
		t.logger.Debug("retrying", "url", req.URL.String(), "err", err, "attempt", attempt)
	}
}

// exchange is one attempt's outcome.
type exchange struct {
	resp      *http.Response
	body      []byte
	fetchedAt time.Time
	remoteIP  string
}

// fetch performs one attempt under the host's politeness gate and the
// global concurrency limit, and reads the whole body.
func (t *transport) fetch(ctx context.Context, h *host, req *http.Request) (*exchange, error) {
	select {
	case h.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.slot }()
	if err := sleep(ctx, h.wait(time.Now())); err != nil {
		return nil, err
	}
	select {
	case t.global <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-t.global }()
	// The next request to the host starts no sooner than Delay after
	// this one starts, however long this one takes.
	h.started(time.Now())

	actx, cancel := context.WithTimeout(ctx, t.cfg.RequestTimeout)
	defer cancel()
	var remote string
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GotConn: func(ci httptrace.GotConnInfo) {
			if a, ok := ci.Conn.RemoteAddr().(*net.TCPAddr); ok {
				remote = a.IP.String()
			}
		},
		// Spacing counts from the first byte of the answer: the server
		// had started handling the request by then (and had not when it
		// was written), so however its clock schedules handlers, it never
		// sees two requests closer than the delay. Only the time to the
		// first byte, not the transfer, adds to the spacing.
		WroteRequest:         func(httptrace.WroteRequestInfo) { h.started(time.Now()) },
		GotFirstResponseByte: func() { h.started(time.Now()) },
	})
	areq := req.Clone(actx)
	fetchedAt := time.Now().UTC()
	t.stats.started()
	resp, err := t.base.RoundTrip(areq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body, resp.ContentLength, t.cfg.MaxBodySize)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: %w", errTruncated, err)
		}
		return nil, err
	}
	if int64(len(body)) > t.cfg.MaxBodySize {
		return nil, fmt.Errorf("%w (%d bytes)", errBodyTooLarge, t.cfg.MaxBodySize)
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength && !resp.Uncompressed && !bodyless(req.Method, resp.StatusCode) {
		return nil, fmt.Errorf("%w: got %d of %d bytes", errTruncated, len(body), resp.ContentLength)
	}
	resp.Request = areq
	t.stats.fetched(req.URL.Host, resp.StatusCode, len(body))
	return &exchange{resp: resp, body: body, fetchedAt: fetchedAt, remoteIP: remote}, nil
}

// bodyless reports whether a response carries no body whatever its
// Content-Length says.
func bodyless(method string, status int) bool {
	return method == http.MethodHead || status == http.StatusNotModified || status == http.StatusNoContent || (status >= 100 && status < 200)
}

func (t *transport) capture(req *http.Request, ex *exchange, attempt int, fl *inflight) *Capture {
	resp, body := ex.resp, ex.body
	reqHeader := req.Header.Clone()
	if reqHeader == nil {
		reqHeader = http.Header{}
	}
	reqHeader.Set("Host", req.URL.Host)
	c := &Capture{
		Source:        t.sources.lookup(req.URL),
		URL:           req.URL.String(),
		Kind:          kindOf(req.URL.Path, resp.Header.Get("Content-Type")),
		Attempt:       attempt,
		Method:        req.Method,
		RequestHeader: reqHeader,
		FetchedAt:     ex.fetchedAt,
		Status:        resp.StatusCode,
		Proto:         resp.Proto,
		Header:        resp.Header.Clone(),
		Body:          body,
		RemoteIP:      ex.remoteIP,
		RunID:         t.runID,
	}
	if fl != nil {
		c.Depth = fl.e.depth
	}
	if isText(resp.Header.Get("Content-Type"), body) {
		c.Charset = charset.Detect(body, resp.Header.Get("Content-Type"))
	}
	return c
}

func (t *transport) emit(ctx context.Context, c *Capture) {
	if err := t.sink.Capture(ctx, c); err != nil {
		t.stats.sinkError()
		t.logger.Warn("capture not stored", "url", c.URL, "err", err)
	}
}

// retryable returns the error to retry a response with, or nil.
func (t *transport) retryable(resp *http.Response) *statusError {
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		return &statusError{status: s, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	case s >= 500:
		return &statusError{status: s}
	}
	return nil
}

// backoff returns the wait before retry n (from 1): exponential with full
// jitter, or the server's Retry-After, capped at BackoffMax.
func (t *transport) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, t.cfg.BackoffMax)
	}
	d := t.cfg.BackoffBase << min(n-1, 20)
	if d <= 0 || d > t.cfg.BackoffMax {
		d = t.cfg.BackoffMax
	}
	return d/2 + rand.N(d/2+1)
}

// forColly returns the response Colly sees: text decoded to UTF-8 (UTF-8
// itself not checked) and labelled so, other payloads as they came. resp's header is the
// transport's own (the capture holds a copy), so it is changed in place.
//
// With fl, the body goes to fl.page and Colly gets an empty one: Colly
// would read it into a fresh slice, in growing chunks, only for link
// extraction to read that copy.
func (t *transport) forColly(resp *http.Response, body []byte, cs string, fl *inflight) *http.Response {
	out := *resp
	if cs != "" {
		decoded, err := body, error(nil)
		if cs != charset.UTF8 {
			// UTF-8 is passed on unchecked: link extraction, the one
			// reader, replaces invalid sequences in what it takes (see
			// scanLinks), which saves validating every page whole.
			decoded, err = charset.DecodeAs(body, cs)
		}
		if err == nil {
			body = decoded
			mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if mt == "" {
				mt = "text/html"
			}
			out.Header.Set("Content-Type", mt+"; charset=utf-8")
		}
	}
	out.Header.Del("Content-Encoding")
	if fl != nil {
		fl.page, fl.handed = body, true
		body = nil
	}
	out.Header.Set("Content-Length", strconv.Itoa(len(body)))
	out.ContentLength = int64(len(body))
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.Uncompressed = true
	return &out
}

// readBody reads a body of up to limit+1 bytes (one more than allowed, to
// tell a body over the limit), in one allocation when its length is
// declared.
func readBody(r io.Reader, declared, limit int64) ([]byte, error) {
	if declared < 0 || declared > limit {
		return io.ReadAll(io.LimitReader(r, limit+1))
	}
	buf := make([]byte, 0, declared+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow: more than declared
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, nil
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// parseRetryAfter reads a Retry-After value: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attachmentExts are the document types reports are published as.
func attachmentExt(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx":
		return true
	}
	return false
}

func kindOf(p, contentType string) string {
	switch {
	case p == "/robots.txt":
		return KindRobots
	case attachmentExt(p):
		return KindAttachment
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/pdf", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return KindAttachment
	}
	return KindPage
}

// isText reports whether a payload is text to be decoded: declared text, or
// undeclared and sniffed as text.
func isText(contentType string, body []byte) bool {
	if contentType == "" {
		contentType = http.DetectContentType(body)
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || mt == "application/xhtml+xml" || mt == "application/xml"
}
