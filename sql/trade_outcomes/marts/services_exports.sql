-- marts.services_exports: services exports by EBOPS category, share of total services (category S)
WITH e AS (
    SELECT iso3 AS country, year, category, category_label, value_usd
    FROM raw.services
    WHERE flow = 'exports' AND iso3 IS NOT NULL AND value_usd IS NOT NULL
)
SELECT e.country, e.year, e.category, e.category_label, e.value_usd,
       e.value_usd / t.value_usd * 100 AS share_pct
FROM e
LEFT JOIN e AS t ON t.country = e.country AND t.year = e.year AND t.category = 'S'
ORDER BY e.country, e.year, e.category
