-- spells.product_spells: one row per export spell of exporter x HS6 to the world (destinations
-- summed first, for data without destinations), gap rule "none" (Besedes and Prusa 2006;
-- METHODS.md section 4; the rules of tcd_pipeline.core.spells, as product_spells in
-- tcd_pipeline_tests/reference/spells_polars.py).
-- A spell is a maximal run of consecutive years with value_usd > 0 within the panel
-- [$first_year, $last_year] (NULL: the smallest / largest year of clean.flows). Gaps and islands:
-- within a pair, year - row_number() is constant along a run of consecutive years; only a
-- run's first row (no year just before it) and last row (none just after) are grouped, which
-- shrinks the grouping from every flow to about two rows per spell.
-- duration = last_year - first_year + 1; event = 0 when active in the panel's last year
-- (right-censored); left_censored = active in its first year (kept only if $include_left_censored);
-- spells whose first-year value is below $min_initial_value (NULL: no minimum) are dropped.
CREATE OR REPLACE TABLE spells.product_spells AS
WITH panel AS (
    SELECT
        coalesce(CAST($first_year AS SMALLINT), min(year)) AS first_year,
        coalesce(CAST($last_year AS SMALLINT), max(year)) AS last_year
    FROM clean.flows
),
world AS (
    SELECT f.exporter, f.hs6, f.year, sum(f.value_usd) AS value_usd
    FROM clean.flows AS f, panel AS p
    WHERE f.value_usd > 0 AND f.year BETWEEN p.first_year AND p.last_year
    GROUP BY f.exporter, f.hs6, f.year
),
islands AS (  -- one sort: the three window functions share the window w
    SELECT exporter, hs6, year, value_usd,
           year - row_number() OVER w AS island,
           year - lag(year) OVER w AS after_gap,
           lead(year) OVER w - year AS before_gap
    FROM world
    WINDOW w AS (PARTITION BY exporter, hs6 ORDER BY year)
),
runs AS (  -- a run's first and last rows hold everything it needs: only they are grouped
    SELECT exporter, hs6, min(year) AS first_year, max(year) AS last_year,
           arg_min(value_usd, year) AS initial_value
    FROM islands
    WHERE after_gap IS NULL OR after_gap > 1 OR before_gap IS NULL OR before_gap > 1
    GROUP BY exporter, hs6, island
)
SELECT
    r.exporter,
    r.hs6,
    CAST(r.first_year AS SMALLINT) AS first_year,
    CAST(r.last_year AS SMALLINT) AS last_year,
    CAST(r.last_year - r.first_year + 1 AS SMALLINT) AS duration,
    CAST(r.last_year < p.last_year AS TINYINT) AS event,
    r.first_year <= p.first_year AS left_censored,
    r.initial_value
FROM runs AS r, panel AS p
WHERE (CAST($min_initial_value AS DOUBLE) IS NULL OR r.initial_value >= CAST($min_initial_value AS DOUBLE))
  AND (CAST($include_left_censored AS BOOLEAN) OR r.first_year > p.first_year)
