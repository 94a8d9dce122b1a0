-- rows and a hash of the values of each year of clean.flows: with the manifest's fingerprint of the
-- year, what a per-year mart's rows of that year were computed from (one scan of one column)
SELECT year, count(*) AS n_rows, bit_xor(hash(value_usd)) AS values_hash
FROM clean.flows
GROUP BY year
