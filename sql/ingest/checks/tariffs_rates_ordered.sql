-- a schedule row whose summary of its national lines is inconsistent: min <= simple average <= max,
-- duty-free lines within the lines
SELECT source_file, iso3, year, duty_type, hs6, min_rate_pct, simple_average_pct, max_rate_pct, n_lines, n_free_lines
FROM raw.tariffs
WHERE min_rate_pct > max_rate_pct + 1e-9
   OR simple_average_pct < min_rate_pct - 1e-9 OR simple_average_pct > max_rate_pct + 1e-9
   OR n_free_lines > n_lines
