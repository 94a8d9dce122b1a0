-- every group type of spells.survival_counts accounts for every spell exactly once:
-- sum of the weights = number of spells in spells.export_spells (and no group type is missing)
WITH spells AS (SELECT count(*) AS n FROM spells.export_spells),
types AS (SELECT unnest(['exporter', 'exporter_sector', 'exporter_region', 'exporter_period']) AS group_type),
totals AS (SELECT group_type, sum(weight) AS weight FROM spells.survival_counts GROUP BY group_type)
SELECT t.group_type, coalesce(c.weight, 0) AS weight, s.n AS spells
FROM types AS t
CROSS JOIN spells AS s
LEFT JOIN totals AS c USING (group_type)
WHERE coalesce(c.weight, 0) <> s.n
