-- gross output equals the row sum of Z and final demand within the table's tolerance (raw.icio_tables:
-- balance_atol + balance_rtol x output, what the release's rounding allows: 0.01 + 1e-6 x for OECD ICIO and
-- long-run WIOD, 0.5 per stored column for WIOD 2013's whole million USD); exact with output = row sums.
-- Both must be finite (NaN equals NaN in DuckDB, and a NaN tolerance would let any gap pass)
SELECT r.year, r.label, r.output, r.row_total, r.output - r.row_total AS gap,
       t.balance_atol + t.balance_rtol * abs(r.output) AS tolerance
FROM raw.icio_rows AS r JOIN raw.icio_tables AS t USING (year)
WHERE NOT isfinite(r.output + r.row_total)
   OR abs(r.output - r.row_total) > t.balance_atol + t.balance_rtol * abs(r.output)
ORDER BY abs(r.output - r.row_total) DESC
