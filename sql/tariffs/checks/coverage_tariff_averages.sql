-- every reporter x year x duty type of raw.tariffs has its 'all' row, with all its products' lines
SELECT t.iso3, t.year, t.duty_type, sum(t.n_lines) AS lines, any_value(m.n_lines) AS mart_lines
FROM raw.tariffs AS t
LEFT JOIN marts.tariff_averages AS m
  ON m.country = t.iso3 AND m.year = t.year AND m.duty_type = t.duty_type AND m.end_use = 'all'
GROUP BY t.iso3, t.year, t.duty_type
HAVING any_value(m.n_lines) IS NULL OR any_value(m.n_lines) <> sum(t.n_lines)
