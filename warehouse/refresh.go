package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/warehouse/compliance"
)

// RefreshResult is what one Refresh published.
type RefreshResult struct {
	// Refresh identifies it (the refresh column of the derived tables).
	Refresh uint64
	// AsOf is the day the compliance rules were judged on.
	AsOf time.Time
	// FirstYear and LastYear bound the years reports are expected for.
	FirstYear, LastYear int
	// AgencyYears counts the rows of agency_years; Reports those with a
	// report.
	AgencyYears, Reports uint64
	Elapsed              time.Duration
}

// Refresh derives the comparison tables from what is loaded, judged as of
// the day asOf (the zero time means today), and publishes them whole:
// each is built in a twin (X_next) while queries read the previous
// refresh, then its rows are replaced in one statement. The five tables
// are replaced one after another, milliseconds apart.
//
//   - deadlines: the deadline of every level, province and year, from
//     Config.Compliance.
//   - agency_years: one row per agency and year, for every year from
//     Compliance.FirstYear to the year before asOf for every agency a
//     report is expected from (expected = 1; Compliance.Expect: the
//     registered sources' agencies and those under them, or every division
//     with a government and every registered department), and for every
//     agency-year with a report; with the latest report's figures
//     (reports_latest), the six compliance outcomes, peer ranks (same
//     level, same parent, same year) and the previous year's figures.
//   - expected_reports, report_stats and compliance are views over it.
//   - year_summary: agency_years counted by level, province and year.
//   - agency_timeline: agency_years' keys, reports, compliance outcomes
//     and core figures, sorted by agency (what agency_history reads).
//   - report_history: every report version with its payload's first
//     capture, by province and year.
//
// Refresh reads only what the loader wrote, so running it again changes
// nothing but the refresh number; it is the step to run after a load
// (crawl, reparse, synthetic generation). Refreshes of one Warehouse run
// one at a time; two processes must not refresh one warehouse at once.
func (w *Warehouse) Refresh(ctx context.Context, asOf time.Time) (RefreshResult, error) {
	w.refreshMu.Lock()
	defer w.refreshMu.Unlock()
	start := w.now()
	if asOf.IsZero() {
		asOf = start
	}
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	cc := w.cfg.Compliance
	res := RefreshResult{AsOf: asOf, FirstYear: cc.FirstYear, LastYear: asOf.Year() - 1}
	res.Refresh, _ = w.nextVersion()
	if err := w.seedAgencies(ctx); err != nil {
		return res, fmt.Errorf("refresh: %w", err)
	}
	if err := w.clearWork(ctx); err != nil { // what a failed refresh left
		return res, fmt.Errorf("refresh: %w", err)
	}
	// The stage is not merged while the refresh runs: it is emptied at the
	// end, and nationally the engine merged its ten parts (2.5M rows of 75
	// columns) beside the refresh's queries, for nothing.
	resume, err := w.stopMerges(ctx, agencyYearStage.name)
	if err != nil {
		return res, fmt.Errorf("refresh: %w", err)
	}
	defer func() {
		if err := resume(context.WithoutCancel(ctx)); err != nil {
			w.logger.Warn("refresh: resume merges of the stage", "err", err)
		}
	}()
	if err := w.writeDeadlines(ctx, res.Refresh, asOf.Year()); err != nil {
		return res, fmt.Errorf("refresh: deadlines: %w", err)
	}
	step := time.Now()
	if err := w.eng.exec(ctx, refreshStageSQL(res, cc)); err != nil {
		return res, fmt.Errorf("refresh: agency years: %w", err)
	}
	w.logger.Debug("refresh: agency years staged", "elapsed", time.Since(step))
	step = time.Now()
	if err := w.eng.exec(ctx, refreshFinalSQL(res.Refresh)); err != nil {
		return res, fmt.Errorf("refresh: ranks and previous years: %w", err)
	}
	w.logger.Debug("refresh: ranks and previous years", "elapsed", time.Since(step))
	if err := w.eng.exec(ctx, yearSummarySQL(res.Refresh)); err != nil {
		return res, fmt.Errorf("refresh: year summary: %w", err)
	}
	step = time.Now()
	if err := w.eng.exec(ctx, agencyTimelineSQL(res.Refresh)); err != nil {
		return res, fmt.Errorf("refresh: agency timeline: %w", err)
	}
	w.logger.Debug("refresh: agency timeline", "elapsed", time.Since(step))
	step = time.Now()
	if err := w.eng.exec(ctx, reportHistorySQL(res.Refresh)); err != nil {
		return res, fmt.Errorf("refresh: report history: %w", err)
	}
	w.logger.Debug("refresh: report history", "elapsed", time.Since(step))
	r, err := w.eng.query(ctx, fmt.Sprintf(
		"SELECT count(), countIf(report_id != '') FROM agency_years_next WHERE refresh = %d", res.Refresh))
	if err != nil {
		return res, fmt.Errorf("refresh: count: %w", err)
	}
	res.AgencyYears, res.Reports = r.Rows[0][0].(uint64), r.Rows[0][1].(uint64)
	var township []string
	if m, err := cc.TownshipDeadlineMap(); err == nil {
		for p, md := range m {
			township = append(township, p+"="+string(md))
		}
	}
	finished := w.now()
	row := []any{res.Refresh, clampDateTime(start), clampDateTime(finished), asOf, clampUint16(res.FirstYear),
		clampUint16(max(res.LastYear, 0)), clampUint16(cc.GraceDays), nonNil(township), res.AgencyYears, res.Reports}
	// Publish: each table's rows are replaced whole, one table after the
	// other, then the refresh is recorded.
	for _, p := range publications() {
		if err := p.publish(ctx, w.eng); err != nil {
			return res, fmt.Errorf("refresh: publish %s: %w", p.name, err)
		}
	}
	if err := w.insertBatched(ctx, refreshesTable, [][]any{row}); err != nil {
		return res, fmt.Errorf("refresh: record: %w", err)
	}
	if err := w.clearWork(ctx); err != nil {
		return res, fmt.Errorf("refresh: %w", err)
	}
	res.Elapsed = finished.Sub(start)
	return res, nil
}

// clearWork empties the tables a refresh is built in: agency_year_stage
// and the publications' next tables.
func (w *Warehouse) clearWork(ctx context.Context) error {
	if err := w.dropPartitions(ctx, agencyYearStage.name, 0); err != nil {
		return fmt.Errorf("clear %s: %w", agencyYearStage.name, err)
	}
	for _, p := range publications() {
		if err := w.eng.exec(ctx, "TRUNCATE TABLE "+p.next.name); err != nil {
			return fmt.Errorf("clear %s: %w", p.next.name, err)
		}
	}
	return nil
}

// dropPartitions drops every partition of t but keep's. (Partitions are
// refresh numbers; reading them from the table, not system.parts, works
// on a cluster too.)
func (w *Warehouse) dropPartitions(ctx context.Context, t string, keep uint64) error {
	r, err := w.eng.query(ctx, "SELECT DISTINCT refresh FROM "+t)
	if err != nil {
		return err
	}
	for _, row := range r.Rows {
		n, _ := row[0].(uint64)
		if n == keep {
			continue
		}
		if err := w.eng.exec(ctx, fmt.Sprintf("ALTER TABLE %s DROP PARTITION %d", t, n)); err != nil {
			return err
		}
	}
	return nil
}

// deadlineLevels are the levels deadlines are computed for.
func deadlineLevels() []string {
	return []string{"province", "city", "county", "township", "department"}
}

// writeDeadlines writes the deadline of every level, province and year
// from 2000 to lastYear+1.
func (w *Warehouse) writeDeadlines(ctx context.Context, refresh uint64, lastYear int) error {
	dir, err := w.directory(ctx)
	if err != nil {
		return err
	}
	cc := w.cfg.Compliance
	var provinces []string
	for _, a := range dir.Agencies() {
		if a.Level == "province" {
			provinces = append(provinces, a.ID)
		}
	}
	var rows [][]any
	for _, level := range deadlineLevels() {
		for _, p := range provinces {
			for y := 2000; y <= lastYear+1; y++ {
				d, rule := cc.Deadline(level, p, y)
				rows = append(rows, []any{refresh, level, p, uint16(y), d, d.AddDate(0, 0, cc.GraceDays), rule})
			}
		}
	}
	return w.insertBatched(ctx, deadlinesTable, rows)
}

// sqlStrings renders a string list as an array literal.
func sqlStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quoteString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// figureList returns the figure columns, comma-separated, each with
// prefix.
func figureList(prefix string) string {
	fs := figures()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = prefix + f.column
	}
	return strings.Join(out, ", ")
}

// columnNames returns the names of cols, comma-separated.
func columnNames(cols []column) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return strings.Join(out, ", ")
}

// stageColumns are the agency_year columns the first pass writes: all but
// the ranks and previous-year figures.
func stageColumns() []column {
	cols := agencyYearColumns()
	for i, c := range cols {
		if c.name == "grant_rate_rank" {
			return cols[:i]
		}
	}
	return cols
}

// refreshStageSQL is the first pass: every agency-year with its latest
// report, capture history, deadline and compliance outcomes, into
// agency_year_stage. Written for ClickHouse 18.16 too: one JOIN per
// SELECT, aliased subqueries, no window functions or CTEs.
//
// The latest report per agency and year is chosen as reports_latest
// chooses (the current parse of each URL, then parsed figures first, the
// latest published, the most figures, the latest fetched, the smallest
// report ID), but by aggregation over narrow columns rather than by
// sorting whole rows. The wide report rows (metadata and every figure)
// are then streamed through a RIGHT JOIN whose hash table holds the
// narrow agency-years: a report no agency-year chose finds no row and is
// dropped, and agency-years without a report keep empty report columns,
// as a LEFT JOIN from them would give. The LEFT JOIN the other way round
// hashed every chosen report's wide row: nationally (2.4M reports) the
// stage took 99 s against 44 s now.
func refreshStageSQL(res RefreshResult, cc compliance.Config) string {
	years := max(res.LastYear-res.FirstYear+1, 0)
	r := strings.NewReplacer(
		"{refresh}", strconv.FormatUint(res.Refresh, 10),
		"{first}", strconv.Itoa(res.FirstYear),
		"{years}", strconv.Itoa(years),
		"{as_of}", quoteString(res.AsOf.Format(time.DateOnly)),
		"{figs}", figureList(""),
		"{required_old}", sqlStrings(compliance.RequiredSections(2018)),
		"{required_new}", sqlStrings(compliance.RequiredSections(2019)),
		"{columns}", columnNames(stageColumns()),
		"{latest}", latestReportsSQL(),
		"{expected}", expectedSQL(cc.Expect),
	)
	return r.Replace(`INSERT INTO agency_year_stage ({columns})
SELECT
    toUInt64({refresh}) AS refresh, agency_key, agency_id, name, level, region_code, parent_id,
    province_code, city_code, county_code,
    if(agency_id = '', '', concat(level, '/', parent_id)) AS peer_group,
    year, expected, report_id, toUInt32(reports_n) AS reports, source_url, capture_id, warc_file, warc_offset,
    template, format, status, parser_version, match_status, title, published_at,
    if(report_id = '', NULL, first_seen_at) AS first_seen,
    if(report_id = '', NULL, fetched) AS fetched_at,
    fact_count, checks_failed, checks_total, sections, toUInt32(payloads_n) AS payloads,
    {figs},
    if(deadline_rule = '', NULL, deadline_day) AS deadline,
    if(deadline_rule = '', NULL, due_day) AS due_by,
    deadline_rule,
    multiIf(report_id = '', '', published_at IS NOT NULL, 'published_at', 'first_capture') AS evidence,
    if(report_id = '', NULL, if(published_at IS NOT NULL, published_at, toDate(first_seen_at))) AS evidence_date,
    if(report_id = '' OR status != 'ok', emptyArrayString(),
       arrayFilter(s -> NOT has(sections, s), if(year <= 2018, {required_old}, {required_new}))) AS missing_sections,
    multiIf(report_id = '' OR deadline_rule = '', 'n/a',
            ifNull(evidence_date <= deadline_day, 0), 'pass',
            published_at IS NOT NULL, 'fail',
            'unknown') AS on_time,
    multiIf(expected = 0, 'n/a', report_id != '', 'pass', deadline_rule = '', 'unknown',
            toDate({as_of}) > due_day, 'fail', 'unknown') AS missing,
    multiIf(report_id = '', 'n/a', status = 'no_data', 'n/a', status != 'ok', 'unknown',
            length(missing_sections) > 0, 'fail', 'pass') AS incomplete,
    multiIf(report_id = '', 'n/a', checks_total = 0, 'unknown', checks_failed > 0, 'fail', 'pass') AS inconsistent,
    multiIf(report_id = '', 'n/a', payloads > 1, 'fail', 'pass') AS edited,
    multiIf(report_id = '', 'n/a', status = 'no_data', 'fail', 'pass') AS no_data
FROM
(
    SELECT agency_key, agency_id, name, level, region_code, parent_id, province_code, city_code, county_code,
           year, expected, report_id, reports_n, source_url, capture_id, warc_file, warc_offset, template, format,
           status, parser_version, match_status, title, published_at,
           if(first_at > toDateTime(0), least(first_at, fetched), fetched) AS first_seen_at, fetched,
           fact_count, checks_failed, checks_total, sections, payloads_n, {figs},
           deadline AS deadline_day, due_by AS due_day, rule AS deadline_rule
    FROM
    (
        SELECT agency_key, agency_id,
               if(name = '', r_agency, name) AS name,
               if(level = '', r_level, level) AS level,
               if(region_code = '', r_region, region_code) AS region_code,
               parent_id,
               if(province_code = '' AND length(r_region) >= 2, substring(r_region, 1, 2), province_code) AS province_code,
               if(city_code = '' AND length(r_region) >= 4, substring(r_region, 1, 4), city_code) AS city_code,
               if(county_code = '' AND length(r_region) >= 6, substring(r_region, 1, 6), county_code) AS county_code,
               year, expected, report_id, reports_n, first_at, payloads_n, source_url, capture_id, warc_file,
               warc_offset, template, format, status, parser_version, match_status, title, published_at, fetched,
               fact_count, checks_failed, checks_total, sections, {figs}
        FROM
        (
            SELECT report_id, source_url, capture_id, warc_file, warc_offset, template, format, status,
                   parser_version, match_status, title, published_at, fetched_at AS fetched, fact_count,
                   checks_failed, checks_total, sections, agency AS r_agency, level AS r_level,
                   region_code AS r_region, {figs}
            FROM reports
        ) AS rl
        ALL RIGHT JOIN
        (
            SELECT agency_key, agency_id, name, level, region_code, parent_id, province_code, city_code,
                   county_code, year, expected, report_id, reports_n, first_at, payloads_n
            FROM
            (
                SELECT agency_key, year, max(expected) AS expected, max(report_id) AS report_id,
                       max(reports_n) AS reports_n, max(first_at) AS first_at, max(payloads_n) AS payloads_n
                FROM
                (
                    SELECT agency_id AS agency_key, toUInt16({first} + i) AS year, toUInt8(1) AS expected,
                           '' AS report_id, toUInt64(0) AS reports_n, toDateTime(0) AS first_at,
                           toUInt64(0) AS payloads_n
                    FROM agencies
                    ARRAY JOIN range(toUInt64({years})) AS i
                    WHERE placeholder = 0{expected}
                    UNION ALL
                    SELECT agency_key, year, toUInt8(0) AS expected, report_id, reports_n, first_at, payloads_n
                    FROM ({latest})
                )
                GROUP BY agency_key, year
            ) AS k
            ANY LEFT JOIN
            (
                SELECT agency_id AS agency_key, agency_id, name, level, region_code, parent_id,
                       province_code, city_code, county_code
                FROM agencies
            ) AS a USING agency_key
        ) AS ka USING report_id
    ) AS kr
    ANY LEFT JOIN
    (
        SELECT level, province_code, year, deadline, due_by, rule
        FROM deadlines_next
        WHERE refresh = {refresh}
    ) AS d USING (level, province_code, year)
) AS x`)
}

// expectedSQL is the condition on agencies that narrows the expected ones
// to the scope: nothing for ExpectAll; for ExpectRegistered, the agencies
// registered as sources and those whose chain passes through a registered
// government's division.
func expectedSQL(expect string) string {
	if expect == compliance.ExpectAll {
		return ""
	}
	return `
                      AND (agency_id IN (SELECT agency_id FROM sources WHERE agency_id != '')
                           OR agency_id IN (SELECT agency_id FROM agencies ARRAY JOIN chain AS anc
                                            WHERE anc IN (SELECT region_code FROM sources
                                                          WHERE level != 'department' AND region_code != '')))`
}

// latestReportsSQL selects, per agency_key and year, the latest report
// (report_id, as reports_latest chooses), how many current reports the
// agency-year has (reports_n), the first capture of any of their URLs
// (first_at, the epoch when none) and how many payloads the chosen
// report's URL has served (payloads_n).
//
// A URL's current report is its last loaded (fetched_at, then load
// version, then report ID: a unique key, so every argMax picks the same
// row), taken in one aggregation by URL; an IN set of the current IDs and
// a second read of reports took 2.6 s nationally against 1.4 s.
//
// The choices are argMin and argMax over string keys that sort as the
// preference does (see orderKey), not over tuples: the engine compares
// tuples value by value through a generic path, and nationally (2.4M
// reports) the tuple keys took 9.7 s where the strings took 5.1 s, with
// the same result.
func latestReportsSQL() string {
	pref := orderKey("if(status != 'ok', '1', '0')",
		hexDesc("toUInt16(ifNull(published_at, toDate(0)))", 16),
		hexDesc("fact_count", 32),
		hexDesc("toUInt32(fetched_at)", 32),
		"report_id")
	current := orderKey(hexAsc("toUInt32(fetched_at)", 32), hexAsc("version", 64), "report_id")
	return `SELECT agency_key, year,
       argMin(report_id, pref) AS report_id,
       count() AS reports_n,
       minIf(first_url, first_url > toDateTime(0)) AS first_at,
       argMin(payloads_u, pref) AS payloads_n
FROM
(
    SELECT report_id, agency_key, year, pref, first_url, payloads_u
    FROM
    (
        SELECT source_url, current_id AS report_id, current_year AS year, current_key AS agency_key,
               current_pref AS pref
        FROM
        (
            SELECT source_url, argMax(report_id, current) AS current_id,
                   argMax(ifNull(year, 0), current) AS current_year,
                   argMax(key, current) AS current_key, argMax(report_pref, current) AS current_pref
            FROM
            (
                SELECT report_id, source_url, year,
                       if(agency_id != '', agency_id,
                          concat('body:', if(agency = '' AND region_code = '', concat('url:', source_url),
                                             concat(level, ':', region_code, ':', agency)))) AS key,
                       ` + pref + ` AS report_pref,
                       ` + current + ` AS current
                FROM reports
            )
            GROUP BY source_url
        )
        WHERE current_year != 0
    ) AS c
    ANY LEFT JOIN
    (
        SELECT url AS source_url, minIf(fetched_at, status = 200) AS first_url,
               uniqExactIf(payload_digest, status = 200 AND record_type = 'response') AS payloads_u
        FROM captures
        GROUP BY url
    ) AS u USING source_url
)
GROUP BY agency_key, year`
}

// orderKey concatenates SQL string expressions of fixed width (but the
// last) into one key: keys compare as the tuple of the parts would.
func orderKey(parts ...string) string {
	return "concat(" + strings.Join(parts, ", ") + ")"
}

// hexAsc renders x, an unsigned SQL expression of at most bits bits (16,
// 32 or 64), as a string of fixed width that sorts as x ascends: its hex
// digits, zero-padded (hex drops leading zero bytes).
func hexAsc(x string, bits int) string {
	digits := bits / 4
	h := fmt.Sprintf("hex(toUInt%d(%s))", bits, x)
	return fmt.Sprintf("concat(substring('%s', 1, %d - length(%s)), %s)", strings.Repeat("0", digits), digits, h, h)
}

// hexDesc is hexAsc for x descending.
func hexDesc(x string, bits int) string {
	return hexAsc(fmt.Sprintf("%d - toUInt%d(%s)", uint64(1)<<bits-1, bits, x), bits)
}

// yearSummarySQL counts a refresh's agency-years by level, province and
// year into year_summary_next: what national_trend adds up. The sums
// count only the agency-years that state both terms of a rate, as the
// pooled rates divide them.
func yearSummarySQL(refresh uint64) string {
	return strings.ReplaceAll(`INSERT INTO year_summary_next (refresh, level, province_code, year, expected, present, missing,
    late, inconsistent, refusal_answered, refused, grant_answered, granted_or_partial)
SELECT toUInt64({refresh}), level, province_code, year,
       countIf(expected = 1), countIf(expected = 1 AND report_id != ''), countIf(missing = 'fail'),
       countIf(on_time = 'fail'), countIf(inconsistent = 'fail'),
       toFloat64(ifNull(sumIf(answered, answered > 0 AND refused IS NOT NULL), 0)),
       toFloat64(ifNull(sumIf(refused, answered > 0), 0)),
       toFloat64(ifNull(sumIf(answered, answered > 0 AND granted IS NOT NULL AND partial IS NOT NULL), 0)),
       toFloat64(ifNull(sumIf(granted + partial, answered > 0), 0))
FROM agency_years_next
WHERE refresh = {refresh}
GROUP BY level, province_code, year`, "{refresh}", strconv.FormatUint(refresh, 10))
}

// agencyTimelineSQL copies the refresh's agency-years into
// agency_timeline_next, which sorts them by agency.
func agencyTimelineSQL(refresh uint64) string {
	cols := columnNames(agencyTimelineTable.cols)
	return fmt.Sprintf("INSERT INTO %s (%s)\nSELECT %s\nFROM agency_years_next\nWHERE refresh = %d",
		agencyTimelineTable.name, cols, cols, refresh)
}

// reportHistorySQL copies every loaded report version with a year into
// report_history_next, with the first capture of its payload at its URL,
// under the province of its agency (of its stated region when unmatched),
// and the day a later version of the URL superseded it (see
// supersededSQL). Rows a repeated load wrote twice are copied as they
// are: the readers choose one per agency.
func reportHistorySQL(refresh uint64) string {
	// The URLs with more than one version, the only ones whose versions
	// supersede one another: a GLOBAL IN reads them once, on a cluster
	// too.
	multi := `SELECT source_url FROM report_rows WHERE year IS NOT NULL GROUP BY source_url HAVING count() > 1`
	versions := `SELECT report_id, source_url, payload_digest, agency, agency_id, level, region_code, year,
           published_at, status, fact_count, requests_new, answered, refused, parser_version, version,
           if(agency_id != '', agency_id, concat('body:', level, ':', region_code, ':', agency)) AS agency_key, first_fetched
    FROM
    (
        SELECT report_id, source_url, payload_digest, agency, agency_id, level, region_code, assumeNotNull(year) AS year,
               published_at, status, fact_count, requests_new, answered, refused, parser_version, version
        FROM report_rows
        WHERE year IS NOT NULL{only}
    ) AS r
    ALL INNER JOIN
    (
        SELECT url AS source_url, payload_digest, min(fetched_at) AS first_fetched
        FROM capture_rows
        WHERE status = 200{only_url}
        GROUP BY url, payload_digest
    ) AS c USING (source_url, payload_digest)`
	all := strings.NewReplacer("{only}", "", "{only_url}", "").Replace(versions)
	multiVersions := strings.NewReplacer("{only}", " AND source_url GLOBAL IN ("+multi+")",
		"{only_url}", " AND url GLOBAL IN ("+multi+")").Replace(versions)
	return fmt.Sprintf(`INSERT INTO report_history_next (%s)
SELECT toUInt64(%d), substring(if(agency_id != '', agency_id, region_code), 1, 2) AS province_code, %s
FROM
(
    %s
)`, columnNames(reportHistoryTable.cols), refresh, columnNames(reportHistoryTable.cols[2:]),
		supersededSQL(all, multiVersions))
}

// supersededSQL adds to each report version that versions yields (source_url,
// first_fetched, version, report_id and any other columns) superseded_on:
// the earliest day a version of the same URL that as_published ranks
// above it was first captured, NULL if there is none. A version is the
// URL's current one on day D when it was first captured by D and
// superseded after D; one superseded on the day it was captured never is,
// and is left out. multiVersions yields the versions of the URLs with more
// than one (or all of them: the others change nothing).
func supersededSQL(versions, multiVersions string) string {
	return fmt.Sprintf(`SELECT *, if(empty(later), NULL, toNullable(arrayReduce('min', later))) AS superseded_on
    FROM
    (
        SELECT *, arrayFilter((d, f, v, i) -> f > first_fetched OR f = first_fetched AND (v > version OR v = version AND i > report_id),
                              later_days, later_fetched, later_versions, later_ids) AS later
        FROM
        (
            %s
        ) AS h
        ANY LEFT JOIN
        (
            SELECT source_url, groupArray(toDate(first_fetched)) AS later_days, groupArray(first_fetched) AS later_fetched,
                   groupArray(version) AS later_versions, groupArray(report_id) AS later_ids
            FROM
            (
                %s
            )
            GROUP BY source_url
        ) AS s USING source_url
    )
    WHERE superseded_on IS NULL OR superseded_on > toDate(first_fetched)`, versions, multiVersions)
}

// refreshFinalSQL is the second pass: the staged agency-years with peer
// ranks and the previous year's figures, into agency_years_next. A rank is
// 1 + the number of peers with a strictly higher value; 0 when the value
// is unknown or the agency has no peer group.
func refreshFinalSQL(refresh uint64) string {
	stage := columnNames(stageColumns())
	r := strings.NewReplacer(
		"{refresh}", strconv.FormatUint(refresh, 10),
		"{stage}", stage,
		"{columns}", columnNames(agencyYearColumns()),
	)
	return r.Replace(`INSERT INTO agency_years_next ({columns})
SELECT {stage},
       grant_rate_rank, refusal_rate_rank, requests_rank, peers, peers_expected,
       prev_report_id, prev_requests_new, prev_answered, prev_granted, prev_partial, prev_refused,
       prev_reviews_total, prev_reviews_corrected, prev_lawsuits_total
FROM
(
    SELECT {stage}, grant_rate_rank, refusal_rate_rank, requests_rank, peers, peers_expected
    FROM
    (
        SELECT {stage}
        FROM agency_year_stage
        WHERE refresh = {refresh}
    ) AS s
    ANY LEFT JOIN
    (
        SELECT agency_key, year, toUInt32(g) AS grant_rate_rank, toUInt32(rr) AS refusal_rate_rank,
               toUInt32(q) AS requests_rank, toUInt32(n) AS peers, toUInt32(ne) AS peers_expected
        FROM
        (
            SELECT peer_group, year, groupArray(agency_key) AS keys,
                   groupArray(if(ifNull(answered, 0) > 0, ifNull((granted + partial) / answered, -1), -1)) AS grants,
                   groupArray(if(ifNull(answered, 0) > 0, ifNull(refused / answered, -1), -1)) AS refusals,
                   groupArray(ifNull(requests_new, -1)) AS requests,
                   countIf(report_id != '') AS n, countIf(expected = 1) AS ne
            FROM agency_year_stage
            WHERE refresh = {refresh} AND peer_group != ''
            GROUP BY peer_group, year
        )
        ARRAY JOIN
            keys AS agency_key,
            arrayMap(v -> if(v < 0, 0, arrayCount(x -> x > v, grants) + 1), grants) AS g,
            arrayMap(v -> if(v < 0, 0, arrayCount(x -> x > v, refusals) + 1), refusals) AS rr,
            arrayMap(v -> if(v < 0, 0, arrayCount(x -> x > v, requests) + 1), requests) AS q
    ) AS rk USING (agency_key, year)
) AS sr
ANY LEFT JOIN
(
    SELECT agency_key, toUInt16(year + 1) AS year, report_id AS prev_report_id,
           requests_new AS prev_requests_new, answered AS prev_answered, granted AS prev_granted,
           partial AS prev_partial, refused AS prev_refused, reviews_total AS prev_reviews_total,
           reviews_corrected AS prev_reviews_corrected, lawsuits_total AS prev_lawsuits_total
    FROM agency_year_stage
    WHERE refresh = {refresh} AND report_id != ''
) AS p USING (agency_key, year)`)
}
