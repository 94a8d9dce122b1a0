-- marts.dva_growth: per country and period, shares sum to 100, contributions sum to 100 (when the total
-- changed), contributions in points sum to the total growth, and the values to the totals; the values and
-- totals finite (NaN equals NaN in DuckDB, inf - inf is NaN)
SELECT country, year_start, year_end, sum(share_start) AS shares_start, sum(share_end) AS shares_end,
       sum(contribution) AS contributions, sum(contribution_pp) AS contributions_pp,
       sum(value_start) AS value_start, any_value(total_start) AS total_start
FROM marts.dva_growth
GROUP BY country, year_start, year_end
HAVING NOT isfinite(sum(value_start) + sum(value_end) + any_value(total_start) + any_value(total_end))
    OR (any_value(total_start) <> 0 AND abs(sum(share_start) - 100) > 1e-6)
    OR (any_value(total_end) <> 0 AND abs(sum(share_end) - 100) > 1e-6)
    OR (any_value(total_end) <> any_value(total_start) AND abs(sum(contribution) - 100) > 1e-9 * greatest(sum(abs(contribution)), 100))
    OR (any_value(total_start) <> 0
        AND abs(sum(contribution_pp) - 100 * (any_value(total_end) / any_value(total_start) - 1))
            > 1e-9 * greatest(sum(abs(contribution_pp)), 100))
    OR abs(sum(value_start) - any_value(total_start)) > 1e-9 * greatest(abs(any_value(total_start)), 1)
    OR abs(sum(value_end) - any_value(total_end)) > 1e-9 * greatest(abs(any_value(total_end)), 1)
