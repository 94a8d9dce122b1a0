-- I - A is singular (or A not productive) when an industry with output buys intermediate inputs worth
-- its whole output (column sum of A >= 1) or sells its whole output to itself (A_jj >= 1). Inputs may
-- exceed output by the table's rounding tolerance (raw.icio_tables: WIOD 2013 stores whole million USD,
-- so with output = row sums a tiny industry can show a few million of inputs more than its output)
SELECT r.year, r.label, r.output, r.z_column AS intermediate_inputs, r.z_diagonal AS own_use,
       'column sum of A >= 1: I - A singular' AS problem
FROM raw.icio_rows AS r JOIN raw.icio_tables AS t USING (year)
WHERE r.output > 0
  AND (r.z_column >= r.output + t.balance_atol + t.balance_rtol * r.output OR r.z_diagonal >= r.output)
ORDER BY r.year, r.label
