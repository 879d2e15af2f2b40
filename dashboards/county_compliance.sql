-- title: Compliance in a county for a year: every body (government, townships, departments) — late, missing, incomplete, inconsistent, silently edited, no data — and whether it refuses unusually often
-- param: county String  6-digit NBS code of the county (e.g. 620421)
-- param: year UInt16    the year reported on
--
-- Outcomes are pass, fail, unknown or n/a (see the compliance view).
-- peer_refusal_rate is the pooled rate of the body's peers (same level,
-- same parent, same year; sum refused / sum answered over the peers'
-- reports that state both, the body included; a county's bodies and their
-- peers share its province, which bounds the scan); restrictive is 1 when the
-- body refused at least 3 requests at twice its peers' rate or more.
SELECT
    a.name AS agency,
    a.agency_id AS agency_id,
    a.level AS level,
    a.report_id != '' AS present,
    a.on_time AS on_time,
    a.missing AS missing,
    a.incomplete AS incomplete,
    a.inconsistent AS inconsistent,
    a.edited AS edited,
    a.no_data AS no_data,
    a.refused AS refused,
    a.answered AS answered,
    round(if(a.answered > 0, a.refused / a.answered, NULL), 3) AS refusal_rate,
    round(if(p.peer_answered > 0, p.peer_refusal_rate, NULL), 3) AS peer_refusal_rate,
    p.peer_answered AS peer_answered,
    ifNull(p.peer_answered > 0 AND a.answered > 0 AND a.refused >= 3
           AND a.refused / a.answered >= 2 * p.peer_refusal_rate, 0) AS restrictive,
    a.published_at AS published_at,
    a.deadline AS deadline,
    a.source_url AS source_url
FROM
(
    SELECT *
    FROM agency_years
    WHERE province_code = substring({county:String}, 1, 2) AND county_code = {county:String} AND year = {year:UInt16}
      AND (expected = 1 OR report_id != '')
) AS a
LEFT JOIN
(
    SELECT peer_group,
           sumIf(refused, answered > 0) / sumIf(answered, answered > 0 AND refused IS NOT NULL) AS peer_refusal_rate,
           sumIf(answered, answered > 0 AND refused IS NOT NULL) AS peer_answered
    FROM agency_years
    WHERE province_code = substring({county:String}, 1, 2) AND year = {year:UInt16} AND peer_group != '' AND peer_group IN (
        SELECT peer_group FROM agency_years
        WHERE province_code = substring({county:String}, 1, 2) AND county_code = {county:String} AND year = {year:UInt16}
    )
    GROUP BY peer_group
) AS p ON a.peer_group = p.peer_group
ORDER BY level = 'county' DESC, level = 'township' DESC, agency_id
