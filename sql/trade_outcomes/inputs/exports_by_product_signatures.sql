-- rows and a hash of every stored year of work.exports_by_product from $first to $last, with what each was
-- summed from (work.exports_by_product_years); a year stored but changed since (by hand) shows other rows or hash
WITH stored AS (
    SELECT year, count(*) AS total_rows, bit_xor(hash(exporter, hs6, value_usd)) AS totals_hash
    FROM work.exports_by_product
    WHERE year BETWEEN $first AND $last
    GROUP BY year
)
SELECT y.year, y.flows, y.n_rows, y.values_hash,
       y.total_rows = coalesce(s.total_rows, 0) AND y.totals_hash IS NOT DISTINCT FROM s.totals_hash AS intact
FROM work.exports_by_product_years AS y
LEFT JOIN stored AS s USING (year)
WHERE y.year BETWEEN $first AND $last
