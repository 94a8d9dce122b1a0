-- coverage of marts.tiva_dva_by_destination: every year of raw.icio_tables (an input-output table that passed
-- raw_icio) has its DVA by destination; a row is a year missing from the mart
SELECT t.year, t.source_file, 'input-output year without DVA by destination in marts.tiva_dva_by_destination' AS problem
FROM raw.icio_tables AS t
WHERE NOT EXISTS (SELECT 1 FROM marts.tiva_dva_by_destination AS m WHERE m.year = t.year)
ORDER BY t.year
