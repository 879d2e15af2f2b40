-- title: Reports missing per agency: for every body of a county (its government, townships and registered departments), the years in a range with no report
-- param: county String  6-digit NBS code of the county (e.g. 620421)
-- param: from UInt16    first year reported on
-- param: to UInt16      last year reported on
--
-- Bodies come from expected_reports (every division with a government and
-- every registered department, for the years the last refresh expected),
-- so a body that never published shows with every year missing.
-- overdue_years are the missing years whose deadline and grace period had
-- passed on the refresh day; the others are still pending.
SELECT
    name AS agency,
    agency_id,
    region_code,
    level,
    countIf(present) AS reports,
    arraySort(groupArrayIf(year, NOT present)) AS missing_years,
    arraySort(groupArrayIf(year, NOT present AND missing = 'fail')) AS overdue_years
FROM expected_reports
WHERE province_code = substring({county:String}, 1, 2) AND county_code = {county:String}
  AND year >= {from:UInt16} AND year <= {to:UInt16}
GROUP BY agency_id, name, region_code, level
HAVING length(missing_years) > 0
ORDER BY region_code, agency_id
