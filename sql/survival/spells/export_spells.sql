-- spells.export_spells: one row per export spell of exporter x HS6 x destination, gap rule "none"
-- (Besedes and Prusa 2006; METHODS.md section 4; same rules as tcd_pipeline.core.spells).
-- A spell is a maximal run of consecutive years with value_usd > 0 within the panel
-- [$first_year, $last_year] (NULL: the smallest / largest year of clean.flows). Gaps and islands:
-- within a pair, year - row_number() is constant along a run of consecutive years; only a
-- run's first row (no year just before it) and last row (none just after) are grouped, which
-- shrinks the grouping from every flow to about two rows per spell.
-- duration = last_year - first_year + 1; event = 0 when active in the panel's last year
-- (right-censored); left_censored = active in its first year (kept only if $include_left_censored);
-- spells whose first-year value is below $min_initial_value (NULL: no minimum) are dropped.
-- The statement inserts the spells of the exporters from $first_exporter to $last_exporter into
-- the table made by sql/survival/spells/export_spells_table.sql: tcd_pipeline.spells_sql.build_spells
-- runs it on ranges of exporters of bounded size, so that each sort fits in memory (a pair's
-- spells never straddle two ranges), all in one transaction.
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
)
SELECT
    r.exporter,
    r.hs6,
    r.importer,
    CAST(r.first_year AS SMALLINT) AS first_year,
    CAST(r.last_year AS SMALLINT) AS last_year,
    CAST(r.last_year - r.first_year + 1 AS SMALLINT) AS duration,
    CAST(r.last_year < p.last_year AS TINYINT) AS event,
    r.first_year <= p.first_year AS left_censored,
    r.initial_value,
    coalesce(sec.sector, 'Other') AS sector,
    coalesce(reg.region, 'Rest of world') AS region
FROM runs AS r
CROSS JOIN panel AS p
LEFT JOIN hs6_sector AS sec ON sec.hs6 = r.hs6
LEFT JOIN importer_region AS reg ON reg.importer = r.importer AND reg.year = r.first_year
WHERE (CAST($min_initial_value AS DOUBLE) IS NULL OR r.initial_value >= CAST($min_initial_value AS DOUBLE))
  AND (CAST($include_left_censored AS BOOLEAN) OR r.first_year > p.first_year)
