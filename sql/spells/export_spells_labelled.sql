-- spells.export_spells with the product's report sector and the destination's group in the
-- spell's first year (hs6_sector and importer_region are registered by the asset)
CREATE OR REPLACE TABLE spells.export_spells AS
SELECT s.*, coalesce(p.sector, 'Other') AS sector, coalesce(r.region, 'Rest of world') AS region
FROM spells.export_spells AS s
LEFT JOIN hs6_sector AS p USING (hs6)
LEFT JOIN importer_region AS r ON r.importer = s.importer AND r.year = s.first_year
