-- spells.export_spells with the gap rule "merge_one_year_gaps" (METHODS.md section 4), made from
-- the table of the rule "none" (built first with every spell kept, sql/survival/spells/export_spells.sql):
-- spells of a pair separated by exactly one missing year form one spell; duration =
-- last_year - first_year + 1 (the gap year counts). The reach of censoring grows with the rule:
-- a spell starting in the panel's second year could merge with unseen exports before the panel,
-- one ending in its second-to-last year with unseen exports after it, so left_censored =
-- first_year <= $first_year + 1 and event = 0 when last_year >= $last_year - 1 (as
-- tcd_pipeline.core.spells). A merged spell keeps the initial value, sector and destination group
-- of its first part. $min_initial_value and $include_left_censored apply to the merged spells.
CREATE OR REPLACE TABLE spells.export_spells AS
WITH marked AS (
    SELECT *,
        coalesce(first_year - lag(last_year) OVER (PARTITION BY exporter, hs6, importer ORDER BY first_year) > 2, true)
            AS starts_spell
    FROM spells.export_spells
),
numbered AS (
    SELECT *,
        sum(CAST(starts_spell AS INTEGER)) OVER (
            PARTITION BY exporter, hs6, importer ORDER BY first_year ROWS UNBOUNDED PRECEDING
        ) AS spell_no
    FROM marked
),
merged AS (
    SELECT exporter, hs6, importer, min(first_year) AS first_year, max(last_year) AS last_year,
           arg_min(initial_value, first_year) AS initial_value, arg_min(sector, first_year) AS sector,
           arg_min(region, first_year) AS region
    FROM numbered
    GROUP BY exporter, hs6, importer, spell_no
)
SELECT
    exporter,
    hs6,
    importer,
    CAST(first_year AS SMALLINT) AS first_year,
    CAST(last_year AS SMALLINT) AS last_year,
    CAST(last_year - first_year + 1 AS SMALLINT) AS duration,
    CAST(last_year < $last_year - 1 AS TINYINT) AS event,
    first_year <= $first_year + 1 AS left_censored,
    initial_value,
    sector,
    region
FROM merged
WHERE (CAST($min_initial_value AS DOUBLE) IS NULL OR initial_value >= CAST($min_initial_value AS DOUBLE))
  AND (CAST($include_left_censored AS BOOLEAN) OR first_year > $first_year + 1)
