-- spells.export_spells with the gap rule "merge_one_year_gaps" (METHODS.md section 4): runs of
-- consecutive years with value_usd > 0 separated by exactly one missing year form one spell;
-- duration = last_year - first_year + 1 (the gap year counts). The reach of censoring grows
-- with the rule: a spell starting in the panel's second year could merge with unseen exports
-- before the panel, one ending in its second-to-last year with unseen exports after it, so
-- left_censored = first_year <= first panel year + 1 and event = 0 when last_year >= last
-- panel year - 1 (as tcd_pipeline.core.spells). Parameters as sql/spells/export_spells.sql.
-- Each spell carries the report sector of its product and the group of its destination in the
-- spell's first year (coalesced to 'Other' / 'Rest of world'): the relations hs6_sector (hs6,
-- sector) and importer_region (importer, year, region) are registered by
-- tcd_pipeline.spells_sql.build_spells. Joining them here, on the few spell rows, writes the
-- table once (a second pass to add them cost a full rewrite of tens of millions of rows).
INSERT INTO spells.export_spells BY NAME
WITH panel AS (
    SELECT
        coalesce(CAST($first_year AS SMALLINT), min(year)) AS first_year,
        coalesce(CAST($last_year AS SMALLINT), max(year)) AS last_year
    FROM clean.flows
),
islands AS (  -- one sort: the three window functions share the window w
    SELECT
        f.exporter, f.hs6, f.importer, f.year, f.value_usd,
        f.year - row_number() OVER w AS island,
        f.year - lag(f.year) OVER w AS after_gap,
        lead(f.year) OVER w - f.year AS before_gap
    FROM (  -- codes as the table's ENUMs first: the sort compares small integers, not text
        SELECT CAST(exporter AS spells.country_code) AS exporter, CAST(hs6 AS spells.hs6_code) AS hs6,
               CAST(importer AS spells.country_code) AS importer, year, value_usd
        FROM clean.flows
        WHERE exporter BETWEEN $first_exporter AND $last_exporter
    ) AS f, panel AS p
    WHERE f.value_usd > 0 AND f.year BETWEEN p.first_year AND p.last_year
    WINDOW w AS (PARTITION BY f.exporter, f.hs6, f.importer ORDER BY f.year)
),
runs AS (  -- a run's first and last rows hold everything it needs: only they are grouped
    SELECT exporter, hs6, importer, min(year) AS first_year, max(year) AS last_year,
           arg_min(value_usd, year) AS initial_value
    FROM islands
    WHERE after_gap IS NULL OR after_gap > 1 OR before_gap IS NULL OR before_gap > 1
    GROUP BY exporter, hs6, importer, island
),
marked AS (
    SELECT *,
        coalesce(first_year - lag(last_year) OVER (PARTITION BY exporter, hs6, importer ORDER BY first_year) > 2, true)
            AS starts_spell
    FROM runs
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
           arg_min(initial_value, first_year) AS initial_value
    FROM numbered
    GROUP BY exporter, hs6, importer, spell_no
)
SELECT
    m.exporter,
    m.hs6,
    m.importer,
    CAST(m.first_year AS SMALLINT) AS first_year,
    CAST(m.last_year AS SMALLINT) AS last_year,
    CAST(m.last_year - m.first_year + 1 AS SMALLINT) AS duration,
    CAST(m.last_year < p.last_year - 1 AS TINYINT) AS event,
    m.first_year <= p.first_year + 1 AS left_censored,
    m.initial_value,
    coalesce(sec.sector, 'Other') AS sector,
    coalesce(reg.region, 'Rest of world') AS region
FROM merged AS m
CROSS JOIN panel AS p
LEFT JOIN hs6_sector AS sec ON sec.hs6 = m.hs6
LEFT JOIN importer_region AS reg ON reg.importer = m.importer AND reg.year = m.first_year
WHERE (CAST($min_initial_value AS DOUBLE) IS NULL OR m.initial_value >= CAST($min_initial_value AS DOUBLE))
  AND (CAST($include_left_censored AS BOOLEAN) OR m.first_year > p.first_year + 1)
