-- coverage of marts.gvc_participation: every year of raw.icio_tables (an input-output table that passed
-- raw_icio) has its GVC participation; a row is a year missing from the mart
SELECT t.year, t.source_file, 'input-output year without GVC participation in marts.gvc_participation' AS problem
FROM raw.icio_tables AS t
WHERE NOT EXISTS (SELECT 1 FROM marts.gvc_participation AS m WHERE m.year = t.year)
ORDER BY t.year
