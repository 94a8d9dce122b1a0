-- the bilateral rows of one year (margins, diversification, export quality)
SELECT year, exporter, importer, hs6, value_usd, quantity_t FROM clean.flows WHERE year = $year
