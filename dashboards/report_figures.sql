-- title: Report figures with provenance: every figure of one report with where the report states it (table, row, column, or the sentence) and the archived capture it was read from (WARC file and offset)
-- param: report String  the report ID (reports.report_id)
--
-- Provenance: warc_file and warc_offset locate the capture in the archive
-- (nianbao export REPORT_ID writes the payload back out); loc_start and
-- loc_end count characters of the normalised text for figures read from
-- prose.
SELECT
    f.metric AS metric,
    f.applicant AS applicant,
    f.value AS value,
    f.approximate AS approximate,
    f.derived AS derived,
    f.loc_table AS loc_table,
    f.loc_row AS loc_row,
    f.loc_column AS loc_column,
    f.loc_start AS loc_start,
    f.loc_end AS loc_end,
    f.loc_text AS loc_text,
    r.source_url AS source_url,
    r.warc_file AS warc_file,
    r.warc_offset AS warc_offset,
    r.fetched_at AS fetched_at,
    r.parser_version AS parser_version
FROM
(
    -- The latest load of the report's facts, read by primary key: what the
    -- facts view (FINAL) shows, without merging every part of the table.
    SELECT report_id, metric, applicant, value, approximate, derived,
           loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
    FROM
    (
        SELECT *
        FROM fact_sets
        WHERE report_id = {report:String}
        ORDER BY version DESC
        LIMIT 1
    )
    ARRAY JOIN metric, applicant, value, approximate, derived, loc_table, loc_row, loc_column, loc_start, loc_end, loc_text
) AS f
INNER JOIN
(
    SELECT report_id, argMax(source_url, version) AS source_url, argMax(warc_file, version) AS warc_file,
           argMax(warc_offset, version) AS warc_offset, argMax(fetched_at, version) AS fetched_at,
           argMax(parser_version, version) AS parser_version
    FROM report_rows
    WHERE report_id = {report:String}
    GROUP BY report_id
) AS r ON f.report_id = r.report_id
ORDER BY loc_table, metric, indexOf(['natural_person', 'business', 'research', 'nonprofit', 'legal_service', 'other_org', 'total'], applicant)
