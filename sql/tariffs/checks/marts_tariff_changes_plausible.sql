-- plausibility: averages within 1000 % at both ends (as marts.tariff_averages), changes within +-1000 points
SELECT country, duty_type, end_use, year_start, year_end, simple_average_start_pct, simple_average_end_pct,
       weighted_average_start_pct, weighted_average_end_pct, simple_average_change_pp, weighted_average_change_pp
FROM marts.tariff_changes
WHERE greatest(simple_average_start_pct, simple_average_end_pct, weighted_average_start_pct,
               weighted_average_end_pct) > 1000
   OR abs(simple_average_change_pp) > 1000 OR abs(weighted_average_change_pp) > 1000
   OR NOT isfinite(coalesce(simple_average_change_pp, 0)) OR NOT isfinite(coalesce(weighted_average_change_pp, 0))
