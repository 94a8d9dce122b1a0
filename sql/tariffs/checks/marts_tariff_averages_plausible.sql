-- plausibility: a rate above 1000 % (or not finite) is a unit or decimal error; the highest MFN applied ad valorem
-- equivalents in TRAINS are a few hundred percent (tobacco, some agricultural lines). The declaration says >= 0.
SELECT country, year, duty_type, end_use, simple_average_pct, weighted_average_pct, min_rate_pct, max_rate_pct
FROM marts.tariff_averages
WHERE NOT isfinite(coalesce(simple_average_pct, 0)) OR simple_average_pct > 1000
   OR NOT isfinite(coalesce(weighted_average_pct, 0)) OR weighted_average_pct > 1000
   OR NOT isfinite(coalesce(min_rate_pct, 0)) OR min_rate_pct > 1000
   OR NOT isfinite(coalesce(max_rate_pct, 0)) OR max_rate_pct > 1000
