-- title: Peer ranking: the bodies of one level under one parent (townships of a county, departments of a city…) ranked by grant rate for a year, with refusal rate, requests, their ranks, denominators and change from the previous year
-- param: parent String  code of the parent division (a county for its townships and departments; empty for provinces)
-- param: level String   province, city, county, township or department
-- param: year UInt16    the year reported on
--
-- Peers are the agencies with the same level and parent (the peer_group
-- level/parent). Ranks count peers with a strictly higher value, plus
-- one; 0 means the rate is unknown (no answered requests stated). peers
-- counts peers with a report, peers_expected those expected to publish.
SELECT
    name AS agency,
    agency_id,
    report_id != '' AS present,
    requests_new,
    requests_rank,
    answered,
    round(if(answered > 0, (granted + partial) / answered, NULL), 4) AS grant_rate,
    grant_rate_rank,
    round(if(answered > 0, refused / answered, NULL), 4) AS refusal_rate,
    refusal_rate_rank,
    round(if(prev_answered > 0, (prev_granted + prev_partial) / prev_answered, NULL), 4) AS prev_grant_rate,
    round(if(answered > 0 AND prev_answered > 0,
             (granted + partial) / answered - (prev_granted + prev_partial) / prev_answered, NULL), 4) AS grant_rate_change,
    peers,
    peers_expected,
    on_time,
    missing
FROM agency_years
WHERE (substring({parent:String}, 1, 2) = '' OR province_code = substring({parent:String}, 1, 2))
  AND peer_group = concat({level:String}, '/', {parent:String}) AND year = {year:UInt16}
ORDER BY grant_rate_rank = 0, grant_rate_rank, agency_id
