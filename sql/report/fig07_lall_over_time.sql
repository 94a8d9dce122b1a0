-- Figure 7: the focus country's exports by Lall technology class, by year (% of exports)
SELECT year, lall_class, value_usd, share_pct
FROM marts.lall_shares
WHERE country = $focus
ORDER BY year, lall_class
