-- Figure 20: the focus country's DVA in exports by destination (% of DVA in exports): first and last input-output year; the eight largest partners of the last year, the rest summed
WITH years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM marts.tiva_dva_by_destination WHERE country = $focus
), m AS (
    SELECT t.* FROM marts.tiva_dva_by_destination t CROSS JOIN years y WHERE t.country = $focus AND t.year IN (y.first_year, y.last_year)
), top AS (
    SELECT m.destination, row_number() OVER (ORDER BY m.dva_usd DESC, m.destination) AS partner_rank
    FROM m CROSS JOIN years y WHERE m.year = y.last_year
    QUALIFY partner_rank <= 8
)
SELECT m.year, coalesce(top.destination, 'Other') AS partner,
       CASE WHEN top.destination IS NULL THEN 'All other partners' WHEN top.destination = 'ROW' THEN 'Rest of the world (ICIO)' ELSE coalesce(any_value(d.country_name), top.destination) END
           AS partner_name,
       coalesce(any_value(top.partner_rank), 9) AS partner_rank, sum(m.dva_usd) AS dva_usd, sum(m.share_pct) AS share_pct
FROM m LEFT JOIN top USING (destination) LEFT JOIN dim.countries d ON d.country = top.destination
GROUP BY m.year, top.destination
ORDER BY m.year, partner_rank
