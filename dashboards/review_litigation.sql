-- title: Reviews and lawsuits: in a region, for each year in a range, administrative reviews and their correction rate, lawsuits and lawsuits per 100 requests, each with its denominator and the reports it rests on
-- param: region String  NBS code of the region (2, 4, 6 or 9 digits)
-- param: from UInt16    first year reported on
-- param: to UInt16      last year reported on
--
-- correction_rate = Σ reviews.corrected / Σ reviews.total over reports
-- stating both; lawsuits_per_100 = 100 × Σ lawsuits.total / Σ
-- requests.new over reports stating both.
SELECT
    year,
    n_expected AS expected,
    present,
    review_reports,
    reviews,
    corrected,
    round(if(reviews > 0, corrected / reviews, NULL), 4) AS correction_rate,
    lawsuit_reports,
    lawsuits,
    lawsuit_requests,
    round(if(lawsuit_requests > 0, 100 * lawsuits / lawsuit_requests, NULL), 3) AS lawsuits_per_100
FROM
(
    SELECT
        year,
        countIf(expected = 1) AS n_expected,
        countIf(expected = 1 AND report_id != '') AS present,
        countIf(reviews_total IS NOT NULL AND reviews_corrected IS NOT NULL) AS review_reports,
        ifNull(sumIf(reviews_total, reviews_corrected IS NOT NULL), 0) AS reviews,
        ifNull(sumIf(reviews_corrected, reviews_total IS NOT NULL), 0) AS corrected,
        countIf(lawsuits_total IS NOT NULL AND requests_new IS NOT NULL) AS lawsuit_reports,
        ifNull(sumIf(lawsuits_total, requests_new IS NOT NULL), 0) AS lawsuits,
        ifNull(sumIf(requests_new, lawsuits_total IS NOT NULL), 0) AS lawsuit_requests
    FROM agency_years
    WHERE province_code = substring({region:String}, 1, 2) AND startsWith(agency_id, {region:String})
      AND year >= {from:UInt16} AND year <= {to:UInt16}
    GROUP BY year
)
ORDER BY year
