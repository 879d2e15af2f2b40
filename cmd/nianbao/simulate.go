package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/simulator"
)

// simulateUsage explains the command and its output files.
const simulateUsage = `Usage: nianbao simulate [flags]

Serve simulated township and county government portals, one per loopback
address (127.0.0.0/8), until interrupted. Reports have known figures.

--profile picks a ready-made configuration (flags given override it):
  default  59 TRS portals of three Gansu counties, HTML reports, no faults
  mixed    the same with Hanweb portals (some via xxgkAnnualReport.jsp),
           home-page starts, 下一页-only pagers, PDF and DOCX attachments,
           junk .doc/.wps/.xls links, robots.txt variants, GBK in the header,
           and edited and new reports from one generation to the next
  faults   mixed, with the default fault profile on 30% of portals
  bench    1,000 uniform portals for benchmarks: 105 pages each (5 list
           pages, 100 narrative reports), every HTML page padded to 20 KB

--faults sets the fault profile as key=value pairs: a rate (share of a
portal's URLs) per fault kind — 5xx, timeout, reset, 429, truncate, drip,
loop — and hosts (share of portals faulty), permanent (share of faulted
URLs that never recover), times (requests a transient fault spoils),
hang, drip-time, retry-after (durations) and retry-date (share of
Retry-After headers given as an HTTP-date). --host-faults gives portals
their own profile: "620421113:5xx=1,permanent=1;620402001:timeout=0.5".
robots.txt is never faulted.

SIGHUP, or POST /advance on --admin, moves every portal to the next
generation (some reports edited, some new; unchanged pages keep their
ETag and Last-Modified) and rewrites --truth-out. --admin also serves
GET /stats (per-portal requests, start times, conditional requests, 304s,
faults, bytes), POST /stats/reset, GET /portals, GET /truth and
GET /debug/cpuprofile?seconds=N (a CPU profile of the simulator).

--sources-out writes the crawler sources registry (YAML) for the portals;
--truth-out writes the ground truth (JSON: {"config", "generation",
"portals", "reports"}, each report with its URL, document URL and format,
year, template, whether it is reachable under robots.txt and the faults,
the generations it appeared and last changed in, and the figures it
states).

Flags:
`

func runSimulate(ctx context.Context, a *app, args []string) error {
	def := simulator.DefaultConfig()
	fs := pflag.NewFlagSet("simulate", pflag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprint(a.stderr, simulateUsage)
		fs.PrintDefaults()
	}
	var f simulator.Config
	profile := fs.String("profile", "default", "ready-made configuration: "+strings.Join(simulator.Profiles(), ", "))
	fs.Uint64Var(&f.Seed, "seed", def.Seed, "seed of every random choice; the same seed serves the same sites")
	fs.StringSliceVar(&f.Counties, "counties", def.Counties, "NBS codes of the counties whose townships get portals")
	fs.StringSliceVar(&f.Provinces, "provinces", nil, "NBS codes of provinces whose every county gets portals")
	fs.IntVar(&f.Hosts, "hosts", 0, "keep only the first N portals in region-code order (alone, it draws from every province)")
	fs.BoolVar(&f.CountyGovernments, "county-governments", def.CountyGovernments, "also simulate each county government's portal")
	fs.IntVar(&f.FirstYear, "first-year", def.FirstYear, "first year reported on")
	fs.IntVar(&f.LastYear, "last-year", def.LastYear, "last year reported on")
	fs.StringVar(&f.FirstAddr, "addr", def.FirstAddr, "address of the first portal; the others follow (must be in 127.0.0.0/8)")
	fs.IntVar(&f.Port, "port", 8080, "port every portal listens on (0: a free port each)")
	fs.Float64Var(&f.GBKShare, "gbk-share", def.GBKShare, "share of portals serving GBK declared only in <meta>")
	fs.IntVar(&f.PageSize, "page-size", def.PageSize, "entries per report-column list page")
	fs.Float64Var(&f.MissingShare, "missing-share", def.MissingShare, "share of agency-years with no report published")
	fs.IntVar(&f.Departments, "departments", 0, "department reports each portal also lists per year")
	fs.IntVar(&f.PadTo, "pad-to", 0, "pad HTML pages to at least this many bytes")
	fs.IntVar(&f.Generation, "generation", 0, "generation to serve at start")
	templates := fs.StringToString("templates", weightsFlag(def.Templates), "template weights, e.g. narrative=0.3,table2021=0.7")
	faults := fs.String("faults", "", "fault profile, e.g. 5xx=0.03,timeout=0.005,reset=0.01,429=0.02,truncate=0.02,drip=0.01,loop=0.002,permanent=0.1,hosts=0.3")
	hostFaults := fs.String("host-faults", "", "per-portal fault profiles: CODE:SPEC;CODE:SPEC")
	admin := fs.String("admin", "", "serve the admin API on this loopback address, e.g. 127.0.0.1:9090")
	sourcesOut := fs.String("sources-out", "", "write the crawler sources registry (YAML) to this file")
	truthOut := fs.String("truth-out", "", "write the ground truth (JSON) to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: simulate: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: simulate takes no arguments, got %q", errUsage, fs.Args())
	}
	cfg, err := simulator.Profile(*profile)
	if err != nil {
		return fmt.Errorf("%w: simulate: %w", errUsage, err)
	}
	cfg.Port = f.Port // the command's default port, whatever the profile
	if err := applySimulateFlags(fs, &cfg, f, *templates, *faults, *hostFaults); err != nil {
		return fmt.Errorf("%w: simulate: %w", errUsage, err)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: simulate: %w", errUsage, err)
	}
	if *admin != "" {
		if err := loopbackAddr(*admin); err != nil {
			return fmt.Errorf("%w: simulate: --admin: %w", errUsage, err)
		}
	}

	// The simulator stands in for many servers on the crawler's machine;
	// collect less often, as the crawl commands do. Its heap grows with the
	// portals served, so no memory limit.
	defer config.Runtime{GCPercent: config.DefaultRuntime().GCPercent}.Apply(a.getenv)()

	gaz, err := gazetteer.Load()
	if err != nil {
		return err
	}
	sim, err := simulator.New(cfg, gaz, a.logger)
	if err != nil {
		return err
	}
	if err := sim.Start(ctx); err != nil {
		return err
	}
	portals := sim.Portals()
	if len(portals) <= 100 {
		for _, p := range portals {
			a.logger.Info("portal", "agency", p.Agency, "region_code", p.RegionCode, "encoding", p.Encoding, "style", p.Style, "start_url", p.StartURL)
		}
	}
	if *sourcesOut != "" {
		err = writeSources(*sourcesOut, portals)
	}
	var truthMu sync.Mutex
	reports := 0 // as of the last truth written
	writeTruthNow := func() error {
		if *truthOut == "" {
			return nil
		}
		truthMu.Lock()
		defer truthMu.Unlock()
		truth := sim.Truth()
		reports = len(truth)
		return writeTruth(*truthOut, cfg, sim.Generation(), sim.Portals(), truth)
	}
	if err == nil {
		err = writeTruthNow()
	}
	if err != nil {
		return errors.Join(err, sim.Close())
	}
	advance := func() int {
		g := sim.Advance()
		if err := writeTruthNow(); err != nil {
			a.logger.Error("write truth", "generation", g, "err", err)
		}
		return g
	}

	var adminSrv *http.Server
	adminDone := make(chan error, 1)
	if *admin != "" {
		l, err := net.Listen("tcp", *admin)
		if err != nil {
			return errors.Join(fmt.Errorf("simulate: admin: %w", err), sim.Close())
		}
		mux := http.NewServeMux()
		mux.HandleFunc("POST /advance", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, "{\"generation\":%d}\n", advance())
		})
		mux.HandleFunc("GET /debug/cpuprofile", cpuProfileHandler)
		mux.Handle("/", sim.AdminHandler())
		adminSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { // ends when adminSrv is closed below
			err := adminSrv.Serve(l)
			if errors.Is(err, http.ErrServerClosed) {
				err = nil
			}
			adminDone <- err
		}()
		a.logger.Info("admin API", "url", "http://"+l.Addr().String())
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	attrs := []any{"portals", len(portals), "generation", sim.Generation()}
	if *truthOut != "" {
		attrs = append(attrs, "reports", reports)
	}
	a.logger.Info("serving; SIGHUP advances the generation, interrupt stops", attrs...)
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-hup:
			advance()
		}
	}
	var errs []error
	if adminSrv != nil {
		errs = append(errs, adminSrv.Close(), <-adminDone)
	}
	errs = append(errs, sim.Close())
	return errors.Join(errs...)
}

// applySimulateFlags overrides a profile's configuration with the flags
// given on the command line.
func applySimulateFlags(fs *pflag.FlagSet, cfg *simulator.Config, f simulator.Config, templates map[string]string, faults, hostFaults string) error {
	set := func(name string, apply func()) {
		if fs.Changed(name) {
			apply()
		}
	}
	set("seed", func() { cfg.Seed = f.Seed })
	set("counties", func() { cfg.Counties = f.Counties })
	set("provinces", func() { cfg.Provinces = f.Provinces })
	set("hosts", func() {
		cfg.Hosts = f.Hosts
		if !fs.Changed("counties") && !fs.Changed("provinces") && len(cfg.Provinces) == 0 {
			all, _ := simulator.Profile("bench")
			cfg.Counties, cfg.Provinces = nil, all.Provinces
		}
	})
	set("county-governments", func() { cfg.CountyGovernments = f.CountyGovernments })
	set("first-year", func() { cfg.FirstYear = f.FirstYear })
	set("last-year", func() { cfg.LastYear = f.LastYear })
	set("addr", func() { cfg.FirstAddr = f.FirstAddr })
	set("gbk-share", func() { cfg.GBKShare = f.GBKShare })
	set("page-size", func() { cfg.PageSize = f.PageSize })
	set("missing-share", func() { cfg.MissingShare = f.MissingShare })
	set("departments", func() { cfg.Departments = f.Departments })
	set("pad-to", func() { cfg.PadTo = f.PadTo })
	set("generation", func() { cfg.Generation = f.Generation })
	if fs.Changed("templates") {
		weights, err := parseWeights(templates)
		if err != nil {
			return fmt.Errorf("--templates: %w", err)
		}
		cfg.Templates = weights
	}
	if faults != "" {
		fl, err := simulator.ParseFaults(faults, cfg.Faults)
		if err != nil {
			return fmt.Errorf("--faults: %w", err)
		}
		if fl.HostShare == 0 && !strings.Contains(faults, "hosts=") {
			fl.HostShare = 1 // rates without a host share apply everywhere
		}
		cfg.Faults = fl
	}
	if hostFaults != "" {
		cfg.HostFaults = map[string]simulator.Faults{}
		for _, item := range strings.Split(hostFaults, ";") {
			code, spec, ok := strings.Cut(strings.TrimSpace(item), ":")
			if !ok {
				return fmt.Errorf("--host-faults: %q is not CODE:SPEC", item)
			}
			fl, err := simulator.ParseFaults(spec, simulator.DefaultFaults())
			if err != nil {
				return fmt.Errorf("--host-faults %s: %w", code, err)
			}
			cfg.HostFaults[strings.TrimSpace(code)] = fl
		}
	}
	return nil
}

// loopbackAddr checks addr is host:port on a loopback address.
func loopbackAddr(addr string) error {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return err
	}
	if !ap.Addr().IsLoopback() {
		return fmt.Errorf("%s is not a loopback address", ap.Addr())
	}
	return nil
}

// weightsFlag renders template weights as --templates' default.
func weightsFlag(w map[string]float64) map[string]string {
	out := make(map[string]string, len(w))
	for k, v := range w {
		out[k] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out
}

// parseWeights reads --templates.
func parseWeights(s map[string]string) (map[string]float64, error) {
	out := make(map[string]float64, len(s))
	for k, v := range s {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Errorf("weight of %s: %w", k, err)
		}
		out[strings.TrimSpace(k)] = x
	}
	return out, nil
}

// writeSources writes the crawler sources registry for the portals, in the
// shape config.ReadSources reads.
func writeSources(path string, portals []simulator.Portal) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	doc := struct {
		Sources []crawler.Source `yaml:"sources"`
	}{portalSources(portals)}
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	return nil
}

// portalSources registers portals as crawl sources, each starting at its
// annual-report column.
func portalSources(portals []simulator.Portal) []crawler.Source {
	out := make([]crawler.Source, 0, len(portals))
	for _, p := range portals {
		out = append(out, crawler.Source{Name: p.Agency, Level: p.Level, RegionCode: p.RegionCode, StartURLs: []string{p.StartURL}})
	}
	return out
}

// writeTruth writes the simulator's configuration, generation, portals
// and reports as JSON, one report a line so that a large truth streams
// out, and replaces the file atomically.
func writeTruth(path string, cfg simulator.Config, generation int, portals []simulator.Portal, reports []simulator.Truth) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	head, err := json.Marshal(struct {
		Config     simulator.Config   `json:"config"`
		Generation int                `json:"generation"`
		Portals    []simulator.Portal `json:"portals"`
	}{cfg, generation, portals})
	if err != nil {
		return errors.Join(fmt.Errorf("truth: %w", err), f.Close())
	}
	w.Write(head[:len(head)-1]) // without the closing brace
	w.WriteString(",\n\"reports\": [")
	for i, r := range reports {
		b, err := json.Marshal(r)
		if err != nil {
			return errors.Join(fmt.Errorf("truth: %w", err), f.Close())
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n")
		w.Write(b)
	}
	w.WriteString("\n]}\n")
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	return nil
}

// cpuProfileHandler answers GET /debug/cpuprofile?seconds=N with a CPU
// profile of the simulator over the next N seconds (default 30), so a
// benchmark can see what serving the portals costs.
func cpuProfileHandler(w http.ResponseWriter, r *http.Request) {
	secs := 30
	if v := r.URL.Query().Get("seconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 3600 {
			http.Error(w, "seconds: not an integer in 1..3600", http.StatusBadRequest)
			return
		}
		secs = n
	}
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		http.Error(w, "cpu profile: "+err.Error(), http.StatusConflict)
		return
	}
	select {
	case <-time.After(time.Duration(secs) * time.Second):
	case <-r.Context().Done():
	}
	pprof.StopCPUProfile()
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(buf.Bytes())
}
