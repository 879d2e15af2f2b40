package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

func runReparse(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "reparse", "[--archive DIR] [--warehouse DSN] [--no-refresh]",
		"Derive reports, facts and checks again from the WARC archive with this program's parser (version "+parser.Version+"),\n"+
			"without fetching anything. Reports keep their parser version in their key, so a new version's reports\n"+
			"stand beside the old ones, which stay queryable; the latest views show the newest. Captures the\n"+
			"warehouse's index lacks are indexed. Then the comparison tables are refreshed.")
	f.warehouseFlag()
	f.key("archive.dir", "archive", "directory of the WARC archive (default ./nianbao-data/archive)")
	noRefresh := f.Bool("no-refresh", false, "do not refresh the comparison tables afterwards")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	p, err := parser.New(cfg.Parser)
	if err != nil {
		return err
	}
	w, err := openMigrated(ctx, cfg.Warehouse, a.logger)
	if err != nil {
		return err
	}
	defer w.Close()
	icfg := cfg.Ingest
	icfg.Refresh = !*noRefresh
	return reparseInto(ctx, a, w, cfg.Archive.Dir, icfg, p.Parse, parser.Version)
}

// reparseInto reparses the archive in dir into w with parse (which
// reports version).
func reparseInto(ctx context.Context, a *app, w *warehouse.Warehouse, dir string, icfg ingest.Config, parse ingest.ParseFunc, version string) error {
	start := time.Now()
	index, err := captureIndex(ctx, w)
	if err != nil {
		return err
	}
	pipe, err := ingest.New(icfg, nil, w, parse, a.logger)
	if err != nil {
		return err
	}
	a.logger.Info("reparse started", "archive", dir, "indexed_captures", len(index), "parser_version", version)
	rs, err := ingest.Reparse(ctx, dir, pipe, index)
	cerr := pipe.Close(context.WithoutCancel(ctx))
	s := pipe.Stats()
	fmt.Fprintf(a.stdout, "reparse: %d response records (%d parsed, %d duplicates of a parsed payload, %d not indexed before, %d skipped)\n",
		rs.Records, rs.Queued, rs.Duplicates, rs.Unindexed, rs.Skipped)
	fmt.Fprintf(a.stdout, "parse: parser %s: %d reports, %d other documents, %d errors, %d failed checks, %d facts\n",
		version, s.Reports, s.NotReports, s.ParseErrors, s.ChecksFailed, s.FactRows)
	fmt.Fprintf(a.stdout, "reparse: %s wall\n", time.Since(start).Round(time.Millisecond))
	return errors.Join(err, cerr)
}

// captureIndex returns what the warehouse's capture index knows of each
// response capture, by capture ID.
func captureIndex(ctx context.Context, w *warehouse.Warehouse) (map[string]ingest.IndexEntry, error) {
	r, err := w.Query(ctx, `SELECT capture_id, source_name, source_level, source_region_code, kind, charset, depth, run_id
FROM captures WHERE record_type = 'response'`)
	if err != nil {
		return nil, fmt.Errorf("read the capture index: %w", err)
	}
	out := make(map[string]ingest.IndexEntry, len(r.Rows))
	for _, row := range r.Rows {
		out[row[0].(string)] = ingest.IndexEntry{
			Source: warehouse.Registration{Name: row[1].(string), Level: row[2].(string), RegionCode: row[3].(string)},
			Kind:   row[4].(string), Charset: row[5].(string), Depth: int(row[6].(uint64)), RunID: row[7].(string),
		}
	}
	return out, nil
}

func runRefresh(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "refresh", "[--warehouse DSN] [--as-of YYYY-MM-DD]",
		"Rebuild the comparison tables (agency_years, expected_reports, report_stats, compliance) from what is\n"+
			"loaded, judging deadlines as of a day (default today). Crawl and reparse do this when they finish.")
	f.warehouseFlag()
	asOf := f.String("as-of", "", "judge compliance as of this day (default today)")
	if err := f.parse(args); err != nil {
		return err
	}
	var day time.Time
	if *asOf != "" {
		var err error
		if day, err = time.Parse(time.DateOnly, *asOf); err != nil {
			return fmt.Errorf("%w: --as-of %q: want YYYY-MM-DD", errUsage, *asOf)
		}
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	w, err := openMigrated(ctx, cfg.Warehouse, a.quiet())
	if err != nil {
		return err
	}
	defer w.Close()
	res, err := w.Refresh(ctx, day)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "refresh %d as of %s: %d agency-years (%d-%d expected), %d with a report, in %s\n",
		res.Refresh, res.AsOf.Format(time.DateOnly), res.AgencyYears, res.FirstYear, res.LastYear, res.Reports,
		res.Elapsed.Round(time.Millisecond))
	return nil
}
