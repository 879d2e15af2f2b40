package simulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/charset"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/simulator/render"
)

// Simulator serves a set of simulated portals. Its methods are safe for
// concurrent use.
type Simulator struct {
	cfg    Config
	logger *slog.Logger
	sites  []*site
	pdf    *render.PDFWriter // nil unless PDF reports are configured
	cache  *lru              // rendered attachments
	gen    atomic.Int64      // the generation served
	done   chan struct{}     // closed by Close, to end hanging responses

	mu       sync.Mutex
	started  bool
	closed   bool
	srv      *http.Server
	byAddr   map[netip.AddrPort]*site // set by Start, then read-only
	wg       sync.WaitGroup
	serveErr []error
	log      []Request
	dropped  int
}

// Request is one request a portal received.
type Request struct {
	Time time.Time `json:"time"`
	// Host is the portal's listening address, "127.0.1.5:8080".
	Host      string `json:"host"`
	Method    string `json:"method"`
	Path      string `json:"path"` // the request URI as sent
	UserAgent string `json:"user_agent"`
	Status    int    `json:"status"`
}

// New lays out the portals cfg describes, drawing every report, but does
// not listen yet. A nil logger discards logs.
func New(cfg Config, gaz *gazetteer.Gazetteer, logger *slog.Logger) (*Simulator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("simulator config: %w", err)
	}
	if gaz == nil {
		return nil, errors.New("simulator: no gazetteer")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var pdf *render.PDFWriter
	if cfg.Formats[FormatPDF] > 0 {
		font, err := os.ReadFile(cfg.PDFFont)
		if err != nil {
			return nil, fmt.Errorf("simulator: PDF font (Debian's fonts-wqy-zenhei provides the default): %w", err)
		}
		if pdf, err = render.NewPDFWriter(font); err != nil {
			return nil, fmt.Errorf("simulator: %s: %w", cfg.PDFFont, err)
		}
	}
	sites, err := buildSites(cfg, gaz)
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	for _, st := range sites {
		st.stats.reset()
	}
	sim := &Simulator{cfg: cfg, logger: logger, sites: sites, pdf: pdf, cache: newLRU(cfg.CacheBytes), done: make(chan struct{})}
	sim.gen.Store(int64(cfg.Generation))
	return sim, nil
}

// Start binds one listener per portal and serves them until Close. ctx
// bounds the binding only. If any address cannot be bound, Start releases
// the others and returns the error.
func (s *Simulator) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("simulator: already started")
	}
	begin := time.Now()
	var lc net.ListenConfig
	listeners := make([]net.Listener, 0, len(s.sites))
	byAddr := make(map[netip.AddrPort]*site, len(s.sites))
	release := func() {
		for _, l := range listeners {
			l.Close()
		}
	}
	for _, st := range s.sites {
		addr := net.JoinHostPort(st.addr.String(), strconv.Itoa(s.cfg.Port))
		l, err := lc.Listen(ctx, "tcp4", addr)
		if err != nil {
			release()
			return fmt.Errorf("simulator: listen %s (%s): %w", addr, st.name, err)
		}
		listeners = append(listeners, l)
		ap := l.Addr().(*net.TCPAddr).AddrPort()
		byAddr[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = st
	}
	// Sites are immutable from here on; base is set before any request.
	for i, st := range s.sites {
		st.base = "http://" + listeners[i].Addr().String()
	}
	s.byAddr = byAddr
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
	s.started = true
	for _, l := range listeners {
		s.wg.Add(1)
		go func() { // exits when Close shuts the server down
			defer s.wg.Done()
			if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.mu.Lock()
				s.serveErr = append(s.serveErr, fmt.Errorf("serve %s: %w", l.Addr(), err))
				s.mu.Unlock()
			}
		}()
	}
	for _, st := range s.sites {
		s.logger.Debug("portal listening", "agency", st.name, "region_code", st.div.Code, "start_url", st.base+startPath)
	}
	reports := 0
	for _, st := range s.sites {
		reports += len(st.reports)
	}
	s.logger.Info("simulator started", "portals", len(s.sites), "reports", reports,
		"first", s.sites[0].base, "last", s.sites[len(s.sites)-1].base, "took", time.Since(begin))
	return nil
}

// Close stops serving, waiting up to Config.ShutdownTimeout for requests in
// flight. It returns any error a listener failed with. Close is idempotent.
func (s *Simulator) Close() error {
	s.mu.Lock()
	if !s.started || s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv := s.srv
	close(s.done)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Connections still busy (or opened and never used, which
		// net/http waits 5 s for) are cut; that is no error of ours.
		s.logger.Warn("simulator shutdown: closing connections still open", "after", s.cfg.ShutdownTimeout)
		err = srv.Close()
	} else if err != nil {
		err = errors.Join(fmt.Errorf("simulator shutdown: %w", err), srv.Close())
	}
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(append([]error{err}, s.serveErr...)...)
}

// Run starts the simulator and serves until ctx is done, then closes it.
func (s *Simulator) Run(ctx context.Context) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return s.Close()
}

// Requests returns the requests received so far, oldest first (at most
// Config.RequestLog of them), and how many more were not kept.
func (s *Simulator) Requests() ([]Request, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log), s.dropped
}

// encoding names the charset a site's bytes are in.
func (st *site) encoding() string {
	if st.gbk {
		return charset.GB18030
	}
	return charset.UTF8
}

// ServeHTTP serves the portal whose address the request came in on.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var st *site
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok {
		ap := la.AddrPort()
		st = s.byAddr[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())]
	}
	if st == nil {
		status := http.StatusMisdirectedRequest
		http.Error(w, "no portal at this address", status)
		s.record(r, status)
		return
	}
	now := time.Now()
	st.mu.Lock()
	st.stats.begin(now, s.cfg.HostLog)
	st.mu.Unlock()
	status, n := s.serve(st, w, r, now)
	st.mu.Lock()
	st.stats.end(status, n)
	st.mu.Unlock()
	s.record(r, status)
}

// attemptFor returns what st remembers of uri in gen; st.mu must be held.
func (st *site) attemptFor(gen int, uri string) *attempt {
	if st.attempts == nil || st.attGen != gen {
		st.attempts, st.attGen = map[string]*attempt{}, gen
	}
	a := st.attempts[uri]
	if a == nil {
		a = &attempt{}
		st.attempts[uri] = a
	}
	return a
}

// sleep waits for d, the request's end or the simulator's Close, and
// reports whether d passed.
func (s *Simulator) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

// serve answers one request to a site, injecting the site's faults, and
// returns the status sent (0 when the connection was dropped) and the
// body bytes written.
func (s *Simulator) serve(st *site, w http.ResponseWriter, r *http.Request, now time.Time) (int, int64) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return http.StatusMethodNotAllowed, 0
	}
	gen := int(s.gen.Load())
	uri := r.URL.RequestURI()
	query := r.URL.Query()
	h := w.Header()

	// The second leg of a redirect loop leads back to the first.
	orig, leg2 := strings.CutSuffix(uri, "?loop=1")
	if !leg2 {
		orig, leg2 = strings.CutSuffix(uri, "&loop=1")
	}
	if leg2 {
		if st.faultFor(s.cfg.Seed, gen, orig).kind == FaultRedirectLoop {
			st.mu.Lock()
			st.stats.fault(FaultRedirectLoop)
			st.mu.Unlock()
			h.Set("Location", orig)
			w.WriteHeader(http.StatusFound)
			return http.StatusFound, 0
		}
	}

	f := st.faultFor(s.cfg.Seed, gen, uri)
	spoil := false
	var a *attempt
	if f.kind != "" {
		st.mu.Lock()
		a = st.attemptFor(gen, uri)
		if now.Before(a.notBefore) {
			st.stats.early++
		}
		spoil = f.permanent || a.spoiled < st.faults.Times
		if spoil && f.kind != FaultTruncate && f.kind != FaultDrip {
			a.spoiled++
			st.stats.fault(f.kind)
		}
		st.mu.Unlock()
	}
	if spoil {
		setRetry := func() {
			until := retryAfter(h, now, st.faults.RetryAfter, f.salt < st.faults.RetryAfterDateShare)
			st.mu.Lock()
			a.notBefore = until
			st.mu.Unlock()
		}
		switch f.kind {
		case FaultServerError:
			code := []int{500, 502, 503, 504}[int(f.salt*4)%4]
			if code == http.StatusServiceUnavailable && f.salt < 0.6 {
				setRetry()
			}
			http.Error(w, http.StatusText(code), code)
			return code, 0
		case FaultTooMany:
			setRetry()
			http.Error(w, "请求过于频繁，请稍后再试", http.StatusTooManyRequests)
			return http.StatusTooManyRequests, 0
		case FaultTimeout:
			s.sleep(r, st.faults.Hang)
			abort(w, false)
			return 0, 0
		case FaultReset:
			abort(w, true)
			return 0, 0
		case FaultRedirectLoop:
			sep := "?"
			if strings.Contains(uri, "?") {
				sep = "&"
			}
			h.Set("Location", uri+sep+"loop=1")
			w.WriteHeader(http.StatusFound)
			return http.StatusFound, 0
		}
	}

	resp := s.route(st, r.URL.Path, query, gen)
	body := resp.body
	switch {
	case resp.binary != "":
		h.Set("Content-Type", resp.binary)
		h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(resp.fileName))
	case resp.plain:
		h.Set("Content-Type", "text/plain; charset=utf-8")
	default:
		if len(body) < s.cfg.PadTo {
			body = pad(body, s.cfg.PadTo, st.name)
		}
		if st.gbk {
			if st.gbkHdr {
				h.Set("Content-Type", "text/html; charset=GBK")
			} else {
				// Declared only by <meta http-equiv>, as old gov.cn templates do.
				h.Set("Content-Type", "text/html")
			}
			enc, err := simplifiedchinese.GB18030.NewEncoder().Bytes(body)
			if err != nil {
				http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
				return http.StatusInternalServerError, 0
			}
			body = enc
		} else {
			h.Set("Content-Type", "text/html; charset=utf-8")
		}
	}
	if resp.status == http.StatusOK && !resp.modified.IsZero() {
		etag := s.etag(st, uri, resp.version)
		h.Set("ETag", etag)
		h.Set("Last-Modified", resp.modified.UTC().Format(http.TimeFormat))
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if inm != "" || ims != "" {
			st.mu.Lock()
			st.stats.conditional++
			st.mu.Unlock()
			if notModified(inm, ims, etag, resp.modified) {
				st.mu.Lock()
				st.stats.notModified++
				st.mu.Unlock()
				h.Del("Content-Type")
				h.Del("Content-Disposition")
				w.WriteHeader(http.StatusNotModified)
				return http.StatusNotModified, 0
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if spoil && r.Method == http.MethodGet && (f.kind == FaultTruncate || f.kind == FaultDrip) && len(body) > 1 {
		st.mu.Lock()
		a.spoiled++
		st.stats.fault(f.kind)
		st.mu.Unlock()
		if f.kind == FaultTruncate {
			return s.truncate(w, resp.status, body)
		}
		return s.drip(w, r, resp.status, body, st.faults.Drip)
	}
	w.WriteHeader(resp.status)
	if r.Method == http.MethodHead {
		return resp.status, 0
	}
	n, _ := w.Write(body)
	return resp.status, int64(n)
}

// notModified applies a conditional GET's validators (RFC 9110 §13.2.2:
// If-None-Match wins over If-Modified-Since).
func notModified(inm, ims, etag string, modified time.Time) bool {
	if inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(ims)
	return err == nil && !modified.Truncate(time.Second).After(since)
}

// truncate sends the headers with the full Content-Length and half the
// body, then closes the connection.
func (s *Simulator) truncate(w http.ResponseWriter, status int, body []byte) (int, int64) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusInternalServerError)
		return http.StatusInternalServerError, 0
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return 0, 0
	}
	defer conn.Close()
	fmt.Fprintf(rw, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	w.Header().Set("Connection", "close")
	w.Header().Write(rw)
	rw.WriteString("\r\n")
	n, _ := rw.Write(body[:len(body)/2])
	rw.Flush()
	return status, int64(n)
}

// drip sends the response in ten pieces spread over d.
func (s *Simulator) drip(w http.ResponseWriter, r *http.Request, status int, body []byte, d time.Duration) (int, int64) {
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	var sent int64
	const pieces = 10
	for i := range pieces {
		part := body[len(body)*i/pieces : len(body)*(i+1)/pieces]
		n, err := w.Write(part)
		sent += int64(n)
		if err != nil || rc.Flush() != nil {
			return status, sent
		}
		if i < pieces-1 && !s.sleep(r, d/pieces) {
			return status, sent
		}
	}
	return status, sent
}

// pad grows an HTML page to at least n bytes with hidden boilerplate
// before </body>.
func pad(body []byte, n int, siteName string) []byte {
	i := bytes.LastIndex(body, []byte("</body>"))
	if i < 0 {
		i = len(body)
	}
	filler := "<p>" + html.EscapeString(siteName) + "版权所有　未经授权禁止复制或建立镜像　建议使用1920×1080分辨率浏览本站　网站标识码及备案信息以主办单位公布为准</p>\n"
	var b bytes.Buffer
	b.Grow(n + len(filler))
	b.Write(body[:i])
	b.WriteString("<div class=\"footer-info\" style=\"display:none\">\n")
	for b.Len()+len(body)-i+len("</div>\n") < n {
		b.WriteString(filler)
	}
	b.WriteString("</div>\n")
	b.Write(body[i:])
	return b.Bytes()
}

// record appends a request to the log.
func (s *Simulator) record(r *http.Request, status int) {
	host := ""
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		host = la.String()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= s.cfg.RequestLog {
		s.dropped++
		return
	}
	s.log = append(s.log, Request{Time: time.Now(), Host: host, Method: r.Method, Path: r.URL.RequestURI(), UserAgent: r.UserAgent(), Status: status})
}
