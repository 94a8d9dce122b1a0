-- rows and a hash of the values of each year of clean.flows from $first to $last: with the manifest's
-- fingerprint of the year, what a per-year mart's rows (year_reuse) or a shared frame (shared_inputs) of that
-- year were computed from (one scan of one column)
SELECT year, count(*) AS n_rows, bit_xor(hash(value_usd)) AS values_hash
FROM clean.flows
WHERE year BETWEEN $first AND $last
GROUP BY year
