-- title: Completeness: in a region and year, by level, how many reports were expected and how many are present, missing (overdue), pending or unexpected, and how many state answered requests
-- param: region String  NBS code of the region (2, 4, 6 or 9 digits)
-- param: year UInt16    the year reported on
--
-- Expected: every division with a government and every registered
-- department (expected_reports). unexpected counts reports from bodies
-- nobody expected (years outside the expected range). with_outcomes counts
-- reports stating outcome.total, the denominator of every rate.
SELECT
    level,
    n_expected AS expected,
    present,
    n_missing AS missing,
    pending,
    unexpected,
    with_outcomes,
    round(present / n_expected, 4) AS present_share
FROM
(
    SELECT
        level,
        countIf(expected = 1) AS n_expected,
        countIf(expected = 1 AND report_id != '') AS present,
        countIf(missing = 'fail') AS n_missing,
        countIf(expected = 1 AND report_id = '' AND missing != 'fail') AS pending,
        countIf(expected = 0 AND report_id != '') AS unexpected,
        countIf(answered IS NOT NULL) AS with_outcomes
    FROM agency_years
    WHERE province_code = substring({region:String}, 1, 2) AND startsWith(agency_id, {region:String}) AND year = {year:UInt16}
    GROUP BY level
)
ORDER BY indexOf(['province', 'city', 'county', 'township', 'department'], level)
