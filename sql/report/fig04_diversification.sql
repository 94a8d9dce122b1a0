-- Figure 4: products and markets served, their HHI and top-5 shares, focus and comparators by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.n_products, m.n_markets, m.hhi_products, m.hhi_markets,
       m.top5_product_share_pct, m.top5_market_share_pct
FROM who w JOIN marts.diversification m USING (country)
ORDER BY w.country_order, m.year
