-- title: Township league table: each township's report for a county and year, with requests, grant rate, reviews, lawsuits and failed checks
-- param: county String  6-digit NBS code of the county (e.g. 620421)
-- param: year UInt16    the year reported on
--
-- One row per township report in reports_latest. A figure the report does
-- not state is NULL, never 0; grant_rate = (granted + partial) / answered,
-- with its denominator beside it.
SELECT
    agency,
    region_code,
    template,
    published_at,
    requests,
    granted_or_partial,
    answered,
    if(answered > 0, round(granted_or_partial / answered, 3), NULL) AS grant_rate,
    reviews,
    lawsuits,
    checks_failed,
    source_url
FROM
(
    SELECT report_id, agency, region_code, template, published_at, checks_failed, source_url
    FROM reports_latest
    WHERE level = 'township' AND substring(region_code, 1, 6) = {county:String} AND year = {year:UInt16}
) AS r
ALL LEFT JOIN
(
    SELECT
        report_id,
        if(countIf(metric = 'requests.new') > 0, sumIf(value, metric = 'requests.new'), NULL) AS requests,
        if(countIf(metric IN ('outcome.granted', 'outcome.partial')) = 2,
           sumIf(value, metric IN ('outcome.granted', 'outcome.partial')), NULL) AS granted_or_partial,
        if(countIf(metric = 'outcome.total') > 0, sumIf(value, metric = 'outcome.total'), NULL) AS answered,
        if(countIf(metric = 'reviews.total') > 0, sumIf(value, metric = 'reviews.total'), NULL) AS reviews,
        if(countIf(metric = 'lawsuits.total') > 0, sumIf(value, metric = 'lawsuits.total'),
           if(countIf(metric IN ('lawsuits.direct.total', 'lawsuits.after_review.total')) = 2,
              sumIf(value, metric IN ('lawsuits.direct.total', 'lawsuits.after_review.total')), NULL)) AS lawsuits
    FROM facts_latest
    WHERE applicant = 'total' AND substring(region_code, 1, 6) = {county:String} AND year = {year:UInt16}
    GROUP BY report_id
) AS f
USING report_id
ORDER BY region_code
