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
//     protocol (clickhouse-go), from 18.16 up; with Config.Cluster, a
//     cluster: DDL ON CLUSTER, replicated tables under Distributed ones
//     (see ClusterConfig).
//
// Loads reach chDB as blocks in ClickHouse's Native format and a server
// as whole columns. Export writes a query's result in ClickHouse's own
// Parquet, CSV or JSON Lines output, formatted and streamed by the engine.
//
// The same migrations and the same queries run on both, so the schema uses
// only what ClickHouse 18.16 has: String, integer, Float64, Date, DateTime,
// Nullable and Array types; MergeTree and ReplacingMergeTree engines; no
// window functions, Map, DateTime64, TTL or server-side query parameters
// (Bind substitutes parameters client-side instead).
//
// # Schema
//
// Migrate applies versioned migrations (recorded in schema_migrations).
// A migration is frozen once released; the schema changes by adding one.
// The schema below is that of migration 5 (schema v2).
//
// The loader writes *_rows tables, each a ReplacingMergeTree on a
// deterministic key; the names researchers query are views that read
// them with FINAL, so loading anything twice never shows twice:
//
//   - captures: one row per archived HTTP exchange (capture_id), with its
//     WARC file, offset and record ID, record type (response or revisit),
//     validators and crawl run.
//   - documents: one row per payload digest, from the first capture that
//     archived it.
//   - reports: one row per parse (report_id = ReportID(URL, payload
//     digest, parser version)): metadata, provenance, the agency it was
//     matched to (agency_id, match_status, match_candidates), the sections
//     its figures show and the core figures as columns (see figures()).
//     A new parser version gives new report IDs; old parses stay.
//   - facts, fact_alternates, checks: per report, every figure with its
//     locator, figures stated twice, identity checks. A report's facts
//     and its checks are each stored as one row of parallel arrays
//     (fact_sets since migration 8, check_sets since migration 10), which
//     the facts and checks views ARRAY JOIN back to one row per item.
//   - agencies: every gazetteer division (NBS code) and every department
//     a source registered (REGION/NAME); sources: the crawl registry.
//   - crawl_runs, crawl_run_hosts: what each crawl run did.
//
// Live views: captures_current; reports_current (latest parse per URL);
// reports_latest (one report per agency_key and year; agency_key is the
// agency, or "body:…" for a report no agency matched); facts_latest,
// checks_latest, alternates_latest.
//
// Refresh derives, as of a day, the tables comparisons read, and
// publishes each whole (refreshes records every refresh): agency_years
// (one row per agency and year, expected or reported, with the latest
// report's figures, deadline, the six compliance outcomes, peer ranks and
// the previous year's figures), deadlines, year_summary (agency-years
// counted by level, province and year), report_history (every report
// version with its payload's first capture and the day a later version of
// its URL superseded it, by province and year, for "as published on day
// D") and agency_timeline (agency_years' history columns
// sorted by agency, so one agency's years are adjacent rows). Each is built in a twin, X_next, and its rows
// swapped in with one ALTER TABLE … REPLACE PARTITION, so queries read a
// plain table and never a half-built refresh. Over agency_years are the
// views expected_reports, report_stats (one row per latest report, rates
// beside their denominators) and compliance (one row per agency, year and
// rule).
package warehouse
