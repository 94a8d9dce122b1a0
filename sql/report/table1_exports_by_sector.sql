-- Table 1, exports by sector: values in three years (start of the first growth period, its end, end of the last one), shares, CAGR
WITH periods AS (
    SELECT DISTINCT year_start, year_end FROM marts.growth_by_sector WHERE country = $focus
), p1 AS (
    SELECT year_start, year_end FROM periods ORDER BY year_start, year_end LIMIT 1
), p2 AS (
    SELECT year_start, year_end FROM periods ORDER BY year_end DESC, year_start DESC LIMIT 1
), a AS (
    SELECT g.* FROM marts.growth_by_sector g JOIN p1 USING (year_start, year_end) WHERE g.country = $focus
), b AS (
    SELECT g.* FROM marts.growth_by_sector g JOIN p2 USING (year_start, year_end) WHERE g.country = $focus
), rows_ AS (
    SELECT coalesce(a.sector, b.sector) AS k, a.value_start_usd AS v1, a.value_end_usd AS v2, b.value_end_usd AS v3,
           a.cagr_pct AS c1, b.cagr_pct AS c2
    FROM a FULL JOIN b ON a.sector = b.sector
), shares AS (
    SELECT sector AS k, year, share_pct FROM marts.exports_by_sector WHERE country = $focus
)
SELECT r.k AS sector,
       CASE WHEN r.k = 'Total' THEN 1000 ELSE coalesce(o.o_order, 999) END AS display_order,
       p1.year_start AS year_1, p1.year_end AS year_2, p2.year_end AS year_3,
       r.v1 AS value_1_usd, r.v2 AS value_2_usd, r.v3 AS value_3_usd,
       coalesce(s1.share_pct, CASE WHEN r.v1 IS NOT NULL AND r.k = 'Total' THEN 100.0 END) AS share_1_pct,
       coalesce(s2.share_pct, CASE WHEN r.v2 IS NOT NULL AND r.k = 'Total' THEN 100.0 END) AS share_2_pct,
       coalesce(s3.share_pct, CASE WHEN r.v3 IS NOT NULL AND r.k = 'Total' THEN 100.0 END) AS share_3_pct,
       p1.year_start || '-' || p1.year_end AS period_1, r.c1 AS cagr_1_pct,
       p2.year_start || '-' || p2.year_end AS period_2, r.c2 AS cagr_2_pct
FROM rows_ r CROSS JOIN p1 CROSS JOIN p2
LEFT JOIN (SELECT sector AS o_key, display_order AS o_order FROM dim.sectors WHERE classification = 'goods') o ON o.o_key = r.k
LEFT JOIN shares s1 ON s1.k = r.k AND s1.year = p1.year_start
LEFT JOIN shares s2 ON s2.k = r.k AND s2.year = p1.year_end
LEFT JOIN shares s3 ON s3.k = r.k AND s3.year = p2.year_end
ORDER BY display_order, r.k
