-- marts.dva_growth: per country and period, shares sum to 100, contributions sum to 100 (when the total
-- changed), contributions in points sum to the total growth, and the values to the totals; the values and
-- totals finite (NaN equals NaN in DuckDB, inf - inf is NaN)
SELECT country, year_start, year_end, sum(share_start_pct) AS shares_start, sum(share_end_pct) AS shares_end,
       sum(contribution_pct) AS contributions, sum(contribution_pp) AS contributions_pp,
       sum(value_start_usd) AS value_start_usd, any_value(total_start_usd) AS total_start_usd
FROM marts.dva_growth
GROUP BY country, year_start, year_end
HAVING NOT isfinite(sum(value_start_usd) + sum(value_end_usd) + any_value(total_start_usd) + any_value(total_end_usd))
    OR (any_value(total_start_usd) <> 0 AND abs(sum(share_start_pct) - 100) > 1e-6)
    OR (any_value(total_end_usd) <> 0 AND abs(sum(share_end_pct) - 100) > 1e-6)
    OR (any_value(total_end_usd) <> any_value(total_start_usd)
        AND abs(sum(contribution_pct) - 100) > 1e-9 * greatest(sum(abs(contribution_pct)), 100))
    OR (any_value(total_start_usd) <> 0
        AND abs(sum(contribution_pp) - 100 * (any_value(total_end_usd) / any_value(total_start_usd) - 1))
            > 1e-9 * greatest(sum(abs(contribution_pp)), 100))
    OR abs(sum(value_start_usd) - any_value(total_start_usd)) > 1e-9 * greatest(abs(any_value(total_start_usd)), 1e6)
    OR abs(sum(value_end_usd) - any_value(total_end_usd)) > 1e-9 * greatest(abs(any_value(total_end_usd)), 1e6)
