-- Figure 23: foreign value added content of the focus country's exports (DEXFVAPSH, %) by industry over the
-- input-output years, for the ten industries with the largest gross exports in the last year
WITH top AS (
    SELECT industry, row_number() OVER (ORDER BY exgr_usd DESC, industry) AS industry_rank
    FROM marts.tiva_indicators
    WHERE country = $focus AND year = (SELECT max(year) FROM marts.tiva_indicators WHERE country = $focus)
    QUALIFY industry_rank <= 10
)
SELECT t.industry, coalesce(i.industry_name, t.industry) AS industry_name, top.industry_rank, t.year, t.dexfvapsh,
       t.exgr_usd
FROM marts.tiva_indicators t JOIN top USING (industry) LEFT JOIN dim.tiva_industries i USING (industry)
WHERE t.country = $focus
ORDER BY top.industry_rank, t.year
