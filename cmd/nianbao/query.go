package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/nianbao/nianbao/dashboards"
	"github.com/nianbao/nianbao/warehouse"
)

func runQuery(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "query", `[--warehouse DSN] [--format table|csv|json] "SQL"
       nianbao query --saved NAME [--param k=v]...
       nianbao query --list`, "Run a read-only SQL query, or a saved comparison query from dashboards/.")
	f.warehouseFlag()
	format := f.String("format", "table", "output format: "+strings.Join(warehouse.Formats(), ", "))
	saved := f.String("saved", "", "run the saved query NAME (see --list)")
	params := f.StringArray("param", nil, "a saved query parameter, k=v (repeatable)")
	list := f.Bool("list", false, "list the saved queries and their parameters")
	if err := f.parse(args); err != nil {
		return err
	}
	if *list {
		return listSaved(a)
	}
	var sql string
	switch {
	case *saved != "" && f.NArg() > 0:
		return fmt.Errorf("%w: give either --saved NAME or SQL, not both", errUsage)
	case *saved != "":
		q, err := dashboards.Get(*saved)
		if err != nil {
			return err
		}
		kv, err := parseParams(*params)
		if err != nil {
			return err
		}
		if sql, err = warehouse.Bind(q.SQL, kv); err != nil {
			return fmt.Errorf("saved query %s: %w", q.Name, err)
		}
	case f.NArg() == 1:
		sql = f.Arg(0)
		if len(*params) > 0 {
			kv, err := parseParams(*params)
			if err != nil {
				return err
			}
			if sql, err = warehouse.Bind(sql, kv); err != nil {
				return err
			}
		}
	default:
		f.Usage()
		return fmt.Errorf("%w: query needs one SQL argument (quote it) or --saved NAME", errUsage)
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
	res, err := w.Query(ctx, sql)
	if err != nil {
		return err
	}
	return res.Write(a.stdout, *format)
}

func parseParams(kvs []string) (map[string]string, error) {
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: --param %q, want k=v", errUsage, kv)
		}
		out[k] = v
	}
	return out, nil
}

func listSaved(a *app) error {
	qs, err := dashboards.All()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 4, 2, ' ', 0)
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t%s\n", q.Name, q.Title)
		for _, p := range q.Params {
			fmt.Fprintf(tw, "\t  --param %s=%s\t%s\n", p.Name, p.Type, p.Description)
		}
	}
	return tw.Flush()
}

func runMigrate(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "migrate", "[--warehouse DSN]", "Create or upgrade the warehouse schema. Safe to run again.")
	f.warehouseFlag()
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	w, err := warehouse.Open(ctx, cfg.Warehouse, a.logger)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Migrate(ctx); err != nil {
		return err
	}
	v, err := w.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "warehouse %s (%s) at schema version %d\n", cfg.Warehouse.Redacted(), w.Engine(), v)
	return nil
}
