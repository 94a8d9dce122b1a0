-- row labels are REGION_INDUSTRY, unique per year, and every region lists the same industries
WITH per_industry AS (
    SELECT year, industry, count(DISTINCT region) AS regions FROM raw.icio_rows GROUP BY ALL
)
SELECT r.year, r.label, r.region, r.industry, 'label is not region_industry or appears twice' AS problem
FROM raw.icio_rows AS r
WHERE r.label <> r.region || '_' || r.industry
   OR (SELECT count(*) FROM raw.icio_rows AS d WHERE d.year = r.year AND d.label = r.label) > 1
UNION ALL
SELECT p.year, NULL, NULL, p.industry, 'industry missing in ' || (t.regions - p.regions) || ' region(s)'
FROM per_industry AS p JOIN raw.icio_tables AS t USING (year)
WHERE p.regions <> t.regions
