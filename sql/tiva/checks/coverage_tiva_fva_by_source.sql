-- coverage of marts.tiva_fva_by_source: every year of raw.icio_tables (an input-output table that passed
-- raw_icio) has its FVA by source country; a row is a year missing from the mart
SELECT t.year, t.source_file, 'input-output year without FVA by source country in marts.tiva_fva_by_source' AS problem
FROM raw.icio_tables AS t
WHERE NOT EXISTS (SELECT 1 FROM marts.tiva_fva_by_source AS m WHERE m.year = t.year)
ORDER BY t.year
