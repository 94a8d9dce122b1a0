-- Figure 21: the foreign value added in the focus country's exports by source country (% of FVA): first and last input-output year; the eight largest partners of the last year, the rest summed
WITH years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM marts.tiva_fva_by_source WHERE country = $focus
), m AS (
    SELECT t.* FROM marts.tiva_fva_by_source t CROSS JOIN years y WHERE t.country = $focus AND t.year IN (y.first_year, y.last_year)
), top AS (
    SELECT m.source_country, row_number() OVER (ORDER BY m.fva_usd DESC, m.source_country) AS partner_rank
    FROM m CROSS JOIN years y WHERE m.year = y.last_year
    QUALIFY partner_rank <= 8
)
SELECT m.year, coalesce(top.source_country, 'Other') AS partner,
       CASE WHEN top.source_country IS NULL THEN 'All other partners' WHEN top.source_country = 'ROW' THEN 'Rest of the world (ICIO)' ELSE coalesce(any_value(d.country_name), top.source_country) END
           AS partner_name,
       coalesce(any_value(top.partner_rank), 9) AS partner_rank, sum(m.fva_usd) AS fva_usd, sum(m.share_pct) AS share_pct
FROM m LEFT JOIN top USING (source_country) LEFT JOIN dim.countries d ON d.country = top.source_country
GROUP BY m.year, top.source_country
ORDER BY m.year, partner_rank
