-- title: Province trend: for each year in a range, how many reports were expected, present, missing, late and inconsistent, and the pooled grant and refusal rates with their denominators and the change from the previous year
-- param: province String  2-digit NBS code of the province (e.g. 62)
-- param: from UInt16      first year reported on
-- param: to UInt16        last year reported on
--
-- Every agency of the province counts (governments at every level and
-- registered departments). Pooled rates divide the sums over the reports
-- that state both terms: refusal_rate = Σ refused / Σ answered
-- (refusal_answered), grant_rate = Σ (granted + partial) / Σ answered
-- (grant_answered). median_refusal_rate is the median of the reports'
-- own rates. The change columns compare with the previous year in range.
SELECT
    year,
    n_expected AS expected,
    present,
    n_missing AS missing,
    late,
    n_inconsistent AS inconsistent,
    refusal_answered,
    n_refused AS refused,
    round(if(refusal_answered > 0, n_refused / refusal_answered, NULL), 4) AS refusal_rate,
    round(refusal_rate - lagInFrame(refusal_rate) OVER (ORDER BY year), 4) AS refusal_rate_change,
    grant_answered,
    round(if(grant_answered > 0, granted_or_partial / grant_answered, NULL), 4) AS grant_rate,
    round(grant_rate - lagInFrame(grant_rate) OVER (ORDER BY year), 4) AS grant_rate_change,
    round(median_refusal_rate, 4) AS median_refusal_rate
FROM
(
    -- Counts and sums from year_summary (Refresh adds up agency_years by
    -- level, province and year), the median from the agency-years.
    SELECT
        year,
        sum(expected) AS n_expected,
        sum(present) AS present,
        sum(missing) AS n_missing,
        sum(late) AS late,
        sum(inconsistent) AS n_inconsistent,
        sum(refusal_answered) AS refusal_answered,
        sum(refused) AS n_refused,
        sum(grant_answered) AS grant_answered,
        sum(granted_or_partial) AS granted_or_partial
    FROM year_summary
    WHERE province_code = {province:String} AND year >= {from:UInt16} AND year <= {to:UInt16}
    GROUP BY year
) AS s
LEFT JOIN
(
    SELECT year, quantileExactIf(0.5)(refused / answered, answered > 0 AND refused IS NOT NULL) AS median_refusal_rate
    FROM agency_years
    WHERE province_code = {province:String} AND year >= {from:UInt16} AND year <= {to:UInt16}
    GROUP BY year
) AS m USING year
ORDER BY year
