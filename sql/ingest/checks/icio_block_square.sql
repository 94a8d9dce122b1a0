-- the intermediate block of each ICIO table is square and has one row per region x industry
SELECT t.year, t.source_file, t.block_rows, t.block_columns, t.regions, t.industries, count(r.label) AS summary_rows
FROM raw.icio_tables AS t LEFT JOIN raw.icio_rows AS r ON r.year = t.year
GROUP BY ALL
HAVING t.block_rows <> t.block_columns OR t.block_rows <> t.regions * t.industries OR count(r.label) <> t.block_rows
