-- the years of raw.tariffs (the periods of marts.tariff_changes must lie in them)
SELECT DISTINCT year FROM raw.tariffs ORDER BY year
