package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/dashboards"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/simulator"
	"github.com/nianbao/nianbao/warehouse"
)

func runDemo(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "demo", "[--warehouse DSN]",
		"Start simulated government portals on loopback, crawl them, archive and parse every report,\n"+
			"load the warehouse (left in place), and print a cross-township comparison.")
	f.warehouseFlag()
	f.key("archive.dir", "archive", "directory of the WARC archive (default ./nianbao-data/archive)")
	seed := f.Uint64("seed", simulator.DefaultConfig().Seed, "simulator seed")
	delay := f.Duration("delay", 50*time.Millisecond, "per-host delay for the demo crawl (the portals are on loopback)")
	port := f.Int("port", 8080, "port of the simulated portals, each on its own 127.0.1.x address; a fixed port keeps URLs, and so\nreport keys, the same from run to run (0 picks free ports)")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	cfg.Crawler.Delay = *delay
	start := time.Now()

	gaz, err := gazetteer.Load()
	if err != nil {
		return err
	}
	simCfg := simulator.DefaultConfig()
	simCfg.Seed = *seed
	simCfg.Port = *port
	sim, err := simulator.New(simCfg, gaz, a.logger)
	if err != nil {
		return err
	}
	if err := sim.Start(ctx); err != nil {
		return err
	}
	defer sim.Close()
	sources := sourcesOf(sim.Portals())
	truth := sim.Truth()
	fmt.Fprintf(a.stdout, "simulator: %d portals in counties %s, years %d-%d, %d reports published\n",
		len(sources), strings.Join(simCfg.Counties, ", "), simCfg.FirstYear, simCfg.LastYear, len(truth))

	w, err := openMigrated(ctx, cfg.Warehouse, a.logger)
	if err != nil {
		return err
	}
	defer w.Close()
	run, err := crawlInto(ctx, a.logger, cfg, w, sources)
	if err != nil {
		return err
	}
	run.print(a.stdout)

	for _, county := range simCfg.Counties {
		name := county
		if d, ok := gaz.ByCode(county); ok {
			name = d.Name
		}
		fmt.Fprintf(a.stdout, "\n%s (%s), %d: township league\n", name, county, simCfg.LastYear)
		if err := printSaved(ctx, a, w, "township_league", map[string]string{"county": county, "year": strconv.Itoa(simCfg.LastYear)}); err != nil {
			return err
		}
	}
	for _, county := range simCfg.Counties {
		fmt.Fprintf(a.stdout, "\n%s, %d-%d: reports missing\n", county, simCfg.FirstYear, simCfg.LastYear)
		if err := printSaved(ctx, a, w, "missing_reports", map[string]string{
			"county": county, "from": strconv.Itoa(simCfg.FirstYear), "to": strconv.Itoa(simCfg.LastYear)}); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, "\ndemo: %s wall; warehouse %s, archive %s\n", time.Since(start).Round(time.Millisecond),
		cfg.Warehouse.Redacted(), cfg.Archive.Dir)
	return nil
}

// sourcesOf registers the simulated portals as crawl sources.
func sourcesOf(portals []simulator.Portal) []crawler.Source {
	out := make([]crawler.Source, 0, len(portals))
	for _, p := range portals {
		out = append(out, crawler.Source{Name: p.Agency, Level: p.Level, RegionCode: p.RegionCode, StartURLs: []string{p.StartURL}})
	}
	return out
}

func printSaved(ctx context.Context, a *app, w *warehouse.Warehouse, name string, params map[string]string) error {
	res, err := querySaved(ctx, w, name, params)
	if err != nil {
		return err
	}
	return res.Write(a.stdout, "table")
}

// querySaved runs the saved query name with params.
func querySaved(ctx context.Context, w *warehouse.Warehouse, name string, params map[string]string) (*warehouse.Result, error) {
	q, err := dashboards.Get(name)
	if err != nil {
		return nil, err
	}
	sql, err := warehouse.Bind(q.SQL, params)
	if err != nil {
		return nil, fmt.Errorf("saved query %s: %w", name, err)
	}
	res, err := w.Query(ctx, sql)
	if err != nil {
		return nil, fmt.Errorf("saved query %s: %w", name, err)
	}
	return res, nil
}
