package simulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/charset"
	"github.com/nianbao/nianbao/gazetteer"
)

// Simulator serves a set of simulated portals. Its methods are safe for
// concurrent use.
type Simulator struct {
	cfg    Config
	logger *slog.Logger
	sites  []*site

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
	sites, err := buildSites(cfg, gaz)
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	return &Simulator{cfg: cfg, logger: logger, sites: sites}, nil
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
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
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

// Portals returns the simulated portals in region-code order. URLs are set
// once Start has bound the listeners.
func (s *Simulator) Portals() []Portal {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Portal, 0, len(s.sites))
	for _, st := range s.sites {
		p := Portal{Agency: st.name, Level: string(st.div.Level), RegionCode: st.div.Code, Encoding: st.encoding()}
		if st.base != "" {
			p.BaseURL, p.StartURL = st.base, st.base+startPath
		}
		out = append(out, p)
	}
	return out
}

// Truth returns every published report in region-code then year order,
// with the figures each states. URLs are set once Start has run.
func (s *Simulator) Truth() []Truth {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Truth
	for _, st := range s.sites {
		for _, r := range st.reports {
			t := Truth{
				Agency: st.name, RegionCode: st.div.Code, Level: string(st.div.Level),
				Year: r.spec.Year, Title: r.spec.Title(), PublishedAt: r.published.Format("2006-01-02"),
				IndexNo: r.indexNo, Template: r.spec.Template, Format: FormatHTML, Encoding: st.encoding(),
				Values: maps.Clone(r.stated),
			}
			if st.base != "" {
				t.URL = st.base + r.path
			}
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Truth) int {
		if a.RegionCode != b.RegionCode {
			if a.RegionCode < b.RegionCode {
				return -1
			}
			return 1
		}
		return a.Year - b.Year
	})
	return out
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
	status := http.StatusMisdirectedRequest
	defer func() { s.record(r, status) }()
	if st == nil {
		http.Error(w, "no portal at this address", status)
		return
	}
	status = st.serve(w, r)
}

// serve answers one request to a site and returns the status sent.
func (st *site) serve(w http.ResponseWriter, r *http.Request) int {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return http.StatusMethodNotAllowed
	}
	resp := st.route(r.URL.Path)
	body := resp.body
	h := w.Header()
	switch {
	case resp.plain:
		h.Set("Content-Type", "text/plain; charset=utf-8")
	case st.gbk:
		// Declared only by <meta http-equiv>, as old gov.cn templates do.
		h.Set("Content-Type", "text/html")
		enc, err := simplifiedchinese.GB18030.NewEncoder().Bytes(body)
		if err != nil {
			http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
			return http.StatusInternalServerError
		}
		body = enc
	default:
		h.Set("Content-Type", "text/html; charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.status)
	w.Write(body)
	return resp.status
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
