-- title: Refusal reasons: in a region and year, how refusals (不予公开) divide among the eight reasons, each with its share of all refusals stated by reason, and how many reports it rests on
-- param: region String  NBS code of the region (2, 4, 6 or 9 digits)
-- param: year UInt16    the year reported on
--
-- Only reports that break refusals down by reason (the 2019 and 2021
-- table templates) count: reports is how many do, out of present reports
-- and expected ones in the region. share = refused / all_refused.
SELECT
    reason,
    refused,
    all_refused,
    round(refused / all_refused, 4) AS share,
    reports,
    counts.1 AS present,
    counts.2 AS expected
FROM
(
    SELECT reason, refused, sum(refused) OVER () AS all_refused, reports
    FROM
    (
        SELECT reason, sum(v) AS refused, count() AS reports
        FROM agency_years
        ARRAY JOIN
            ['state_secret', 'law_prohibited', 'security_stability', 'third_party', 'internal_affairs',
             'process_info', 'enforcement_file', 'inquiry'] AS reason,
            [refused_state_secret, refused_law_prohibited, refused_security_stability, refused_third_party,
             refused_internal_affairs, refused_process_info, refused_enforcement_file, refused_inquiry] AS v
        WHERE province_code = substring({region:String}, 1, 2) AND startsWith(agency_id, {region:String})
          AND year = {year:UInt16} AND v IS NOT NULL
        GROUP BY reason
    )
) AS r
CROSS JOIN
(
    SELECT (countIf(report_id != ''), countIf(expected = 1)) AS counts
    FROM agency_years
    WHERE province_code = substring({region:String}, 1, 2) AND startsWith(agency_id, {region:String}) AND year = {year:UInt16}
) AS c
ORDER BY refused DESC, reason
