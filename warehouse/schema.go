package warehouse

import "strings"

// colType is a column's ClickHouse type, restricted to the portable set
// both engines share (ClickHouse 18.16 lacks LowCardinality, Map,
// DateTime64, window functions, TTL and query parameters).
type colType int

const (
	tString     colType = iota // String; Go string
	tUInt8                     // UInt8; Go uint8 (booleans are 0/1)
	tUInt16                    // UInt16; Go uint16
	tUInt32                    // UInt32; Go uint32
	tUInt64                    // UInt64; Go uint64
	tFloat64                   // Float64; Go float64
	tDateTime                  // DateTime (UTC); Go time.Time
	tNullUInt16                // Nullable(UInt16); Go *uint16
	tNullDate                  // Nullable(Date); Go *time.Time (UTC midnight)
)

// String returns the ClickHouse type name.
func (t colType) String() string {
	switch t {
	case tString:
		return "String"
	case tUInt8:
		return "UInt8"
	case tUInt16:
		return "UInt16"
	case tUInt32:
		return "UInt32"
	case tUInt64:
		return "UInt64"
	case tFloat64:
		return "Float64"
	case tDateTime:
		return "DateTime"
	case tNullUInt16:
		return "Nullable(UInt16)"
	case tNullDate:
		return "Nullable(Date)"
	}
	return "?"
}

// column is one column of a table as the loader writes it.
type column struct {
	name string
	typ  colType
}

// table is a table the loader writes: its columns in insert order, which is
// also the order of values in each row.
type table struct {
	name string
	cols []column
}

// columnList returns "(a, b, c)" for an INSERT.
func (t *table) columnList() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return "(" + strings.Join(names, ", ") + ")"
}

// The tables the loader writes. Their DDL is in migrations(); a test
// checks the two agree on both engines.
var (
	migrationsTable = &table{name: "schema_migrations", cols: []column{
		{"version", tUInt32},
		{"name", tString},
		{"applied_at", tDateTime},
	}}

	capturesTable = &table{name: "captures", cols: []column{
		{"capture_id", tString},
		{"url", tString},
		{"fetched_at", tDateTime},
		{"status", tUInt16},
		{"content_type", tString},
		{"charset", tString},
		{"payload_digest", tString},
		{"payload_length", tUInt64},
		{"warc_file", tString},
		{"warc_offset", tUInt64},
		{"warc_length", tUInt64},
		{"kind", tString},
		{"depth", tUInt16},
		{"source_name", tString},
		{"source_level", tString},
		{"source_region_code", tString},
		{"loaded_at", tDateTime},
		{"version", tUInt64},
	}}

	reportsTable = &table{name: "reports", cols: []column{
		{"report_id", tString},
		{"source_url", tString},
		{"capture_id", tString},
		{"payload_digest", tString},
		{"fetched_at", tDateTime},
		{"warc_file", tString},
		{"warc_offset", tUInt64},
		{"agency", tString},
		{"level", tString},
		{"region_code", tString},
		{"year", tNullUInt16},
		{"published_at", tNullDate},
		{"template", tString},
		{"format", tString},
		{"status", tString},
		{"parser_version", tString},
		{"title", tString},
		{"index_no", tString},
		{"doc_no", tString},
		{"publisher", tString},
		{"charset", tString},
		{"source_name", tString},
		{"source_level", tString},
		{"source_region_code", tString},
		{"fact_count", tUInt32},
		{"checks_failed", tUInt32},
		{"loaded_at", tDateTime},
		{"version", tUInt64},
	}}

	factsTable = &table{name: "facts", cols: []column{
		{"report_id", tString},
		{"metric", tString},
		{"applicant", tString},
		{"value", tFloat64},
		{"approximate", tUInt8},
		{"loc_table", tString},
		{"loc_row", tString},
		{"loc_column", tString},
		{"loc_start", tUInt32},
		{"loc_end", tUInt32},
		{"version", tUInt64},
	}}

	checksTable = &table{name: "checks", cols: []column{
		{"report_id", tString},
		{"name", tString},
		{"metric", tString},
		{"applicant", tString},
		{"ok", tUInt8},
		{"expected", tFloat64},
		{"actual", tFloat64},
		{"delta", tFloat64},
		{"version", tUInt64},
	}}
)

// createTable returns the DDL of a loader table: the columns of t, then
// engine is the ENGINE clause.
func createTable(t *table, engine string) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ")
	b.WriteString(t.name)
	b.WriteString(" (\n")
	for i, c := range t.cols {
		b.WriteString("    ")
		b.WriteString(c.name)
		b.WriteByte(' ')
		b.WriteString(c.typ.String())
		if i < len(t.cols)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(") ENGINE = ")
	b.WriteString(engine)
	return b.String()
}

// migration is one versioned schema change. Its statements are each
// idempotent (IF NOT EXISTS), so a migration interrupted half-way is simply
// run again: neither engine has DDL transactions.
type migration struct {
	version    int
	name       string
	statements []string
}

// migrationsDDL creates the table that records applied migrations.
func migrationsDDL() string {
	return createTable(migrationsTable, "MergeTree ORDER BY version")
}

// migrations returns every schema migration in order. The same DDL runs on
// chDB and on ClickHouse servers back to 18.16: portable types, MergeTree
// and ReplacingMergeTree(version) engines with ORDER BY, plain views.
//
// Deduplication: every loader table is a ReplacingMergeTree whose ORDER BY
// is a deterministic key (capture_id; report_id; report_id + metric +
// applicant; report_id + check), so loading the same thing twice leaves
// one row per key once merged, and the views read with FINAL so duplicates
// never show even before a merge.
func migrations() []migration {
	return []migration{{
		version: 1,
		name:    "captures, reports, facts, checks and their current views",
		statements: []string{
			createTable(capturesTable, "ReplacingMergeTree(version) ORDER BY capture_id"),
			createTable(reportsTable, "ReplacingMergeTree(version) ORDER BY report_id"),
			createTable(factsTable, "ReplacingMergeTree(version) ORDER BY (report_id, metric, applicant)"),
			createTable(checksTable, "ReplacingMergeTree(version) ORDER BY (report_id, name, metric, applicant)"),

			// captures_current: every capture once.
			`CREATE VIEW IF NOT EXISTS captures_current AS
SELECT capture_id, url, fetched_at, status, content_type, charset, payload_digest, payload_length,
       warc_file, warc_offset, warc_length, kind, depth, source_name, source_level, source_region_code, loaded_at
FROM captures FINAL`,

			// reports_current: the latest parse of each source URL: the latest
			// fetch, and of parses of the same fetch the latest loaded. The
			// body_key column names the reporting body (level, region code and
			// agency), or the URL itself when the parser could name no body.
			`CREATE VIEW IF NOT EXISTS reports_current AS
SELECT report_id, source_url, capture_id, payload_digest, fetched_at, warc_file, warc_offset,
       agency, level, region_code, year, published_at, template, format, status, parser_version,
       title, index_no, doc_no, publisher, charset, source_name, source_level, source_region_code,
       fact_count, checks_failed, loaded_at,
       if(agency = '' AND region_code = '', concat('url:', source_url),
          concat(level, ':', region_code, ':', agency)) AS body_key
FROM reports FINAL
ORDER BY source_url, fetched_at DESC, version DESC
LIMIT 1 BY source_url`,

			// reports_latest: one report per body and year, chosen among
			// reports_current: parsed figures first, then the latest
			// published (a correction replaces the original), then the most
			// figures, then the latest fetched; report_id breaks ties so the
			// choice never depends on load order.
			`CREATE VIEW IF NOT EXISTS reports_latest AS
SELECT *
FROM reports_current
WHERE year IS NOT NULL
ORDER BY body_key, year, status = 'ok' DESC, published_at DESC, fact_count DESC, fetched_at DESC, report_id
LIMIT 1 BY body_key, year`,

			// facts_latest: the figures of reports_latest, with the body and
			// year beside each.
			`CREATE VIEW IF NOT EXISTS facts_latest AS
SELECT report_id, agency, level, region_code, year, body_key, metric, applicant, value, approximate,
       loc_table, loc_row, loc_column, loc_start, loc_end, template, source_url
FROM (
    SELECT report_id, metric, applicant, value, approximate, loc_table, loc_row, loc_column, loc_start, loc_end
    FROM facts FINAL
) AS f
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, template, source_url
    FROM reports_latest
) AS r USING report_id`,

			// checks_latest: the identity checks of reports_latest.
			`CREATE VIEW IF NOT EXISTS checks_latest AS
SELECT report_id, agency, level, region_code, year, body_key, name, metric, applicant, ok, expected, actual, delta,
       source_url
FROM (
    SELECT report_id, name, metric, applicant, ok, expected, actual, delta
    FROM checks FINAL
) AS c
ALL INNER JOIN (
    SELECT report_id, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`,
		},
	}}
}

// Views returns the names of the views the migrations define, for callers
// (dashboards, tests) that check their SQL against the schema.
func Views() []string {
	return []string{"captures_current", "reports_current", "reports_latest", "facts_latest", "checks_latest"}
}

// Tables returns the names of the tables the migrations define.
func Tables() []string {
	return []string{migrationsTable.name, capturesTable.name, reportsTable.name, factsTable.name, checksTable.name}
}
