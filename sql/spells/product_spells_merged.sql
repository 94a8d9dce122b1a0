-- spells.product_spells (exporter x HS6 to the world, destinations summed first) with the gap
-- rule "merge_one_year_gaps" (METHODS.md section 4): runs of consecutive years with
-- value_usd > 0 separated by exactly one missing year form one spell; duration =
-- last_year - first_year + 1 (the gap year counts). Censoring reaches one year further under
-- this rule: left_censored = first_year <= first panel year + 1, event = 0 when
-- last_year >= last panel year - 1 (see sql/spells/export_spells_merged.sql and
-- tcd_pipeline.core.spells). Parameters as sql/spells/product_spells.sql.
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
),
marked AS (
    SELECT *,
        coalesce(first_year - lag(last_year) OVER (PARTITION BY exporter, hs6 ORDER BY first_year) > 2, true)
            AS starts_spell
    FROM runs
),
numbered AS (
    SELECT *,
        sum(CAST(starts_spell AS INTEGER)) OVER (
            PARTITION BY exporter, hs6 ORDER BY first_year ROWS UNBOUNDED PRECEDING
        ) AS spell_no
    FROM marked
),
merged AS (
    SELECT exporter, hs6, min(first_year) AS first_year, max(last_year) AS last_year,
           arg_min(initial_value, first_year) AS initial_value
    FROM numbered
    GROUP BY exporter, hs6, spell_no
)
SELECT
    m.exporter,
    m.hs6,
    CAST(m.first_year AS SMALLINT) AS first_year,
    CAST(m.last_year AS SMALLINT) AS last_year,
    CAST(m.last_year - m.first_year + 1 AS SMALLINT) AS duration,
    CAST(m.last_year < p.last_year - 1 AS TINYINT) AS event,
    m.first_year <= p.first_year + 1 AS left_censored,
    m.initial_value
FROM merged AS m, panel AS p
WHERE (CAST($min_initial_value AS DOUBLE) IS NULL OR m.initial_value >= CAST($min_initial_value AS DOUBLE))
  AND (CAST($include_left_censored AS BOOLEAN) OR m.first_year > p.first_year + 1)
