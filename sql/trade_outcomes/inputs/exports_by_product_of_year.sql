-- the stored exporter x hs6 totals of year $year (work.exports_by_product)
SELECT year, exporter, hs6, value_usd
FROM work.exports_by_product
WHERE year = $year
