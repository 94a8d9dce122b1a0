-- an average outside the range of the class's national line rates: min_rate_pct <= simple and weighted <= max_rate_pct
SELECT country, year, duty_type, end_use, min_rate_pct, simple_average_pct, weighted_average_pct, max_rate_pct
FROM marts.tariff_averages
WHERE simple_average_pct < min_rate_pct - 1e-9 OR simple_average_pct > max_rate_pct + 1e-9
   OR weighted_average_pct < min_rate_pct - 1e-9 OR weighted_average_pct > max_rate_pct + 1e-9
