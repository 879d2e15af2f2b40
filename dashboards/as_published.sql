-- title: As published on a date: the report each body of a region had out for a year on a given day (the latest captured by then), with its figures
-- param: region String  NBS code of the region (2, 4, 6 or 9 digits)
-- param: year UInt16    the year reported on
-- param: date Date      the day (reports first captured after it are left out)
--
-- For each URL, the payload captured last on or before the day (a later
-- silent edit is left out), read with the latest parse of that payload;
-- then one report per agency (matched agency, else the body as named),
-- chosen as reports_latest chooses. Reads what the last refresh saw.
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
FROM
(
    -- report_history (written by the last refresh): every report version
    -- loaded, with the first capture of its payload at its URL, ordered by
    -- province and year.
    SELECT *
    FROM report_history
    WHERE province_code = substring({region:String}, 1, 2) AND year = {year:UInt16}
      AND (startsWith(agency_id, {region:String}) OR agency_id = '' AND startsWith(region_code, {region:String}))
      AND toDate(first_fetched) <= {date:Date}
    ORDER BY source_url, first_fetched DESC, version DESC
    LIMIT 1 BY source_url
)
ORDER BY agency_key, status = 'ok' DESC, published_at DESC, fact_count DESC, first_fetched DESC, report_id
LIMIT 1 BY agency_key
