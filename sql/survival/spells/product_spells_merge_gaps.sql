-- spells.product_spells (exporter x HS6 to the world) with the gap rule "merge_one_year_gaps",
-- made from the table of the rule "none" (built first with every spell kept): the rules of
-- sql/survival/spells/export_spells_merge_gaps.sql, without destinations.
CREATE OR REPLACE TABLE spells.product_spells AS
WITH marked AS (
    SELECT *,
        coalesce(first_year - lag(last_year) OVER (PARTITION BY exporter, hs6 ORDER BY first_year) > 2, true)
            AS starts_spell
    FROM spells.product_spells
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
    exporter,
    hs6,
    CAST(first_year AS SMALLINT) AS first_year,
    CAST(last_year AS SMALLINT) AS last_year,
    CAST(last_year - first_year + 1 AS SMALLINT) AS duration,
    CAST(last_year < $last_year - 1 AS TINYINT) AS event,
    first_year <= $first_year + 1 AS left_censored,
    initial_value
FROM merged
WHERE (CAST($min_initial_value AS DOUBLE) IS NULL OR initial_value >= CAST($min_initial_value AS DOUBLE))
  AND (CAST($include_left_censored AS BOOLEAN) OR first_year > $first_year + 1)
