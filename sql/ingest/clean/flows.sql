-- clean.flows for one year: ISO3 exporter/importer, HS6 text, value in USD (BACI v x 1,000),
-- quantity in tonnes (NULL kept). Rows whose BACI codes share one ISO3 (e.g. 56 Belgium and
-- 58 Belgium-Luxembourg) are summed, so the table is unique on (year, exporter, importer, hs6).
INSERT INTO clean.flows
SELECT
    f.year,
    e.iso3 AS exporter,
    m.iso3 AS importer,
    f.k AS hs6,
    sum(f.v) * 1000 AS value_usd,
    sum(f.q) AS quantity_t
FROM raw.baci_flows AS f
JOIN clean.countries AS e ON e.country_code = f.i
JOIN clean.countries AS m ON m.country_code = f.j
WHERE f.year = $year
GROUP BY ALL
