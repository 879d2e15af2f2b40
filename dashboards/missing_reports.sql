-- title: Reports missing per agency: the years in a range for which a body in a county has no report
-- param: county String  6-digit NBS code of the county (e.g. 620421)
-- param: from UInt16    first year reported on
-- param: to UInt16      last year reported on
--
-- The bodies are those with at least one report in the range; a body that
-- never published in it does not show here.
SELECT
    agency,
    region_code,
    level,
    length(present) AS reports,
    arrayFilter(y -> NOT has(present, y),
                arrayMap(i -> toUInt16({from:UInt16} + i), range(toUInt64({to:UInt16} - {from:UInt16} + 1)))) AS missing_years
FROM
(
    SELECT agency, region_code, level, groupUniqArray(assumeNotNull(year)) AS present
    FROM reports_latest
    WHERE substring(region_code, 1, 6) = {county:String}
      AND year >= {from:UInt16} AND year <= {to:UInt16}
    GROUP BY agency, region_code, level
) AS bodies
WHERE length(missing_years) > 0
ORDER BY region_code, agency
