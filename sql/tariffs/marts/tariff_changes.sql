-- marts.tariff_changes: the averages of marts.tariff_averages at both ends of each period ($year_start[i],
-- $year_end[i]), for every reporter x duty type x end use present in both years
WITH periods AS (
    SELECT unnest($year_start::SMALLINT[]) AS year_start, unnest($year_end::SMALLINT[]) AS year_end
)
SELECT s.country, s.duty_type, s.end_use, p.year_start, p.year_end,
       s.simple_average_pct AS simple_average_start_pct,
       e.simple_average_pct AS simple_average_end_pct,
       e.simple_average_pct - s.simple_average_pct AS simple_average_change_pp,
       100.0 * (e.simple_average_pct / nullif(s.simple_average_pct, 0) - 1) AS simple_average_growth_pct,
       s.weighted_average_pct AS weighted_average_start_pct,
       e.weighted_average_pct AS weighted_average_end_pct,
       e.weighted_average_pct - s.weighted_average_pct AS weighted_average_change_pp
FROM periods AS p
JOIN marts.tariff_averages AS s ON s.year = p.year_start
JOIN marts.tariff_averages AS e
  ON e.year = p.year_end AND e.country = s.country AND e.duty_type = s.duty_type AND e.end_use = s.end_use
ORDER BY s.country, s.duty_type, s.end_use, p.year_start, p.year_end
