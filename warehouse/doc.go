// Package warehouse stores parsed annual reports in ClickHouse and answers
// read-only SQL over them.
//
// Two transports sit behind one API, chosen by the DSN:
//
//   - chdb://DIR, the default (chdb://./nianbao-data/warehouse): ClickHouse
//     embedded in the process through libchdb.so, loaded lazily with
//     purego when a chdb warehouse is opened, so programs that never open
//     one run without the library. One process may hold a data directory,
//     and a process may have one chdb warehouse open at a time.
//   - clickhouse://host:port/db: a ClickHouse server over the native
//     protocol (clickhouse-go), from 18.16 up.
//
// The same migrations and the same queries run on both, so the schema uses
// only what ClickHouse 18.16 has: String, integer, Float64, Date, DateTime,
// Nullable and Array types; MergeTree and ReplacingMergeTree engines; no
// window functions, Map, DateTime64, TTL or server-side query parameters
// (Bind substitutes parameters client-side instead).
//
// # Schema
//
// Migrate applies versioned migrations (recorded in schema_migrations);
// the schema below is that of migration 2.
//
// Tables, each a ReplacingMergeTree(version) on a deterministic key, so
// loading the same data twice leaves query results unchanged:
//
//   - captures: one row per archived HTTP exchange (capture_id).
//   - reports: one row per parsed report (report_id = ReportID(URL,
//     payload digest, parser version)), with its provenance.
//   - facts: one row per figure (report_id, metric, applicant): value,
//     approximate, derived, and the locator of where the report states it
//     (loc_table, loc_row, loc_column, loc_start, loc_end, loc_text).
//   - fact_alternates: figures stated a second time with another value or
//     in another place (report_id, metric, applicant, ordinal).
//   - checks: one row per identity check of a report.
//
// Views, reading the tables with FINAL:
//
//   - captures_current: every capture once.
//   - reports_current: the latest parse of each source URL.
//   - reports_latest: one report per reporting body (body_key) and year.
//   - facts_latest, alternates_latest, checks_latest: the facts,
//     alternates and checks of reports_latest, with the body and year
//     beside each row.
//
// Query the views; the tables may hold superseded rows until ClickHouse
// merges them.
package warehouse
