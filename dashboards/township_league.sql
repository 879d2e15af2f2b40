-- title: Township league table: each township's report for a county and year, with requests, grant rate (and its denominator), reviews, lawsuits, failed checks, rank among the county's townships and compliance
-- param: county String  6-digit NBS code of the county (e.g. 620421)
-- param: year UInt16    the year reported on
--
-- One row per township with a report (report_stats: the latest report per
-- agency and year, as of the last refresh). A figure the report does not
-- state is NULL, never 0; grant_rate = (granted + partial) / answered and
-- refusal_rate = refused / answered, each beside its denominator; ranks
-- are among the county's townships that year (1 = highest, 0 = no rate),
-- out of `peers` townships with a report.
SELECT
    name AS agency,
    region_code,
    template,
    published_at,
    requests_new AS requests,
    granted + partial AS granted_or_partial,
    answered,
    round(grant_rate, 3) AS grant_rate,
    grant_rate_rank,
    refused,
    round(refusal_rate, 3) AS refusal_rate,
    refusal_rate_rank,
    peers,
    reviews_total AS reviews,
    ifNull(lawsuits_total, lawsuits_direct_total + lawsuits_after_review_total) AS lawsuits,
    checks_failed,
    on_time,
    incomplete,
    inconsistent,
    edited,
    source_url
FROM report_stats
WHERE province_code = substring({county:String}, 1, 2) AND county_code = {county:String}
  AND level = 'township' AND year = {year:UInt16}
ORDER BY region_code
