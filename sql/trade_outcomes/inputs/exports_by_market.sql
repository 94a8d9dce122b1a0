-- exporter x destination totals of one year (diversification's market lines; its product lines are
-- trade_outcomes/inputs/exports_by_product, shared with RCA, the Lall shares, PRODY/EXPY and ECI/PCI)
SELECT year, exporter, importer, sum(value_usd) AS value_usd
FROM clean.flows
WHERE year = $year
GROUP BY ALL
