package warehouse

import (
	"context"
	"fmt"
	"strings"
)

// step is one idempotent schema change: running it again after it (or a
// later step) succeeded changes nothing. Neither engine has DDL
// transactions, so a migration interrupted half-way is simply run again.
type step interface {
	apply(ctx context.Context, e engine) error
}

// sqlStep is a statement that is idempotent by itself (IF NOT EXISTS, IF
// EXISTS).
type sqlStep string

func (s sqlStep) apply(ctx context.Context, e engine) error { return e.exec(ctx, string(s)) }

// addColumn adds a column unless the table has it: ClickHouse 18.16 has no
// ADD COLUMN IF NOT EXISTS. Existing rows read the type's default.
type addColumn struct {
	table, column, typ, after string
}

func (a addColumn) apply(ctx context.Context, e engine) error {
	r, err := e.query(ctx, fmt.Sprintf(
		"SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = %s AND name = %s",
		quoteString(a.table), quoteString(a.column)))
	if err != nil {
		return err
	}
	if len(r.Rows) == 1 && r.Rows[0][0] == uint64(1) {
		return nil
	}
	return e.exec(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s AFTER %s", a.table, a.column, a.typ, a.after))
}

// addColumns adds columns in order, the first after column after and
// each next after the one before it, in one ALTER, skipping those the
// table has (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS).
type addColumns struct {
	table, after string
	cols         [][2]string // name, type
}

func (a addColumns) apply(ctx context.Context, e engine) error {
	r, err := e.query(ctx, fmt.Sprintf(
		"SELECT name FROM system.columns WHERE database = currentDatabase() AND table = %s",
		quoteString(a.table)))
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, row := range r.Rows {
		has[row[0].(string)] = true
	}
	var clauses []string
	after := a.after
	for _, c := range a.cols {
		if !has[c[0]] {
			clauses = append(clauses, fmt.Sprintf("ADD COLUMN %s %s AFTER %s", c[0], c[1], after))
		}
		after = c[0]
	}
	if len(clauses) == 0 {
		return nil
	}
	return e.exec(ctx, fmt.Sprintf("ALTER TABLE %s %s", a.table, strings.Join(clauses, ", ")))
}

// renameTable renames a table unless that was already done.
type renameTable struct{ from, to string }

func (r renameTable) apply(ctx context.Context, e engine) error {
	res, err := e.query(ctx, fmt.Sprintf(
		"SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN (%s, %s)",
		quoteString(r.from), quoteString(r.to)))
	if err != nil {
		return err
	}
	for _, row := range res.Rows {
		if row[0] == r.to {
			return nil
		}
	}
	return e.exec(ctx, fmt.Sprintf("RENAME TABLE %s TO %s", r.from, r.to))
}

// migration is one versioned schema change.
type migration struct {
	version int
	name    string
	steps   []step
}

// migrationsDDL creates the table that records applied migrations.
func migrationsDDL() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
    version UInt32,
    name String,
    applied_at DateTime
) ENGINE = MergeTree ORDER BY version`
}

// migrations returns every schema migration in order. A migration's DDL
// is frozen once released: change the schema by adding a migration. The
// same DDL runs on chDB and on ClickHouse servers back to 18.16: portable
// types, MergeTree and ReplacingMergeTree(version) engines with ORDER BY,
// plain views.
//
// Deduplication: every loader table is a ReplacingMergeTree whose ORDER BY
// is a deterministic key (capture_id; report_id; report_id + metric +
// applicant [+ ordinal]; report_id + check), so loading the same thing
// twice leaves one row per key once merged, and the views read with FINAL
// so duplicates never show even before a merge.
func migrations() []migration {
	return []migration{
		{version: 1, name: "captures, reports, facts, checks and their current views", steps: migration1()},
		{version: 2, name: "facts: derived, loc_text; fact_alternates", steps: migration2()},
		{version: 3, name: "loader tables become *_rows; captures, reports, facts, checks, fact_alternates are deduplicated views", steps: migration3()},
		{version: 4, name: "captures: record_type, refers_to, etag, last_modified, run_id; crawl_runs, crawl_run_hosts", steps: migration4()},
		{version: 5, name: "schema v2: documents, agencies, sources, report agencies and figures, agency_years, expected_reports, report_stats, compliance", steps: migration5()},
		{version: 6, name: "year_summary: agency_years counted by level, province and year at each refresh", steps: migration6()},
		{version: 7, name: "report_history: every report version by province and year, with its payload's first capture, at each refresh", steps: migration7()},
		{version: 8, name: "fact_sets: a report's facts as one row of arrays, which the facts view reads; fact_rows copied there and no longer written", steps: migration8()},
		{version: 9, name: "agency_years, year_summary, report_history and deadlines become tables that Refresh replaces whole, not views filtering the latest refresh", steps: migration9()},
		{version: 10, name: "check_sets: a report's checks as one row of arrays, which the checks view reads; check_rows copied there and no longer written", steps: migration10()},
		{version: 11, name: "agency_timeline: agency_years by agency, for one agency's history", steps: migration11()},
		{version: 12, name: "report_history: superseded_on, the day a later version of the URL replaced a report version", steps: migration12()},
	}
}

func migration1() []step {
	return []step{
		sqlStep(`CREATE TABLE IF NOT EXISTS captures (
    capture_id String,
    url String,
    fetched_at DateTime,
    status UInt16,
    content_type String,
    charset String,
    payload_digest String,
    payload_length UInt64,
    warc_file String,
    warc_offset UInt64,
    warc_length UInt64,
    kind String,
    depth UInt16,
    source_name String,
    source_level String,
    source_region_code String,
    loaded_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY capture_id`),

		sqlStep(`CREATE TABLE IF NOT EXISTS reports (
    report_id String,
    source_url String,
    capture_id String,
    payload_digest String,
    fetched_at DateTime,
    warc_file String,
    warc_offset UInt64,
    agency String,
    level String,
    region_code String,
    year Nullable(UInt16),
    published_at Nullable(Date),
    template String,
    format String,
    status String,
    parser_version String,
    title String,
    index_no String,
    doc_no String,
    publisher String,
    charset String,
    source_name String,
    source_level String,
    source_region_code String,
    fact_count UInt32,
    checks_failed UInt32,
    loaded_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY report_id`),

		sqlStep(`CREATE TABLE IF NOT EXISTS facts (
    report_id String,
    metric String,
    applicant String,
    value Float64,
    approximate UInt8,
    loc_table String,
    loc_row String,
    loc_column String,
    loc_start UInt32,
    loc_end UInt32,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (report_id, metric, applicant)`),

		sqlStep(`CREATE TABLE IF NOT EXISTS checks (
    report_id String,
    name String,
    metric String,
    applicant String,
    ok UInt8,
    expected Float64,
    actual Float64,
    delta Float64,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (report_id, name, metric, applicant)`),

		// captures_current: every capture once.
		sqlStep(`CREATE VIEW IF NOT EXISTS captures_current AS
SELECT capture_id, url, fetched_at, status, content_type, charset, payload_digest, payload_length,
       warc_file, warc_offset, warc_length, kind, depth, source_name, source_level, source_region_code, loaded_at
FROM captures FINAL`),

		// reports_current: the latest parse of each source URL: the latest
		// fetch, and of parses of the same fetch the latest loaded. The
		// body_key column names the reporting body (level, region code and
		// agency), or the URL itself when the parser could name no body.
		sqlStep(`CREATE VIEW IF NOT EXISTS reports_current AS
SELECT report_id, source_url, capture_id, payload_digest, fetched_at, warc_file, warc_offset,
       agency, level, region_code, year, published_at, template, format, status, parser_version,
       title, index_no, doc_no, publisher, charset, source_name, source_level, source_region_code,
       fact_count, checks_failed, loaded_at,
       if(agency = '' AND region_code = '', concat('url:', source_url),
          concat(level, ':', region_code, ':', agency)) AS body_key
FROM reports FINAL
ORDER BY source_url, fetched_at DESC, version DESC
LIMIT 1 BY source_url`),

		// reports_latest: one report per body and year, chosen among
		// reports_current: parsed figures first, then the latest
		// published (a correction replaces the original), then the most
		// figures, then the latest fetched; report_id breaks ties so the
		// choice never depends on load order.
		sqlStep(`CREATE VIEW IF NOT EXISTS reports_latest AS
SELECT *
FROM reports_current
WHERE year IS NOT NULL
ORDER BY body_key, year, status = 'ok' DESC, published_at DESC, fact_count DESC, fetched_at DESC, report_id
LIMIT 1 BY body_key, year`),

		// facts_latest: the figures of reports_latest, with the body and
		// year beside each. (Replaced in migration 2.)
		sqlStep(`CREATE VIEW IF NOT EXISTS facts_latest AS
SELECT report_id, agency, level, region_code, year, body_key, metric, applicant, value, approximate,
       loc_table, loc_row, loc_column, loc_start, loc_end, template, source_url
FROM (
    SELECT report_id, metric, applicant, value, approximate, loc_table, loc_row, loc_column, loc_start, loc_end
    FROM facts FINAL
) AS f
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, template, source_url
    FROM reports_latest
) AS r USING report_id`),

		// checks_latest: the identity checks of reports_latest.
		sqlStep(`CREATE VIEW IF NOT EXISTS checks_latest AS
SELECT report_id, agency, level, region_code, year, body_key, name, metric, applicant, ok, expected, actual, delta,
       source_url
FROM (
    SELECT report_id, name, metric, applicant, ok, expected, actual, delta
    FROM checks FINAL
) AS c
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`),
	}
}

// migration2 follows parser 0.2's Fact.Derived, Locator.Text and
// Report.Alternates.
func migration2() []step {
	return []step{
		addColumn{"facts", "derived", "UInt8", "approximate"},
		addColumn{"facts", "loc_text", "String", "loc_end"},

		// fact_alternates: figures a report states a second time with
		// another value or in another place, kept as published beside the
		// fact in facts; ordinal numbers them per metric and column.
		sqlStep(`CREATE TABLE IF NOT EXISTS fact_alternates (
    report_id String,
    metric String,
    applicant String,
    ordinal UInt16,
    value Float64,
    approximate UInt8,
    derived UInt8,
    loc_table String,
    loc_row String,
    loc_column String,
    loc_start UInt32,
    loc_end UInt32,
    loc_text String,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (report_id, metric, applicant, ordinal)`),

		// facts_latest gains derived and loc_text. 18.16 has no CREATE OR
		// REPLACE VIEW; dropping first keeps the step idempotent.
		sqlStep(`DROP TABLE IF EXISTS facts_latest`),
		sqlStep(`CREATE VIEW IF NOT EXISTS facts_latest AS
SELECT report_id, agency, level, region_code, year, body_key, metric, applicant, value, approximate, derived,
       loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, template, source_url
FROM (
    SELECT report_id, metric, applicant, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM facts FINAL
) AS f
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, template, source_url
    FROM reports_latest
) AS r USING report_id`),

		// alternates_latest: the alternates of reports_latest.
		sqlStep(`CREATE VIEW IF NOT EXISTS alternates_latest AS
SELECT report_id, agency, level, region_code, year, body_key, metric, applicant, ordinal, value, approximate,
       derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, source_url
FROM (
    SELECT report_id, metric, applicant, ordinal, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM fact_alternates FINAL
) AS a
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`),
	}
}

// migration3 hides the loader tables' unmerged duplicates from every
// query: the ReplacingMergeTree tables are renamed *_rows, and the names
// researchers query (captures, reports, facts, checks, fact_alternates) become
// views that read them with FINAL, so `SELECT count() FROM reports` counts
// each report once even before a merge, however often it was loaded. The
// current/latest views are rebuilt on the new names.
func migration3() []step {
	views := []string{"alternates_latest", "checks_latest", "facts_latest", "reports_latest", "reports_current", "captures_current"}
	var steps []step
	for _, v := range views {
		steps = append(steps, sqlStep("DROP TABLE IF EXISTS "+v))
	}
	for _, r := range []renameTable{
		{"captures", "capture_rows"}, {"reports", "report_rows"}, {"facts", "fact_rows"},
		{"checks", "check_rows"}, {"fact_alternates", "alternate_rows"},
	} {
		steps = append(steps, r,
			sqlStep(fmt.Sprintf("CREATE VIEW IF NOT EXISTS %s AS SELECT * FROM %s FINAL", r.from, r.to)))
	}
	return append(steps,
		sqlStep(`CREATE VIEW IF NOT EXISTS captures_current AS
SELECT capture_id, url, fetched_at, status, content_type, charset, payload_digest, payload_length,
       warc_file, warc_offset, warc_length, kind, depth, source_name, source_level, source_region_code, loaded_at
FROM captures`),

		// reports_current: the latest parse of each source URL: the latest
		// fetch, and of parses of the same fetch the latest loaded. The
		// body_key column names the reporting body (level, region code and
		// agency), or the URL itself when the parser could name no body.
		sqlStep(`CREATE VIEW IF NOT EXISTS reports_current AS
SELECT report_id, source_url, capture_id, payload_digest, fetched_at, warc_file, warc_offset,
       agency, level, region_code, year, published_at, template, format, status, parser_version,
       title, index_no, doc_no, publisher, charset, source_name, source_level, source_region_code,
       fact_count, checks_failed, loaded_at,
       if(agency = '' AND region_code = '', concat('url:', source_url),
          concat(level, ':', region_code, ':', agency)) AS body_key
FROM reports
ORDER BY source_url, fetched_at DESC, version DESC
LIMIT 1 BY source_url`),

		// reports_latest: one report per body and year, chosen among
		// reports_current: parsed figures first, then the latest
		// published (a correction replaces the original), then the most
		// figures, then the latest fetched; report_id breaks ties so the
		// choice never depends on load order.
		sqlStep(`CREATE VIEW IF NOT EXISTS reports_latest AS
SELECT *
FROM reports_current
WHERE year IS NOT NULL
ORDER BY body_key, year, status = 'ok' DESC, published_at DESC, fact_count DESC, fetched_at DESC, report_id
LIMIT 1 BY body_key, year`),

		sqlStep(`CREATE VIEW IF NOT EXISTS facts_latest AS
SELECT report_id, agency, level, region_code, year, body_key, metric, applicant, value, approximate, derived,
       loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, template, source_url
FROM (
    SELECT report_id, metric, applicant, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM facts
) AS f
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, template, source_url
    FROM reports_latest
) AS r USING report_id`),

		sqlStep(`CREATE VIEW IF NOT EXISTS checks_latest AS
SELECT report_id, agency, level, region_code, year, body_key, name, metric, applicant, ok, expected, actual, delta,
       source_url
FROM (
    SELECT report_id, name, metric, applicant, ok, expected, actual, delta
    FROM checks
) AS c
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`),

		sqlStep(`CREATE VIEW IF NOT EXISTS alternates_latest AS
SELECT report_id, agency, level, region_code, year, body_key, metric, applicant, ordinal, value, approximate,
       derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, source_url
FROM (
    SELECT report_id, metric, applicant, ordinal, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM fact_alternates
) AS a
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`),
	)
}

// migration4 follows the incremental crawler: captures record whether
// they are responses or revisits (and of what), the validators a
// conditional request needs, and the crawl run that made them; each run
// writes a summary row (crawl_runs) and one row per host
// (crawl_run_hosts). Existing captures read record_type 'response'.
func migration4() []step {
	return []step{
		// captures_current reads captures, which reads capture_rows:
		// views are rebuilt so they carry the new columns.
		sqlStep(`DROP TABLE IF EXISTS captures_current`),
		sqlStep(`DROP TABLE IF EXISTS captures`),
		addColumn{"capture_rows", "record_type", "String DEFAULT 'response'", "source_region_code"},
		addColumn{"capture_rows", "refers_to", "String", "record_type"},
		addColumn{"capture_rows", "etag", "String", "refers_to"},
		addColumn{"capture_rows", "last_modified", "String", "etag"},
		addColumn{"capture_rows", "run_id", "String", "last_modified"},
		sqlStep(`CREATE VIEW IF NOT EXISTS captures AS SELECT * FROM capture_rows FINAL`),
		sqlStep(`CREATE VIEW IF NOT EXISTS captures_current AS
SELECT capture_id, url, fetched_at, status, content_type, charset, payload_digest, payload_length,
       warc_file, warc_offset, warc_length, kind, depth, source_name, source_level, source_region_code,
       record_type, refers_to, etag, last_modified, run_id, loaded_at
FROM captures`),

		sqlStep(`CREATE TABLE IF NOT EXISTS crawl_run_rows (
    run_id String,
    shard String,
    started_at DateTime,
    finished_at DateTime,
    sources UInt64,
    requests UInt64,
    bytes UInt64,
    retries UInt64,
    failures UInt64,
    captures UInt64,
    revisits UInt64,
    reports UInt64,
    parse_errors UInt64,
    error_classes Array(String),
    error_counts Array(UInt64),
    loaded_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (run_id, shard)`),
		sqlStep(`CREATE TABLE IF NOT EXISTS crawl_run_host_rows (
    run_id String,
    shard String,
    host String,
    requests UInt64,
    bytes UInt64,
    failures UInt64,
    tripped UInt8,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (run_id, shard, host)`),
		sqlStep(`CREATE VIEW IF NOT EXISTS crawl_runs AS SELECT * FROM crawl_run_rows FINAL`),
		sqlStep(`CREATE VIEW IF NOT EXISTS crawl_run_hosts AS SELECT * FROM crawl_run_host_rows FINAL`),
	}
}
