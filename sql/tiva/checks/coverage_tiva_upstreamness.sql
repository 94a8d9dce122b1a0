-- coverage of marts.tiva_upstreamness: every year of raw.icio_tables (an input-output table that passed
-- raw_icio) has its upstreamness; a row is a year missing from the mart
SELECT t.year, t.source_file, 'input-output year without upstreamness in marts.tiva_upstreamness' AS problem
FROM raw.icio_tables AS t
WHERE NOT EXISTS (SELECT 1 FROM marts.tiva_upstreamness AS m WHERE m.year = t.year)
ORDER BY t.year
