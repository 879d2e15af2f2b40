package warehouse

import (
	"context"
	"slices"
	"strings"
)

// Tables of schema v2 (migration 5): documents, agencies, sources, and the
// tables Refresh derives (deadlines, agency-years, refreshes).

// figureColumns returns the figure columns, Nullable(Float64) each: a
// figure the report does not state is NULL, never 0.
func figureColumns() []column {
	fs := figures()
	out := make([]column, len(fs))
	for i, f := range fs {
		out[i] = column{f.column, tNullFloat64}
	}
	return out
}

// concatColumns joins column lists.
func concatColumns(parts ...[]column) []column {
	var out []column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var (
	documentsTable = &table{name: "document_rows", cols: []column{
		{"payload_digest", tString},
		{"payload_length", tUInt64},
		{"content_type", tString},
		{"first_url", tString},
		{"first_fetched_at", tDateTime},
		{"capture_id", tString},
		{"warc_file", tString},
		{"warc_offset", tUInt64},
		{"warc_length", tUInt64},
		{"warc_record_id", tString},
		{"earliness", tUInt32},
	}}

	agenciesTable = &table{name: "agency_rows", cols: []column{
		{"agency_id", tString},
		{"name", tString},
		{"level", tString},
		{"region_code", tString},
		{"parent_id", tString},
		{"province_code", tString},
		{"city_code", tString},
		{"county_code", tString},
		{"chain", tArrayString},
		{"placeholder", tUInt8},
		{"origin", tString},
		{"version", tUInt64},
	}}

	sourcesTable = &table{name: "source_rows", cols: []column{
		{"name", tString},
		{"level", tString},
		{"region_code", tString},
		{"start_urls", tArrayString},
		{"agency_id", tString},
		{"registered_at", tDateTime},
		{"version", tUInt64},
	}}

	deadlinesTable = &table{name: "deadlines_next", cols: []column{
		{"refresh", tUInt64},
		{"level", tString},
		{"province_code", tString},
		{"year", tUInt16},
		{"deadline", tDate},
		{"due_by", tDate},
		{"rule", tString},
	}}

	refreshesTable = &table{name: "refresh_rows", cols: []column{
		{"refresh", tUInt64},
		{"started_at", tDateTime},
		{"finished_at", tDateTime},
		{"as_of", tDate},
		{"first_year", tUInt16},
		{"last_year", tUInt16},
		{"grace_days", tUInt16},
		{"township_deadlines", tArrayString},
		{"agency_years", tUInt64},
		{"reports", tUInt64},
	}}

	agencyYearsTable = &table{name: "agency_years_next", cols: agencyYearColumns()}

	// reportHistoryV9Table is report_history_next as migration 9 made it.
	reportHistoryV9Table = &table{name: "report_history_next", cols: []column{
		{"refresh", tUInt64},
		{"province_code", tString},
		{"year", tUInt16},
		{"agency_key", tString},
		{"source_url", tString},
		{"payload_digest", tString},
		{"first_fetched", tDateTime},
		{"report_id", tString},
		{"version", tUInt64},
		{"agency", tString},
		{"agency_id", tString},
		{"level", tString},
		{"region_code", tString},
		{"published_at", tNullDate},
		{"status", tString},
		{"fact_count", tUInt32},
		{"requests_new", tNullFloat64},
		{"answered", tNullFloat64},
		{"refused", tNullFloat64},
		{"parser_version", tString},
	}}

	// reportHistoryTable is report_history_next since migration 12, which
	// added superseded_on: the day a later capture of the URL replaced
	// the version (NULL while none has), so that as_published picks the
	// version current on a day with a filter rather than a sort.
	reportHistoryTable = &table{name: "report_history_next", cols: append(slices.Clone(reportHistoryV9Table.cols),
		column{"superseded_on", tNullDate})}

	yearSummaryTable = &table{name: "year_summary_next", cols: []column{
		{"refresh", tUInt64},
		{"level", tString},
		{"province_code", tString},
		{"year", tUInt16},
		{"expected", tUInt64},
		{"present", tUInt64},
		{"missing", tUInt64},
		{"late", tUInt64},
		{"inconsistent", tUInt64},
		{"refusal_answered", tFloat64},
		{"refused", tFloat64},
		{"grant_answered", tFloat64},
		{"granted_or_partial", tFloat64},
	}}
	agencyYearStage = &table{name: "agency_year_stage", cols: agencyYearColumns()}

	agencyTimelineTable = &table{name: "agency_timeline_next", cols: agencyTimelineColumns()}
)

// agencyTimelineColumns are the agency_years columns agency_timeline
// copies: the agency's key, the year, and what an agency's history shows
// (its report, compliance outcomes and core figures, this year's and the
// year before's).
func agencyTimelineColumns() []column {
	keep := map[string]bool{}
	for _, name := range strings.Fields(`refresh province_code agency_key year report_id source_url published_at
		deadline on_time missing incomplete inconsistent edited no_data requests_new answered granted partial
		refused reviews_total lawsuits_total prev_requests_new prev_answered prev_granted prev_partial`) {
		keep[name] = true
	}
	var out []column
	for _, c := range agencyYearColumns() {
		if keep[c.name] {
			out = append(out, c)
		}
	}
	return out
}

// agencyYearColumns is the shape of agency_years (and of the tables it is
// built in, agency_year_stage and agency_years_next): one row per agency
// and year, expected or reported, with the latest report's figures, the
// compliance outcomes, peer ranks and the previous year's figures.
func agencyYearColumns() []column {
	return concatColumns([]column{
		{"refresh", tUInt64},
		{"agency_key", tString},
		{"agency_id", tString},
		{"name", tString},
		{"level", tString},
		{"region_code", tString},
		{"parent_id", tString},
		{"province_code", tString},
		{"city_code", tString},
		{"county_code", tString},
		{"peer_group", tString},
		{"year", tUInt16},
		{"expected", tUInt8},
		{"report_id", tString},
		{"reports", tUInt32},
		{"source_url", tString},
		{"capture_id", tString},
		{"warc_file", tString},
		{"warc_offset", tUInt64},
		{"template", tString},
		{"format", tString},
		{"status", tString},
		{"parser_version", tString},
		{"match_status", tString},
		{"title", tString},
		{"published_at", tNullDate},
		{"first_seen", tNullDateTime},
		{"fetched_at", tNullDateTime},
		{"fact_count", tUInt32},
		{"checks_failed", tUInt32},
		{"checks_total", tUInt32},
		{"sections", tArrayString},
		{"payloads", tUInt32},
	}, figureColumns(), []column{
		{"deadline", tNullDate},
		{"due_by", tNullDate},
		{"deadline_rule", tString},
		{"evidence", tString},
		{"evidence_date", tNullDate},
		{"missing_sections", tArrayString},
		{"on_time", tString},
		{"missing", tString},
		{"incomplete", tString},
		{"inconsistent", tString},
		{"edited", tString},
		{"no_data", tString},
		{"grant_rate_rank", tUInt32},
		{"refusal_rate_rank", tUInt32},
		{"requests_rank", tUInt32},
		{"peers", tUInt32},
		{"peers_expected", tUInt32},
		{"prev_report_id", tString},
		{"prev_requests_new", tNullFloat64},
		{"prev_answered", tNullFloat64},
		{"prev_granted", tNullFloat64},
		{"prev_partial", tNullFloat64},
		{"prev_refused", tNullFloat64},
		{"prev_reviews_total", tNullFloat64},
		{"prev_reviews_corrected", tNullFloat64},
		{"prev_lawsuits_total", tNullFloat64},
	})
}

// publication is a table Refresh publishes whole: it writes the rows of a
// refresh into next, then swaps them into the table called name, which
// queries read, in one ALTER … REPLACE PARTITION. Until migration 9 these
// were views that picked the latest refresh out of old, a table
// partitioned by refresh; the filter cost each query that read them about
// 10 ms.
type publication struct {
	next    *table
	name    string // what queries read
	old     string // the table migration 9 replaced
	orderBy string
}

// publications are the tables Refresh publishes, in the order it does.
func publications() []publication {
	ps := publicationsV9()
	for i := range ps {
		if ps[i].name == "report_history" {
			ps[i] = reportHistory()
		}
	}
	return append(ps, agencyTimeline())
}

// reportHistory is the report_history publication, as it is now.
func reportHistory() publication {
	return publication{next: reportHistoryTable, name: "report_history", orderBy: "province_code, year, agency_key"}
}

// agencyTimeline is agency_years again, narrower and sorted by agency
// rather than by year (migration 11): one agency's years are a few
// adjacent rows, where in agency_years they lie in a granule of every
// year, and an agency's history read every granule of its province.
func agencyTimeline() publication {
	return publication{next: agencyTimelineTable, name: "agency_timeline", orderBy: "province_code, agency_key, year"}
}

// publicationsV9 are the tables migration 9 made publications, with the
// columns they had then.
func publicationsV9() []publication {
	history := reportHistory()
	history.next, history.old = reportHistoryV9Table, "report_history_rows"
	return []publication{
		{next: deadlinesTable, name: "deadlines", old: "deadline_rows", orderBy: "level, province_code, year"},
		{next: agencyYearsTable, name: "agency_years", old: "agency_year_rows", orderBy: "province_code, year, level, agency_key"},
		{next: yearSummaryTable, name: "year_summary", old: "year_summary_rows", orderBy: "level, year, province_code"},
		history,
	}
}

// table returns the published table: next's columns under name.
func (p publication) table() *table { return &table{name: p.name, cols: p.next.cols} }

// ddl creates the table t (p.name or p.next): p's columns, unpartitioned
// (REPLACE PARTITION tuple() swaps all of it), sorted by p.orderBy. It is
// built from the loader's column list, as migration 9 created the tables:
// changing that list needs a migration that alters both tables, which
// TestSchemaMatchesLoader would otherwise catch.
func (p publication) ddl(t string) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + t + " (\n")
	for i, c := range p.next.cols {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("    " + c.name + " " + c.typ.String())
	}
	b.WriteString("\n) ENGINE = MergeTree ORDER BY (" + p.orderBy + ")")
	return b.String()
}

// publish replaces the published rows by next's, atomically. Current
// ClickHouse refuses to REPLACE from an empty table (18.16 has no setting
// to allow it), so an empty next empties the table instead.
func (p publication) publish(ctx context.Context, e engine) error {
	r, err := e.query(ctx, "SELECT count() FROM "+p.next.name)
	if err != nil {
		return err
	}
	if len(r.Rows) == 1 && r.Rows[0][0] == uint64(0) {
		return e.exec(ctx, "TRUNCATE TABLE "+p.name)
	}
	return e.exec(ctx, "ALTER TABLE "+p.name+" REPLACE PARTITION tuple() FROM "+p.next.name)
}
