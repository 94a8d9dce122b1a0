-- coverage of marts.tiva_indicators: every year of raw.icio_tables (an input-output table that passed
-- raw_icio) has its TiVA indicators; a row is a year missing from the mart
SELECT t.year, t.source_file, 'input-output year without TiVA indicators in marts.tiva_indicators' AS problem
FROM raw.icio_tables AS t
WHERE NOT EXISTS (SELECT 1 FROM marts.tiva_indicators AS m WHERE m.year = t.year)
ORDER BY t.year
