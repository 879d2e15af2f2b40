-- title: Compliance in a county for a year: every body (government, townships, departments) — late, missing, incomplete, inconsistent, silently edited, no data — and whether it refuses unusually often
-- param: county String  6-digit NBS code of the county (e.g. 620421)
-- param: year UInt16    the year reported on
--
-- Outcomes are pass, fail, unknown or n/a (see the compliance view).
-- peer_refusal_rate is the pooled rate of the body's peers (same level,
-- same parent, same year; sum refused / sum answered over the peers'
-- reports that state both, the body included); restrictive is 1 when the
-- body refused at least 3 requests at twice its peers' rate or more. A
-- county's bodies and their peers share its province: one scan of the
-- province's year gives both, the peers' sums as window aggregates.
SELECT
    name AS agency,
    agency_id,
    level,
    report_id != '' AS present,
    on_time,
    missing,
    incomplete,
    inconsistent,
    edited,
    no_data,
    refused,
    answered,
    round(if(answered > 0, refused / answered, NULL), 3) AS refusal_rate,
    round(if(peer_answered > 0, peer_refusal_rate, NULL), 3) AS peer_refusal_rate,
    peer_answered,
    ifNull(peer_answered > 0 AND answered > 0 AND refused >= 3
           AND refused / answered >= 2 * peer_refusal_rate, 0) AS restrictive,
    published_at,
    deadline,
    source_url
FROM
(
    SELECT
        name, agency_id, level, report_id, on_time, missing, incomplete, inconsistent, edited, no_data,
        refused, answered, published_at, deadline, source_url, county_code, expected,
        if(peer_group = '', 0, sumIf(answered, answered > 0 AND refused IS NOT NULL) OVER (PARTITION BY peer_group)) AS peer_answered,
        if(peer_group = '', 0, sumIf(refused, answered > 0) OVER (PARTITION BY peer_group) / peer_answered) AS peer_refusal_rate
    FROM agency_years
    WHERE province_code = substring({county:String}, 1, 2) AND year = {year:UInt16}
)
WHERE county_code = {county:String} AND (expected = 1 OR report_id != '')
ORDER BY level = 'county' DESC, level = 'township' DESC, agency_id
