-- each exporter's total exports of each stored year from $first to $last, from the exporter x hs6 totals
-- (work.exports_by_product): the input of PRODY's fixed country set, which asks only whether they are positive
SELECT year, exporter, sum(value_usd) AS value_usd
FROM work.exports_by_product
WHERE year BETWEEN $first AND $last
GROUP BY ALL
