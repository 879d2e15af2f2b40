package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/dashboards"
	"github.com/nianbao/nianbao/warehouse"
)

func runExport(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "export", `--format parquet|csv|jsonl --query NAME|SQL [--param k=v]... --out PATH
       nianbao export [--archive DIR] [--out PATH] REPORT_ID|URL|CAPTURE_ID`,
		"Export a query's result in one of ClickHouse's own formats, formatted and streamed by the engine (a saved\n"+
			"query by name, with its parameters, or SQL); or write an archived payload back out, exactly as it was\n"+
			"served, read from the WARC archive (a report's, a URL's latest, or a capture's; a revisit's original).")
	f.warehouseFlag()
	f.key("archive.dir", "archive", "directory of the WARC archive (default ./nianbao-data/archive)")
	format := f.String("format", "", "export format: "+strings.Join(warehouse.ExportFormats(), ", "))
	query := f.String("query", "", "a saved query's name (see nianbao query --list) or a SELECT")
	params := f.StringArray("param", nil, "a saved query parameter, k=v (repeatable)")
	out := f.String("out", "", "the file to write; - or empty writes a payload to standard output")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := f.load(a)
	if err != nil {
		return err
	}
	if *query != "" {
		if f.NArg() > 0 {
			return fmt.Errorf("%w: give --query or a payload to export, not both", errUsage)
		}
		if *format == "" || *out == "" || *out == "-" {
			return fmt.Errorf("%w: --query needs --format and --out FILE", errUsage)
		}
		sql, err := exportSQL(*query, *params)
		if err != nil {
			return err
		}
		w, err := warehouse.Open(ctx, cfg.Warehouse, a.quiet())
		if err != nil {
			return err
		}
		defer w.Close()
		if err := w.Export(ctx, sql, *format, *out); err != nil {
			return err
		}
		st, err := os.Stat(*out)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "exported %s (%d bytes, %s)\n", *out, st.Size(), *format)
		return nil
	}
	if f.NArg() != 1 || *format != "" || len(*params) > 0 {
		f.Usage()
		return fmt.Errorf("%w: export needs --query, or one report ID, URL or capture ID", errUsage)
	}
	w, err := warehouse.Open(ctx, cfg.Warehouse, a.quiet())
	if err != nil {
		return err
	}
	defer w.Close()
	rec, err := payload(ctx, w, cfg.Archive.Dir, f.Arg(0))
	if err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		_, err := a.stdout.Write(rec.Body)
		return err
	}
	if err := os.WriteFile(*out, rec.Body, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "wrote %s: %d bytes, %s as fetched %s (%s)\n", *out, len(rec.Body), rec.TargetURI,
		rec.Date.UTC().Format("2006-01-02 15:04:05"), rec.PayloadDigest)
	return nil
}

// exportSQL returns the SQL an export's --query names: a saved query
// bound with params, or the SQL itself.
func exportSQL(query string, params []string) (string, error) {
	kv, err := parseParams(params)
	if err != nil {
		return "", err
	}
	if regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(query) { // a saved query's name
		q, err := dashboards.Get(query)
		if err != nil {
			return "", err
		}
		sql, err := warehouse.Bind(q.SQL, kv)
		if err != nil {
			return "", fmt.Errorf("saved query %s: %w", q.Name, err)
		}
		return sql, nil
	}
	if len(kv) == 0 {
		return query, nil
	}
	return warehouse.Bind(query, kv)
}

// payload reads the archived record an argument names: a report ID, a
// URL (its latest 200 capture) or a capture ID. A revisit is followed to
// the response it refers to.
func payload(ctx context.Context, w *warehouse.Warehouse, dir, arg string) (*archive.Record, error) {
	const cols = `capture_id, url, warc_file, warc_offset, warc_record_id, record_type, refers_to, payload_digest`
	var c map[string]any
	var err error
	switch {
	case strings.Contains(arg, "://"):
		c, err = queryOne(ctx, w, `SELECT `+cols+` FROM captures WHERE url = {arg:String} AND status = 200
ORDER BY fetched_at DESC LIMIT 1`, map[string]string{"arg": arg})
	default:
		c, err = queryOne(ctx, w, `SELECT `+cols+` FROM captures
WHERE capture_id = {arg:String} OR capture_id IN (SELECT capture_id FROM reports WHERE report_id = {arg:String})
LIMIT 1`, map[string]string{"arg": arg})
	}
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("%s: no capture in the warehouse: %w", arg, errNotFound)
	}
	if text(c["record_type"]) == warehouse.RecordRevisit {
		ref := text(c["refers_to"])
		if c, err = queryOne(ctx, w, `SELECT `+cols+` FROM captures WHERE warc_record_id = {id:String} LIMIT 1`,
			map[string]string{"id": ref}); err != nil {
			return nil, err
		}
		if c == nil {
			return nil, fmt.Errorf("%s: a revisit of %s, which the warehouse does not index: %w", arg, ref, errNotFound)
		}
	}
	loc := archive.Location{File: text(c["warc_file"]), Offset: int64(c["warc_offset"].(uint64)), RecordID: text(c["warc_record_id"])}
	var rec *archive.Record
	if loc.RecordID != "" {
		rec, err = archive.ReadLocation(dir, loc)
	} else {
		rec, err = readAt(dir, loc)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	if d := text(c["payload_digest"]); d != "" && rec.PayloadDigest != "" && d != rec.PayloadDigest {
		return nil, fmt.Errorf("%s: the archive holds payload %s at %s offset %d, the warehouse says %s",
			arg, rec.PayloadDigest, loc.File, loc.Offset, d)
	}
	return rec, nil
}

// readAt reads the record at a location that names no record ID
// (captures indexed before schema v2), in the file or its ".open" twin.
func readAt(dir string, loc archive.Location) (*archive.Record, error) {
	path := filepath.Join(dir, loc.File)
	rec, err := archive.ReadRecord(path, loc.Offset)
	if errors.Is(err, os.ErrNotExist) {
		return archive.ReadRecord(path+".open", loc.Offset)
	}
	return rec, err
}
