-- title: As published on a date: the report each body of a region had out for a year on a given day (the latest captured by then), with its figures
-- param: region String  NBS code of the region (2, 4, 6 or 9 digits)
-- param: year UInt16    the year reported on
-- param: date Date      the day (reports first captured after it are left out)
--
-- For each URL, the payload captured last on or before the day (a later
-- silent edit is left out), read with the latest parse of that payload;
-- then one report per agency (matched agency, else the body as named),
-- chosen as reports_latest chooses.
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
    -- Read from the row tables, not the deduplicating views: the choice
    -- below (the latest version per URL, the earliest capture per
    -- payload) is the same whether a load was repeated or not, and the
    -- region filter then reads only what it needs.
    SELECT r.*, c.first_fetched
    FROM
    (
        SELECT report_id, source_url, payload_digest, agency, agency_id, level, region_code, published_at, status,
               fact_count, requests_new, answered, refused, parser_version, version,
               if(agency_id != '', agency_id, concat('body:', level, ':', region_code, ':', agency)) AS agency_key
        FROM report_rows
        WHERE year = {year:UInt16}
          AND (startsWith(agency_id, {region:String}) OR agency_id = '' AND startsWith(region_code, {region:String}))
    ) AS r
    INNER JOIN
    (
        SELECT url AS source_url, payload_digest, min(fetched_at) AS first_fetched
        FROM capture_rows
        WHERE status = 200 AND url IN (
            SELECT source_url FROM report_rows
            WHERE year = {year:UInt16}
              AND (startsWith(agency_id, {region:String}) OR agency_id = '' AND startsWith(region_code, {region:String})))
        GROUP BY url, payload_digest
    ) AS c ON r.source_url = c.source_url AND r.payload_digest = c.payload_digest
    WHERE toDate(c.first_fetched) <= {date:Date}
    ORDER BY r.source_url, c.first_fetched DESC, r.version DESC
    LIMIT 1 BY r.source_url
)
ORDER BY agency_key, status = 'ok' DESC, published_at DESC, fact_count DESC, first_fetched DESC, report_id
LIMIT 1 BY agency_key
