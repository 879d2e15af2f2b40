package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/simulator"
)

// simulateUsage explains the command and its output files.
const simulateUsage = `Usage: nianbao simulate [flags]

Serve simulated township and county government portals, one per loopback
address (127.0.0.0/8), until interrupted. Each portal has an annual-report
column at /zwgk/zfxxgknb/index.html; reports have known figures.

--sources-out writes the crawler sources registry (YAML) for the portals;
--truth-out writes the ground truth (JSON: {"config", "portals", "reports"},
each report with its URL, year, template and the figures it states).

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
	cfg := def
	fs.Uint64Var(&cfg.Seed, "seed", def.Seed, "seed of every random choice; the same seed serves the same sites")
	fs.StringSliceVar(&cfg.Counties, "counties", def.Counties, "NBS codes of the counties whose townships get portals")
	fs.BoolVar(&cfg.CountyGovernments, "county-governments", def.CountyGovernments, "also simulate each county government's portal")
	fs.IntVar(&cfg.FirstYear, "first-year", def.FirstYear, "first year reported on")
	fs.IntVar(&cfg.LastYear, "last-year", def.LastYear, "last year reported on")
	fs.StringVar(&cfg.FirstAddr, "addr", def.FirstAddr, "address of the first portal; the others follow (must be in 127.0.0.0/8)")
	fs.IntVar(&cfg.Port, "port", 8080, "port every portal listens on (0: a free port each)")
	fs.Float64Var(&cfg.GBKShare, "gbk-share", def.GBKShare, "share of portals serving GBK declared only in <meta>")
	fs.IntVar(&cfg.PageSize, "page-size", def.PageSize, "entries per report-column list page")
	fs.Float64Var(&cfg.MissingShare, "missing-share", def.MissingShare, "share of agency-years with no report published")
	templates := fs.StringToString("templates", weightsFlag(def.Templates), "template weights, e.g. narrative=0.3,table2021=0.7")
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
	weights, err := parseWeights(*templates)
	if err != nil {
		return fmt.Errorf("%w: simulate: --templates: %w", errUsage, err)
	}
	cfg.Templates = weights
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: simulate: %w", errUsage, err)
	}

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
	for _, p := range portals {
		a.logger.Info("portal", "agency", p.Agency, "region_code", p.RegionCode, "encoding", p.Encoding, "start_url", p.StartURL)
	}
	if *sourcesOut != "" {
		err = writeSources(*sourcesOut, portals)
	}
	if err == nil && *truthOut != "" {
		err = writeTruth(*truthOut, cfg, portals, sim.Truth())
	}
	if err != nil {
		return errors.Join(err, sim.Close())
	}
	a.logger.Info("serving; interrupt to stop", "portals", len(portals), "reports", len(sim.Truth()))
	<-ctx.Done()
	return sim.Close()
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

// writeTruth writes the simulator's configuration, portals and reports as
// JSON.
func writeTruth(path string, cfg simulator.Config, portals []simulator.Portal, reports []simulator.Truth) error {
	b, err := json.MarshalIndent(struct {
		Config  simulator.Config   `json:"config"`
		Portals []simulator.Portal `json:"portals"`
		Reports []simulator.Truth  `json:"reports"`
	}{cfg, portals, reports}, "", "  ")
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	return nil
}
