package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

func runShow(ctx context.Context, a *app, args []string) error {
	f := newFlags(a, "show", "[--warehouse DSN] [--format table|csv|json|jsonl] REPORT_ID|URL",
		"Print a report with its provenance: what it is, the capture it was parsed from (WARC file, offset and\n"+
			"record), its agency match, every figure with where the report states it, and its failed checks.\n"+
			"A URL shows the current parse of the URL's latest capture, and lists the other parses.")
	f.warehouseFlag()
	format := f.String("format", "table", "output format of the figures: table, csv, json or jsonl")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		f.Usage()
		return fmt.Errorf("%w: show needs one report ID or URL", errUsage)
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
	id, others, err := resolveReport(ctx, w, f.Arg(0))
	if err != nil {
		return err
	}
	meta, err := queryOne(ctx, w, `SELECT r.report_id, title, agency, level, region_code, year, published_at, template,
       format, status, parser_version, source_url, r.fetched_at, payload_digest, r.capture_id, r.warc_file,
       r.warc_offset, c.warc_record_id, c.warc_length, agency_id, match_status, match_method, match_candidates,
       fact_count, checks_total, checks_failed, source_name, loaded_at
FROM (SELECT * FROM reports WHERE report_id = {id:String}) AS r
LEFT JOIN (SELECT capture_id, warc_record_id, warc_length FROM captures) AS c ON r.capture_id = c.capture_id`,
		map[string]string{"id": id})
	if err != nil {
		return err
	}
	if meta == nil {
		return fmt.Errorf("report %s: %w", id, errNotFound)
	}
	s := func(k string) string { return text(meta[k]) }
	fmt.Fprintf(a.stdout, "%s\n\n", s("title"))
	if err := printKV(a.stdout, [][2]string{
		{"report", s("report_id")},
		{"agency", fmt.Sprintf("%s (%s, %s)", s("agency"), s("level"), s("region_code"))},
		{"matched", matchText(meta)},
		{"year", s("year")},
		{"published", s("published_at")},
		{"template", s("template") + " " + s("format") + ", status " + s("status")},
		{"parser", s("parser_version") + ", loaded " + s("loaded_at")},
		{"url", s("source_url")},
		{"fetched", s("fetched_at") + " (source " + s("source_name") + ")"},
		{"payload", s("payload_digest")},
		{"capture", s("capture_id")},
		{"warc", fmt.Sprintf("%s offset %s length %s record %s", s("warc_file"), s("warc_offset"), s("warc_length"), s("warc_record_id"))},
		{"figures", fmt.Sprintf("%s; checks %s, %s failed", s("fact_count"), s("checks_total"), s("checks_failed"))},
	}); err != nil {
		return err
	}
	for _, o := range others {
		fmt.Fprintf(a.stdout, "other parse  %s\n", o)
	}
	figs, err := queryBound(ctx, w, `SELECT metric, applicant, value, approximate, derived, loc_table, loc_row, loc_column,
       loc_start, loc_end, loc_text
FROM facts WHERE report_id = {id:String}
ORDER BY loc_table, metric, indexOf(['natural_person', 'business', 'research', 'nonprofit', 'legal_service', 'other_org', 'total'], applicant)`,
		map[string]string{"id": id})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\nfigures\n")
	if err := figs.Write(a.stdout, *format); err != nil {
		return err
	}
	checks, err := queryBound(ctx, w, `SELECT name, metric, applicant, expected, actual, delta FROM checks
WHERE report_id = {id:String} AND ok = 0 ORDER BY name, metric, applicant`, map[string]string{"id": id})
	if err != nil {
		return err
	}
	if len(checks.Rows) > 0 {
		fmt.Fprintf(a.stdout, "\nfailed checks\n")
		return checks.Write(a.stdout, *format)
	}
	return nil
}

// matchText describes a report's agency match.
func matchText(meta map[string]any) string {
	switch text(meta["match_status"]) {
	case "matched":
		return fmt.Sprintf("%s (by %s)", text(meta["agency_id"]), text(meta["match_method"]))
	case "":
		return ""
	}
	return fmt.Sprintf("%s among %s", text(meta["match_status"]), text(meta["match_candidates"]))
}

// resolveReport returns the report an argument names: a report ID, or for
// a URL the current parse of its latest capture (and the URL's other
// report IDs).
func resolveReport(ctx context.Context, w *warehouse.Warehouse, arg string) (string, []string, error) {
	if !strings.Contains(arg, "://") {
		return arg, nil, nil
	}
	cur, err := queryOne(ctx, w, `SELECT report_id FROM reports_current WHERE source_url = {url:String}`,
		map[string]string{"url": arg})
	if err != nil {
		return "", nil, err
	}
	if cur == nil {
		return "", nil, fmt.Errorf("no report parsed from %s: %w", arg, errNotFound)
	}
	id := text(cur["report_id"])
	all, err := queryBound(ctx, w, `SELECT report_id, parser_version, fetched_at FROM reports
WHERE source_url = {url:String} AND report_id != {id:String} ORDER BY fetched_at, parser_version`,
		map[string]string{"url": arg, "id": id})
	if err != nil {
		return "", nil, err
	}
	var others []string
	for _, row := range all.Rows {
		others = append(others, fmt.Sprintf("%s (parser %s, fetched %s)", text(row[0]), text(row[1]), text(row[2])))
	}
	return id, others, nil
}

// queryBound binds params into sql and runs it.
func queryBound(ctx context.Context, w *warehouse.Warehouse, sql string, params map[string]string) (*warehouse.Result, error) {
	bound, err := warehouse.Bind(sql, params)
	if err != nil {
		return nil, err
	}
	return w.Query(ctx, bound)
}

// queryOne returns the first row of a query as a map, or nil.
func queryOne(ctx context.Context, w *warehouse.Warehouse, sql string, params map[string]string) (map[string]any, error) {
	r, err := queryBound(ctx, w, sql, params)
	if err != nil || len(r.Rows) == 0 {
		return nil, err
	}
	m := make(map[string]any, len(r.Columns))
	for i, c := range r.Columns {
		m[c] = r.Rows[0][i]
	}
	return m, nil
}

// text renders a result value for people.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case uint64:
		return strconv.FormatUint(x, 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.UTC().Format(time.DateTime)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = text(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}
