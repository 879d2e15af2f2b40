-- title: Agency history: one agency's reports year by year, with compliance, requests, grant and refusal rates (with denominators) and the change from the year before
-- param: agency String  the agency ID (an NBS code, or REGION/NAME for a department)
--
-- One row per year the agency was expected to report or did report, as of
-- the last refresh.
SELECT
    year,
    report_id,
    published_at,
    deadline,
    on_time,
    missing,
    incomplete,
    inconsistent,
    edited,
    no_data,
    requests_new,
    requests_new - prev_requests_new AS requests_new_change,
    answered,
    round(if(answered > 0, (granted + partial) / answered, NULL), 4) AS grant_rate,
    round(if(answered > 0, refused / answered, NULL), 4) AS refusal_rate,
    round(if(answered > 0 AND prev_answered > 0,
             (granted + partial) / answered - (prev_granted + prev_partial) / prev_answered, NULL), 4) AS grant_rate_change,
    reviews_total,
    lawsuits_total,
    source_url
FROM agency_timeline
WHERE province_code = substring({agency:String}, 1, 2) AND agency_key = {agency:String}
ORDER BY year
