-- title: As published on a date: the report each body of a region had out for a year on a given day (the latest captured by then), with its figures
-- param: region String  NBS code of the region (2, 4, 6 or 9 digits)
-- param: year UInt16    the year reported on
-- param: date Date      the day (reports first captured after it are left out)
--
-- For each URL, the version current on the day: captured last on or
-- before it (a later silent edit is left out), read with the latest parse
-- of that payload; then one report per agency (matched agency, else the
-- body as named), chosen as reports_latest chooses. Reads what the last
-- refresh saw: report_history holds every report version, with the first
-- capture of its payload at its URL and the day a later version of the
-- URL superseded it, ordered by province and year.
SELECT
    agency_key,
    agency,
    report_id,
    published_at,
    first_fetched,
    requests_new,
    answered,
    refused,
    parser_version,
    source_url
FROM report_history
WHERE province_code = substring({region:String}, 1, 2) AND year = {year:UInt16}
  AND (startsWith(agency_id, {region:String}) OR agency_id = '' AND startsWith(region_code, {region:String}))
  AND toDate(first_fetched) <= {date:Date}
  AND (superseded_on IS NULL OR superseded_on > {date:Date})
ORDER BY agency_key, status = 'ok' DESC, published_at DESC, fact_count DESC, first_fetched DESC, report_id
LIMIT 1 BY agency_key
