-- I - A is singular (or A not productive) when an industry with output buys intermediate inputs worth
-- its whole output (column sum of A >= 1) or sells its whole output to itself (A_jj >= 1)
SELECT year, label, output, z_column AS intermediate_inputs, z_diagonal AS own_use,
       'column sum of A >= 1: I - A singular' AS problem
FROM raw.icio_rows
WHERE output > 0 AND (z_column >= output OR z_diagonal >= output)
ORDER BY year, label
