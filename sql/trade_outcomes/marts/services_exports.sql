-- marts.services_exports: services exports by EBOPS category, share of total services (category S)
WITH e AS (
    SELECT iso3 AS exporter, year, category, category_label, value_usd
    FROM raw.services
    WHERE flow = 'exports' AND iso3 IS NOT NULL AND value_usd IS NOT NULL
)
SELECT e.exporter, e.year, e.category, e.category_label, e.value_usd,
       e.value_usd / t.value_usd * 100 AS share_pct
FROM e
LEFT JOIN e AS t ON t.exporter = e.exporter AND t.year = e.year AND t.category = 'S'
ORDER BY e.exporter, e.year, e.category
