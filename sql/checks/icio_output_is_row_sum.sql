-- gross output equals the row sum of Z and final demand within 0.01 + 1e-6 x output (million USD)
SELECT year, label, output, row_total, output - row_total AS gap
FROM raw.icio_rows
WHERE abs(output - row_total) > 0.01 + 1e-6 * abs(output)
ORDER BY abs(output - row_total) DESC
