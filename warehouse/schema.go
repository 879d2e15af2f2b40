package warehouse

import "strings"

// colType is a column's ClickHouse type, restricted to the portable set
// both engines share (ClickHouse 18.16 lacks LowCardinality, Map,
// DateTime64, window functions, TTL and query parameters).
type colType int

const (
	tString       colType = iota // String; Go string
	tUInt8                       // UInt8; Go uint8 (booleans are 0/1)
	tUInt16                      // UInt16; Go uint16
	tUInt32                      // UInt32; Go uint32
	tUInt64                      // UInt64; Go uint64
	tFloat64                     // Float64; Go float64
	tDateTime                    // DateTime (UTC); Go time.Time
	tNullUInt16                  // Nullable(UInt16); Go *uint16
	tNullDate                    // Nullable(Date); Go *time.Time (UTC midnight)
	tArrayString                 // Array(String); Go []string
	tArrayUInt64                 // Array(UInt64); Go []uint64
	tNullFloat64                 // Nullable(Float64); Go *float64
	tDate                        // Date; Go time.Time (UTC midnight)
	tNullDateTime                // Nullable(DateTime); Go *time.Time
	tArrayFloat64                // Array(Float64); Go []float64
	tArrayUInt8                  // Array(UInt8); Go []uint8
	tArrayUInt32                 // Array(UInt32); Go []uint32
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
	case tArrayString:
		return "Array(String)"
	case tArrayUInt64:
		return "Array(UInt64)"
	case tNullFloat64:
		return "Nullable(Float64)"
	case tDate:
		return "Date"
	case tNullDateTime:
		return "Nullable(DateTime)"
	case tArrayFloat64:
		return "Array(Float64)"
	case tArrayUInt8:
		return "Array(UInt8)"
	case tArrayUInt32:
		return "Array(UInt32)"
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

// The tables the loader writes, in their current shape. Their DDL is in
// migrations() (frozen per version); a test checks that a migrated
// warehouse has exactly these columns, on every engine.
var (
	migrationsTable = &table{name: "schema_migrations", cols: []column{
		{"version", tUInt32},
		{"name", tString},
		{"applied_at", tDateTime},
	}}

	capturesTable = &table{name: "capture_rows", cols: []column{
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
		{"warc_record_id", tString},
		{"kind", tString},
		{"depth", tUInt16},
		{"source_name", tString},
		{"source_level", tString},
		{"source_region_code", tString},
		{"record_type", tString},
		{"refers_to", tString},
		{"etag", tString},
		{"last_modified", tString},
		{"run_id", tString},
		{"loaded_at", tDateTime},
		{"version", tUInt64},
	}}

	crawlRunsTable = &table{name: "crawl_run_rows", cols: []column{
		{"run_id", tString},
		{"shard", tString},
		{"started_at", tDateTime},
		{"finished_at", tDateTime},
		{"sources", tUInt64},
		{"requests", tUInt64},
		{"bytes", tUInt64},
		{"retries", tUInt64},
		{"failures", tUInt64},
		{"captures", tUInt64},
		{"revisits", tUInt64},
		{"reports", tUInt64},
		{"parse_errors", tUInt64},
		{"error_classes", tArrayString},
		{"error_counts", tArrayUInt64},
		{"loaded_at", tDateTime},
		{"version", tUInt64},
	}}

	crawlRunHostsTable = &table{name: "crawl_run_host_rows", cols: []column{
		{"run_id", tString},
		{"shard", tString},
		{"host", tString},
		{"requests", tUInt64},
		{"bytes", tUInt64},
		{"failures", tUInt64},
		{"tripped", tUInt8},
		{"version", tUInt64},
	}}

	reportsTable = &table{name: "report_rows", cols: concatColumns([]column{
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
		{"checks_total", tUInt32},
		{"agency_id", tString},
		{"match_status", tString},
		{"match_method", tString},
		{"match_candidates", tArrayString},
		{"sections", tArrayString},
	}, figureColumns(), []column{
		{"loaded_at", tDateTime},
		{"version", tUInt64},
	})}

	// factsTable held one row per fact until migration 8; it keeps the
	// rows loaded before then, which migration 8 copied to fact_sets, and
	// is no longer written.
	factsTable = &table{name: "fact_rows", cols: []column{
		{"report_id", tString},
		{"metric", tString},
		{"applicant", tString},
		{"value", tFloat64},
		{"approximate", tUInt8},
		{"derived", tUInt8},
		{"loc_table", tString},
		{"loc_row", tString},
		{"loc_column", tString},
		{"loc_start", tUInt32},
		{"loc_end", tUInt32},
		{"loc_text", tString},
		{"version", tUInt64},
	}}

	// factSetsTable holds a report's facts as one row of parallel arrays
	// (element i of every array is fact i), so a load writes and the
	// engine merges one row per report rather than one per figure. The
	// facts view ARRAY JOINs it back to one row per fact.
	factSetsTable = &table{name: "fact_sets", cols: []column{
		{"report_id", tString},
		{"metric", tArrayString},
		{"applicant", tArrayString},
		{"value", tArrayFloat64},
		{"approximate", tArrayUInt8},
		{"derived", tArrayUInt8},
		{"loc_table", tArrayString},
		{"loc_row", tArrayString},
		{"loc_column", tArrayString},
		{"loc_start", tArrayUInt32},
		{"loc_end", tArrayUInt32},
		{"loc_text", tArrayString},
		{"version", tUInt64},
	}}

	alternatesTable = &table{name: "alternate_rows", cols: []column{
		{"report_id", tString},
		{"metric", tString},
		{"applicant", tString},
		{"ordinal", tUInt16},
		{"value", tFloat64},
		{"approximate", tUInt8},
		{"derived", tUInt8},
		{"loc_table", tString},
		{"loc_row", tString},
		{"loc_column", tString},
		{"loc_start", tUInt32},
		{"loc_end", tUInt32},
		{"loc_text", tString},
		{"version", tUInt64},
	}}

	// checksTable held one row per check until migration 10; it keeps
	// those rows and is no longer written.
	checksTable = &table{name: "check_rows", cols: []column{
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

	// checkSetsTable holds a report's checks as one row of parallel
	// arrays, as factSetsTable its facts; the checks view ARRAY JOINs it.
	checkSetsTable = &table{name: "check_sets", cols: []column{
		{"report_id", tString},
		{"name", tArrayString},
		{"metric", tArrayString},
		{"applicant", tArrayString},
		{"ok", tArrayUInt8},
		{"expected", tArrayFloat64},
		{"actual", tArrayFloat64},
		{"delta", tArrayFloat64},
		{"version", tUInt64},
	}}
)

// Views returns the names of the views the migrations define, for callers
// (dashboards, tests) that check their SQL against the schema.
func Views() []string {
	return []string{"captures", "reports", "facts", "checks", "fact_alternates",
		"captures_current", "reports_current", "reports_latest", "facts_latest", "checks_latest", "alternates_latest",
		"crawl_runs", "crawl_run_hosts",
		"documents", "agencies", "sources", "refreshes", "expected_reports", "report_stats", "compliance"}
}

// Tables returns the names of the tables the migrations define.
func Tables() []string {
	var out []string
	for _, t := range loaderTables() {
		out = append(out, t.name)
	}
	return out
}

// loaderTables returns every table the loader and Refresh write,
// schema_migrations first.
func loaderTables() []*table {
	out := []*table{migrationsTable, capturesTable, reportsTable, factsTable, factSetsTable, checksTable, checkSetsTable,
		alternatesTable,
		crawlRunsTable, crawlRunHostsTable, documentsTable, agenciesTable, sourcesTable, refreshesTable, agencyYearStage}
	for _, p := range publications() {
		out = append(out, p.next, p.table())
	}
	return out
}
