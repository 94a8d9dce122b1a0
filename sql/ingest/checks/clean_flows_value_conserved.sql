-- the year's total value must equal the raw file's (v is thousands of USD); a row here is a loss.
-- Both totals must be finite: DuckDB holds NaN equal to NaN and inf - inf is NaN, so a non-finite
-- total is reported as such instead of being compared
WITH r AS (SELECT sum(v) * 1000 AS raw_usd FROM raw.baci_flows WHERE year = $year),
     c AS (SELECT sum(value_usd) AS clean_usd FROM clean.flows WHERE year = $year)
SELECT $year AS year, raw_usd, clean_usd,
       CASE WHEN isfinite(coalesce(raw_usd, 0) + coalesce(clean_usd, 0)) THEN 'totals differ'
            ELSE 'a total is not finite' END AS problem
FROM r, c
WHERE NOT isfinite(coalesce(raw_usd, 0) + coalesce(clean_usd, 0))
   OR abs(coalesce(raw_usd, 0) - coalesce(clean_usd, 0)) > 1e-6 * greatest(abs(raw_usd), 1)
