-- exporter x hs6 totals of one year (the input of RCA, Lall shares, PRODY/EXPY, ECI/PCI)
SELECT year, exporter, hs6, sum(value_usd) AS value_usd
FROM clean.flows
WHERE year = $year
GROUP BY ALL
