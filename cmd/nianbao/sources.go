package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/warehouse"
	"github.com/nianbao/nianbao/warehouse/agency"
)

func runSources(ctx context.Context, a *app, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "import":
		return runSourcesImport(ctx, a, args)
	case "list":
		return runSourcesList(ctx, a, args)
	case "validate":
		return runSourcesValidate(ctx, a, args)
	case "-h", "--help", "help":
		fmt.Fprint(a.stdout, sourcesUsage)
		return nil
	}
	fmt.Fprint(a.stderr, sourcesUsage)
	if sub == "" {
		return fmt.Errorf("%w: sources needs a subcommand", errUsage)
	}
	return fmt.Errorf("%w: unknown sources subcommand %q", errUsage, sub)
}

const sourcesUsage = `Usage: nianbao sources import|list|validate [flags]

Manage the source registry: a source is an agency (name, level, NBS region
code) plus the start URLs of its portal.

  validate [--sources FILE]                check a registry against the gazetteer
  import [--sources FILE] [--warehouse DSN] register it in the warehouse (departments become agencies)
  list [--warehouse DSN] [--format table|csv|json|yaml]
                                           the sources the warehouse holds (yaml: a registry file)
`

// checkRegistry reads the registry file and checks it against the
// gazetteer, writing every problem to w. It returns the sources and an
// error when a problem is fatal.
func checkRegistry(path string, w io.Writer) ([]warehouse.Source, error) {
	cs, err := config.LoadSources(path)
	if err != nil {
		return nil, err
	}
	g, err := gazetteer.Load()
	if err != nil {
		return nil, err
	}
	dir, err := agency.New(g, nil)
	if err != nil {
		return nil, err
	}
	srcs := registrySources(cs)
	fatal := 0
	for _, p := range warehouse.CheckSources(dir, srcs) {
		kind := "warning"
		if p.Fatal {
			kind = "error"
			fatal++
		}
		fmt.Fprintf(w, "%s: %s: %v\n", path, kind, p)
	}
	if fatal > 0 {
		return srcs, fmt.Errorf("%w: %d of %d sources in %s have errors", warehouse.ErrInvalidSources, fatal, len(srcs), path)
	}
	return srcs, nil
}

func runSourcesValidate(_ context.Context, a *app, args []string) error {
	f := newFlags(a, "sources validate", "[--sources FILE]",
		"Check a source registry: each source's region code must be an NBS code the gazetteer holds, at the level\n"+
			"given, and a government's name must designate its region.")
	f.key("sources", "sources", "sources registry (YAML; default sources.yaml)")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	srcs, err := checkRegistry(cfg.Sources, a.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s: %d sources valid\n", cfg.Sources, len(srcs))
	return nil
}

func runSourcesImport(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "sources import", "[--sources FILE] [--warehouse DSN]",
		"Validate a source registry and register its sources in the warehouse. Departments become agencies;\n"+
			"reports loaded from then on are matched against them.")
	f.warehouseFlag()
	f.key("sources", "sources", "sources registry (YAML; default sources.yaml)")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	srcs, err := checkRegistry(cfg.Sources, a.stderr)
	if err != nil {
		return err
	}
	w, err := openMigrated(ctx, cfg.Warehouse, a.quiet())
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.WriteSources(ctx, srcs); err != nil {
		return err
	}
	depts := 0
	for _, s := range srcs {
		if s.Level == agency.LevelDepartment {
			depts++
		}
	}
	fmt.Fprintf(a.stdout, "registered %d sources (%d departments) from %s in %s\n", len(srcs), depts, cfg.Sources,
		cfg.Warehouse.Redacted())
	return nil
}

func runSourcesList(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "sources list", "[--warehouse DSN] [--format table|csv|json|yaml]",
		"List the sources registered in the warehouse. --format yaml writes a registry file `nianbao crawl` reads.")
	f.warehouseFlag()
	format := f.String("format", "table", "output format: table, csv, json or yaml")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	w, err := warehouse.Open(ctx, cfg.Warehouse, a.quiet())
	if err != nil {
		return err
	}
	defer w.Close()
	srcs, err := w.Sources(ctx)
	if err != nil {
		return err
	}
	switch *format {
	case "yaml":
		out := make([]crawler.Source, len(srcs))
		for i, s := range srcs {
			out[i] = crawler.Source{Name: s.Name, Level: s.Level, RegionCode: s.RegionCode, StartURLs: s.StartURLs}
		}
		return config.WriteSources(a.stdout, out)
	case "json":
		type row struct {
			Name       string   `json:"name"`
			Level      string   `json:"level"`
			RegionCode string   `json:"region_code"`
			AgencyID   string   `json:"agency_id"`
			StartURLs  []string `json:"start_urls"`
		}
		rows := make([]row, len(srcs))
		for i, s := range srcs {
			rows[i] = row{s.Name, s.Level, s.RegionCode, s.AgencyID, s.StartURLs}
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rows)
	case "csv", "table":
		res := &warehouse.Result{Columns: []string{"name", "level", "region_code", "agency_id", "start_urls"},
			Types: []string{"String", "String", "String", "String", "String"}}
		for _, s := range srcs {
			res.Rows = append(res.Rows, []any{s.Name, s.Level, s.RegionCode, s.AgencyID, strings.Join(s.StartURLs, " ")})
		}
		return res.Write(a.stdout, *format)
	}
	return fmt.Errorf("%w: --format %q: want table, csv, json or yaml", errUsage, *format)
}

// errNotFound marks a report, URL or capture the warehouse does not hold.
var errNotFound = errors.New("not found")

// printKV writes aligned "key  value" lines.
func printKV(w io.Writer, kv [][2]string) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, p := range kv {
		if p[1] == "" {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\n", p[0], p[1])
	}
	return tw.Flush()
}

// registrySources converts crawl sources to warehouse registry entries.
func registrySources(cs []crawler.Source) []warehouse.Source {
	out := make([]warehouse.Source, len(cs))
	for i, s := range cs {
		out[i] = warehouse.Source{Name: s.Name, Level: s.Level, RegionCode: s.RegionCode, StartURLs: s.StartURLs}
	}
	return out
}
