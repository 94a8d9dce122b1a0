-- HHI lies in [1/N, 1]: a row is a country-year with HHI below 1/N (products or markets)
SELECT country, year, n_products, hhi_products, n_markets, hhi_markets FROM marts.diversification
WHERE hhi_products < 1.0 / n_products - 1e-12 OR hhi_markets < 1.0 / n_markets - 1e-12
