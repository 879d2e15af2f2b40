package warehouse

import (
	"context"
	"fmt"
	"strings"
)

// migration5 is schema v2:
//
//   - captures gain warc_record_id (so a payload is read back from the
//     archive by record, not just by offset); documents hold one row per
//     payload digest, the first capture that archived it.
//   - reports gain their agency (agency_id, match_status, match_method,
//     match_candidates: see package agency), checks_total, the sections
//     their figures show, and the core figures as columns (one per
//     figures() entry, NULL when not stated).
//   - agencies: every gazetteer division and every registered department;
//     sources: the crawl source registry.
//   - reports_current and reports_latest choose per agency (agency_key:
//     the agency_id, or "body:" + body_key for a report no agency matched).
//   - Refresh's tables: deadline_rows, agency_year_stage, agency_year_rows
//     and refresh_rows, each partitioned by refresh so that a refresh is
//     published whole (refresh_rows names the latest) and older ones are
//     dropped by partition; and the views over them: agency_years,
//     expected_reports, report_stats, compliance, deadlines, refreshes.
func migration5() []step {
	figs := []string{
		"requests_new",
		"requests_carried_over",
		"granted",
		"partial",
		"refused",
		"refused_state_secret",
		"refused_law_prohibited",
		"refused_security_stability",
		"refused_third_party",
		"refused_internal_affairs",
		"refused_process_info",
		"refused_enforcement_file",
		"refused_inquiry",
		"unavailable",
		"not_processed",
		"other_handling",
		"answered",
		"carried_forward",
		"reviews_upheld",
		"reviews_corrected",
		"reviews_other",
		"reviews_pending",
		"reviews_total",
		"lawsuits_direct_total",
		"lawsuits_after_review_total",
		"lawsuits_total",
		"proactive_items",
		"fees_amount",
	}
	steps := []step{}
	for _, v := range []string{"alternates_latest", "checks_latest", "facts_latest", "reports_latest", "reports_current",
		"captures_current", "captures", "reports"} {
		steps = append(steps, sqlStep("DROP TABLE IF EXISTS "+v))
	}
	reportCols := [][2]string{
		{"checks_total", "UInt32"},
		{"agency_id", "String"},
		{"match_status", "String"},
		{"match_method", "String"},
		{"match_candidates", "Array(String)"},
		{"sections", "Array(String)"},
	}
	for _, f := range figs {
		reportCols = append(reportCols, [2]string{f, "Nullable(Float64)"})
	}
	steps = append(steps,
		addColumns{"capture_rows", "warc_length", [][2]string{{"warc_record_id", "String"}}},
		addColumns{"report_rows", "checks_failed", reportCols},
		sqlStep(`CREATE VIEW IF NOT EXISTS captures AS SELECT * FROM capture_rows FINAL`),
		sqlStep(`CREATE VIEW IF NOT EXISTS reports AS SELECT * FROM report_rows FINAL`),
		sqlStep(`CREATE VIEW IF NOT EXISTS captures_current AS
SELECT capture_id, url, fetched_at, status, content_type, charset, payload_digest, payload_length,
       warc_file, warc_offset, warc_length, warc_record_id, kind, depth, source_name, source_level, source_region_code,
       record_type, refers_to, etag, last_modified, run_id, loaded_at
FROM captures`),

		// reports_current: the latest parse of each source URL (the latest
		// fetch; of parses of one fetch, the latest loaded). body_key names
		// the body as the report does; agency_key is the matched agency,
		// else the body.
		sqlStep(`CREATE VIEW IF NOT EXISTS reports_current AS
SELECT report_id, source_url, capture_id, payload_digest, fetched_at, warc_file, warc_offset,
       agency, level, region_code, year, published_at, template, format, status, parser_version,
       title, index_no, doc_no, publisher, charset, source_name, source_level, source_region_code,
       fact_count, checks_failed, checks_total, agency_id, match_status, match_method, match_candidates, sections,
       requests_new, requests_carried_over, granted, partial, refused, refused_state_secret,
       refused_law_prohibited, refused_security_stability, refused_third_party, refused_internal_affairs,
       refused_process_info, refused_enforcement_file, refused_inquiry, unavailable, not_processed,
       other_handling, answered, carried_forward, reviews_upheld, reviews_corrected, reviews_other,
       reviews_pending, reviews_total, lawsuits_direct_total, lawsuits_after_review_total, lawsuits_total,
       proactive_items, fees_amount,
       loaded_at,
       if(agency = '' AND region_code = '', concat('url:', source_url),
          concat(level, ':', region_code, ':', agency)) AS body_key,
       if(agency_id != '', agency_id, concat('body:', body_key)) AS agency_key
FROM reports
ORDER BY source_url, fetched_at DESC, version DESC
LIMIT 1 BY source_url`),

		// reports_latest: one report per agency and year, chosen among
		// reports_current: parsed figures first, then the latest published
		// (a correction replaces the original), then the most figures, then
		// the latest fetched; report_id breaks ties.
		sqlStep(`CREATE VIEW IF NOT EXISTS reports_latest AS
SELECT *
FROM reports_current
WHERE year IS NOT NULL
ORDER BY agency_key, year, status = 'ok' DESC, published_at DESC, fact_count DESC, fetched_at DESC, report_id
LIMIT 1 BY agency_key, year`),

		sqlStep(`CREATE VIEW IF NOT EXISTS facts_latest AS
SELECT report_id, agency_id, agency_key, agency, level, region_code, year, body_key, metric, applicant, value,
       approximate, derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, template, source_url
FROM (
    SELECT report_id, metric, applicant, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM facts
) AS f
ALL INNER JOIN (
    SELECT report_id, agency_id, agency_key, agency, level, region_code, year, body_key, template, source_url
    FROM reports_latest
) AS r USING report_id`),

		sqlStep(`CREATE VIEW IF NOT EXISTS checks_latest AS
SELECT report_id, agency_id, agency_key, agency, level, region_code, year, body_key, name, metric, applicant, ok,
       expected, actual, delta, source_url
FROM (
    SELECT report_id, name, metric, applicant, ok, expected, actual, delta
    FROM checks
) AS c
ALL INNER JOIN (
    SELECT report_id, agency_id, agency_key, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`),

		sqlStep(`CREATE VIEW IF NOT EXISTS alternates_latest AS
SELECT report_id, agency_id, agency_key, agency, level, region_code, year, body_key, metric, applicant, ordinal, value,
       approximate, derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text, source_url
FROM (
    SELECT report_id, metric, applicant, ordinal, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM fact_alternates
) AS a
ALL INNER JOIN (
    SELECT report_id, agency_id, agency_key, agency, level, region_code, year, body_key, source_url
    FROM reports_latest
) AS r USING report_id`),

		// documents: one row per payload, from the first capture that
		// archived it (earliness = 2^32-1 - fetched_at, so the earliest
		// capture has the highest version).
		sqlStep(`CREATE TABLE IF NOT EXISTS document_rows (
    payload_digest String,
    payload_length UInt64,
    content_type String,
    first_url String,
    first_fetched_at DateTime,
    capture_id String,
    warc_file String,
    warc_offset UInt64,
    warc_length UInt64,
    warc_record_id String,
    earliness UInt32
) ENGINE = ReplacingMergeTree(earliness) ORDER BY payload_digest`),
		sqlStep(`CREATE VIEW IF NOT EXISTS documents AS
SELECT payload_digest, payload_length, content_type, first_url, first_fetched_at, capture_id,
       warc_file, warc_offset, warc_length, warc_record_id
FROM document_rows FINAL`),

		sqlStep(`CREATE TABLE IF NOT EXISTS agency_rows (
    agency_id String,
    name String,
    level String,
    region_code String,
    parent_id String,
    province_code String,
    city_code String,
    county_code String,
    chain Array(String),
    placeholder UInt8,
    origin String,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY agency_id`),
		sqlStep(`CREATE VIEW IF NOT EXISTS agencies AS SELECT * FROM agency_rows FINAL`),

		sqlStep(`CREATE TABLE IF NOT EXISTS source_rows (
    name String,
    level String,
    region_code String,
    start_urls Array(String),
    agency_id String,
    registered_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (level, region_code, name)`),
		sqlStep(`CREATE VIEW IF NOT EXISTS sources AS SELECT * FROM source_rows FINAL`),

		sqlStep(`CREATE TABLE IF NOT EXISTS refresh_rows (
    refresh UInt64,
    started_at DateTime,
    finished_at DateTime,
    as_of Date,
    first_year UInt16,
    last_year UInt16,
    grace_days UInt16,
    township_deadlines Array(String),
    agency_years UInt64,
    reports UInt64
) ENGINE = MergeTree ORDER BY refresh`),
		sqlStep(`CREATE VIEW IF NOT EXISTS refreshes AS SELECT * FROM refresh_rows`),

		sqlStep(`CREATE TABLE IF NOT EXISTS deadline_rows (
    refresh UInt64,
    level String,
    province_code String,
    year UInt16,
    deadline Date,
    due_by Date,
    rule String
) ENGINE = MergeTree PARTITION BY refresh ORDER BY (level, province_code, year)`),
		sqlStep(`CREATE VIEW IF NOT EXISTS deadlines AS
SELECT level, province_code, year, deadline, due_by, rule
FROM deadline_rows
WHERE refresh = (SELECT max(refresh) FROM refresh_rows)`),
	)
	for _, t := range []string{"agency_year_stage", "agency_year_rows"} {
		steps = append(steps, sqlStep(fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
    refresh UInt64,
    agency_key String,
    agency_id String,
    name String,
    level String,
    region_code String,
    parent_id String,
    province_code String,
    city_code String,
    county_code String,
    peer_group String,
    year UInt16,
    expected UInt8,
    report_id String,
    reports UInt32,
    source_url String,
    capture_id String,
    warc_file String,
    warc_offset UInt64,
    template String,
    format String,
    status String,
    parser_version String,
    match_status String,
    title String,
    published_at Nullable(Date),
    first_seen Nullable(DateTime),
    fetched_at Nullable(DateTime),
    fact_count UInt32,
    checks_failed UInt32,
    checks_total UInt32,
    sections Array(String),
    payloads UInt32,
    requests_new Nullable(Float64),
    requests_carried_over Nullable(Float64),
    granted Nullable(Float64),
    partial Nullable(Float64),
    refused Nullable(Float64),
    refused_state_secret Nullable(Float64),
    refused_law_prohibited Nullable(Float64),
    refused_security_stability Nullable(Float64),
    refused_third_party Nullable(Float64),
    refused_internal_affairs Nullable(Float64),
    refused_process_info Nullable(Float64),
    refused_enforcement_file Nullable(Float64),
    refused_inquiry Nullable(Float64),
    unavailable Nullable(Float64),
    not_processed Nullable(Float64),
    other_handling Nullable(Float64),
    answered Nullable(Float64),
    carried_forward Nullable(Float64),
    reviews_upheld Nullable(Float64),
    reviews_corrected Nullable(Float64),
    reviews_other Nullable(Float64),
    reviews_pending Nullable(Float64),
    reviews_total Nullable(Float64),
    lawsuits_direct_total Nullable(Float64),
    lawsuits_after_review_total Nullable(Float64),
    lawsuits_total Nullable(Float64),
    proactive_items Nullable(Float64),
    fees_amount Nullable(Float64),
    deadline Nullable(Date),
    due_by Nullable(Date),
    deadline_rule String,
    evidence String,
    evidence_date Nullable(Date),
    missing_sections Array(String),
    on_time String,
    missing String,
    incomplete String,
    inconsistent String,
    edited String,
    no_data String,
    grant_rate_rank UInt32,
    refusal_rate_rank UInt32,
    requests_rank UInt32,
    peers UInt32,
    peers_expected UInt32,
    prev_report_id String,
    prev_requests_new Nullable(Float64),
    prev_answered Nullable(Float64),
    prev_granted Nullable(Float64),
    prev_partial Nullable(Float64),
    prev_refused Nullable(Float64),
    prev_reviews_total Nullable(Float64),
    prev_reviews_corrected Nullable(Float64),
    prev_lawsuits_total Nullable(Float64)
) ENGINE = MergeTree PARTITION BY refresh ORDER BY (province_code, year, level, agency_key)`, t)))
	}
	return append(steps,
		// agency_years: the latest published refresh.
		sqlStep(`CREATE VIEW IF NOT EXISTS agency_years AS
SELECT *
FROM agency_year_rows
WHERE refresh = (SELECT max(refresh) FROM refresh_rows)`),

		// expected_reports: every agency and year a report is due for, and
		// whether one is present.
		sqlStep(`CREATE VIEW IF NOT EXISTS expected_reports AS
SELECT agency_id, name, level, region_code, parent_id, province_code, city_code, county_code, year,
       report_id != '' AS present, report_id, deadline, due_by, missing
FROM agency_years
WHERE expected = 1`),

		// report_stats: one row per latest report (per agency and year),
		// with its figures, rates beside their denominators, peer ranks and
		// the change from the previous year.
		sqlStep(`CREATE VIEW IF NOT EXISTS report_stats AS
SELECT *,
       if(ifNull(answered, 0) > 0, (granted + partial) / answered, NULL) AS grant_rate,
       if(ifNull(answered, 0) > 0, refused / answered, NULL) AS refusal_rate,
       if(ifNull(reviews_total, 0) > 0, reviews_corrected / reviews_total, NULL) AS review_correction_rate,
       if(ifNull(requests_new, 0) > 0, lawsuits_total * 100 / requests_new, NULL) AS lawsuits_per_100_requests,
       if(ifNull(prev_answered, 0) > 0, (prev_granted + prev_partial) / prev_answered, NULL) AS prev_grant_rate,
       if(ifNull(prev_answered, 0) > 0, prev_refused / prev_answered, NULL) AS prev_refusal_rate,
       requests_new - prev_requests_new AS requests_new_change,
       grant_rate - prev_grant_rate AS grant_rate_change,
       refusal_rate - prev_refusal_rate AS refusal_rate_change
FROM agency_years
WHERE report_id != ''`),

		// compliance: one row per (agency, year, rule).
		sqlStep(`CREATE VIEW IF NOT EXISTS compliance AS
SELECT agency_key, agency_id, name, level, region_code, parent_id, province_code, city_code, county_code, year,
       expected, report_id, rule, outcome, detail
FROM agency_years
ARRAY JOIN
    ['on_time', 'missing', 'incomplete', 'inconsistent', 'edited', 'no_data'] AS rule,
    [on_time, missing, incomplete, inconsistent, edited, no_data] AS outcome,
    [if(evidence = '', '', concat(evidence, ' ', toString(assumeNotNull(evidence_date)),
                                  ', deadline ', toString(assumeNotNull(deadline)))),
     if(due_by IS NULL, '', concat('due by ', toString(assumeNotNull(due_by)))),
     arrayStringConcat(missing_sections, ','),
     if(report_id = '', '', concat(toString(checks_failed), ' of ', toString(checks_total), ' checks failed')),
     if(report_id = '', '', concat(toString(payloads), ' payloads at the URL')),
     status] AS detail`),
	)
}

// migration6 adds year_summary_rows, which Refresh fills from agency_years:
// per refresh, level, province and year, the counts and sums the national
// and provincial trends add up, so that they read a few thousand rows
// instead of every agency-year.
func migration6() []step {
	return []step{
		sqlStep(`CREATE TABLE IF NOT EXISTS year_summary_rows (
    refresh UInt64,
    level String,
    province_code String,
    year UInt16,
    expected UInt64,
    present UInt64,
    missing UInt64,
    late UInt64,
    inconsistent UInt64,
    refusal_answered Float64,
    refused Float64,
    grant_answered Float64,
    granted_or_partial Float64
) ENGINE = MergeTree PARTITION BY refresh ORDER BY (level, year, province_code)`),
		sqlStep(`CREATE VIEW IF NOT EXISTS year_summary AS
SELECT level, province_code, year, expected, present, missing, late, inconsistent, refusal_answered, refused,
       grant_answered, granted_or_partial
FROM year_summary_rows
WHERE refresh = (SELECT max(refresh) FROM refresh_rows)`),
	}
}

// migration7 adds report_history_rows, which Refresh fills from report_rows
// and capture_rows: every report version loaded, with its payload's first
// capture at its URL, ordered by province and year, so that "as published
// on day D" for a region reads that region's rows rather than every
// report (report_rows is ordered by report ID).
func migration7() []step {
	return []step{
		sqlStep(`CREATE TABLE IF NOT EXISTS report_history_rows (
    refresh UInt64,
    province_code String,
    year UInt16,
    agency_key String,
    source_url String,
    payload_digest String,
    first_fetched DateTime,
    report_id String,
    version UInt64,
    agency String,
    agency_id String,
    level String,
    region_code String,
    published_at Nullable(Date),
    status String,
    fact_count UInt32,
    requests_new Nullable(Float64),
    answered Nullable(Float64),
    refused Nullable(Float64),
    parser_version String
) ENGINE = MergeTree PARTITION BY refresh ORDER BY (province_code, year, agency_key)`),
		sqlStep(`CREATE VIEW IF NOT EXISTS report_history AS
SELECT province_code, year, agency_key, source_url, payload_digest, first_fetched, report_id, version, agency,
       agency_id, level, region_code, published_at, status, fact_count, requests_new, answered, refused,
       parser_version
FROM report_history_rows
WHERE refresh = (SELECT max(refresh) FROM refresh_rows)`),
	}
}

// factColumns are the columns of a fact, in the facts view's order: in
// fact_sets each is an array, element i of every array being fact i.
const factColumns = "metric, applicant, value, approximate, derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text"

// migration8 stores a report's facts as one row of parallel arrays
// (fact_sets, keyed by report_id) rather than one row per fact: a load
// then writes, and the engine merges, one row per report instead of
// about fifty, which was most of what a national load cost. The facts
// view ARRAY JOINs the arrays back into one row per fact, with the same
// columns as before. The rows already in fact_rows are copied (a copy
// run twice leaves one row per report, as fact_sets is replacing); the
// table keeps them and is no longer written.
func migration8() []step {
	return arraySetSteps(`CREATE TABLE IF NOT EXISTS fact_sets (
    report_id String,
    metric Array(String),
    applicant Array(String),
    value Array(Float64),
    approximate Array(UInt8),
    derived Array(UInt8),
    loc_table Array(String),
    loc_row Array(String),
    loc_column Array(String),
    loc_start Array(UInt32),
    loc_end Array(UInt32),
    loc_text Array(String),
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY report_id`, "fact_sets", "fact_rows", "facts", factColumns)
}

// arraySetSteps are the steps that move a per-report table of rows (rows,
// one row per item keyed by report_id) to one row of parallel arrays per
// report: create sets (by the DDL create), copy rows into it grouped by
// report, and make view, which read rows before, ARRAY JOIN sets back to
// one row per item with the same columns (report_id, columns, version).
func arraySetSteps(create, sets, rows, view, columns string) []step {
	groups := make([]string, 0, strings.Count(columns, ",")+1)
	for _, c := range strings.Split(columns, ", ") {
		groups = append(groups, "groupArray("+c+")")
	}
	return []step{
		sqlStep(create),
		sqlStep(`INSERT INTO ` + sets + ` (report_id, ` + columns + `, version)
SELECT report_id, ` + strings.Join(groups, ", ") + `, max(version)
FROM ` + rows + ` FINAL
GROUP BY report_id`),
		sqlStep("DROP TABLE IF EXISTS " + view),
		sqlStep(`CREATE VIEW IF NOT EXISTS ` + view + ` AS
SELECT report_id, ` + columns + `, version
FROM ` + sets + ` FINAL
ARRAY JOIN ` + columns),
	}
}

// checkColumns are the columns of a check, in the checks view's order: in
// check_sets each is an array, element i of every array being check i.
const checkColumns = "name, metric, applicant, ok, expected, actual, delta"

// migration10 stores a report's checks as one row of parallel arrays
// (check_sets), as migration 8 did its facts: a national load writes about
// ten checks per report, and one row per check cost the engine a sort and
// a merge of 24 million rows keyed by four strings. The checks view ARRAY
// JOINs the arrays back into one row per check, with the same columns as
// before. The rows in check_rows are copied (a copy run twice leaves one
// row per report); the table keeps them and is no longer written.
func migration10() []step {
	return arraySetSteps(`CREATE TABLE IF NOT EXISTS check_sets (
    report_id String,
    name Array(String),
    metric Array(String),
    applicant Array(String),
    ok Array(UInt8),
    expected Array(Float64),
    actual Array(Float64),
    delta Array(Float64),
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY report_id`, "check_sets", "check_rows", "checks", checkColumns)
}

// migration9 turns the views agency_years, year_summary, report_history
// and deadlines into tables. Each view read the latest refresh out of a
// table partitioned by refresh (WHERE refresh = (SELECT max(refresh) FROM
// refresh_rows)), which cost every query that read it about 10 ms: most
// of a one-province dashboard query. Refresh now writes each into an
// unpartitioned twin, X_next, and swaps its rows into X with ALTER TABLE X
// REPLACE PARTITION tuple() FROM X_next, one atomic statement per table,
// which ClickHouse 18.16 has too. The latest refresh's rows are carried
// over; the partitioned tables are dropped.
func migration9() []step {
	var steps []step
	for _, p := range publicationsV9() {
		steps = append(steps, sqlStep(p.ddl(p.next.name)), viewToTable{p})
	}
	for _, p := range publicationsV9() {
		steps = append(steps, sqlStep("DROP TABLE IF EXISTS "+p.old))
	}
	return steps
}

// viewToTable replaces the view p.name by a table holding what it showed,
// through p.next. Run again after it finished, it changes nothing; after
// it stopped half way, it finishes.
type viewToTable struct{ p publication }

func (v viewToTable) apply(ctx context.Context, e engine) error {
	p := v.p
	r, err := e.query(ctx, fmt.Sprintf(
		"SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name IN (%s, %s)",
		quoteString(p.name), quoteString(p.old)))
	if err != nil {
		return err
	}
	engines := map[string]string{}
	for _, row := range r.Rows {
		engines[row[0].(string)] = row[1].(string)
	}
	if kind := engines[p.name]; kind == "" || kind == "View" {
		stmts := []string{"TRUNCATE TABLE " + p.next.name}
		if engines[p.old] != "" {
			cols := columnNames(p.next.cols)
			stmts = append(stmts, "INSERT INTO "+p.next.name+" ("+cols+")\nSELECT "+cols+"\nFROM "+p.old+
				"\nWHERE refresh = (SELECT max(refresh) FROM refresh_rows)")
		}
		stmts = append(stmts, "DROP TABLE IF EXISTS "+p.name, p.ddl(p.name))
		for _, s := range stmts {
			if err := e.exec(ctx, s); err != nil {
				return err
			}
		}
	} else {
		// The table exists: publish what an interrupted run left in
		// next, if anything.
		n, err := e.query(ctx, "SELECT count() FROM "+p.next.name)
		if err != nil {
			return err
		}
		if len(n.Rows) != 1 || n.Rows[0][0] == uint64(0) {
			return nil
		}
	}
	if err := p.publish(ctx, e); err != nil {
		return err
	}
	return e.exec(ctx, "TRUNCATE TABLE "+p.next.name)
}

// migration11 adds agency_timeline, the publication agency_history reads
// (see agencyTimeline), and fills it from agency_years, so that a
// warehouse refreshed before the migration shows the same history.
func migration11() []step {
	p := agencyTimeline()
	return []step{sqlStep(p.ddl(p.next.name)), sqlStep(p.ddl(p.name)), refill{p.table(), "agency_years"}}
}

// refill replaces the rows of t by its columns' values in the table from:
// run again, it copies them again.
type refill struct {
	t    *table
	from string
}

func (r refill) apply(ctx context.Context, e engine) error {
	if err := e.exec(ctx, "TRUNCATE TABLE "+r.t.name); err != nil {
		return err
	}
	cols := columnNames(r.t.cols)
	return e.exec(ctx, "INSERT INTO "+r.t.name+" ("+cols+")\nSELECT "+cols+"\nFROM "+r.from)
}

// migration12 adds superseded_on to report_history (see supersededSQL),
// computed from the rows the last refresh published, so that as_published
// reads a version current on a day with a filter, not a sort per URL.
func migration12() []step {
	return []step{
		addColumn{reportHistoryTable.name, "superseded_on", "Nullable(Date)", "parser_version"},
		addColumn{"report_history", "superseded_on", "Nullable(Date)", "parser_version"},
		supersede{},
	}
}

// supersede computes superseded_on for the published report_history rows
// and publishes them again. Run again, it computes the same.
type supersede struct{}

func (supersede) apply(ctx context.Context, e engine) error {
	p := reportHistory()
	cols := columnNames(p.next.cols)
	published := "SELECT " + columnNames(reportHistoryV9Table.cols) + " FROM " + p.name
	for _, s := range []string{
		"TRUNCATE TABLE " + p.next.name,
		"INSERT INTO " + p.next.name + " (" + cols + ")\nSELECT " + cols + "\nFROM\n(\n    " +
			supersededSQL(published, published) + "\n)",
	} {
		if err := e.exec(ctx, s); err != nil {
			return err
		}
	}
	if err := p.publish(ctx, e); err != nil {
		return err
	}
	return e.exec(ctx, "TRUNCATE TABLE "+p.next.name)
}
