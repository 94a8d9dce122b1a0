-- spells.product_spells (exporter x HS6 to the world, gap rule "none") derived from
-- spells.export_spells: the same spells as sql/survival/spells/product_spells.sql from a quarter of the
-- rows (at full scale 43 million bilateral spells instead of 190 million flows). Valid only when
-- the bilateral table holds every spell of the same panel, built from the current clean.flows
-- with the gap rule "none", no minimum initial value and left-censored spells kept
-- (tcd_pipeline.spells_sql checks spells.builds before using this statement). Then:
-- - a product is exported in year y iff one of its bilateral spells covers y: its years are the
--   union of its bilateral spells' years (bit_or of year masks, bit k = year $first_year + k);
-- - in the first year s of a product spell none of its bilateral spells was active in s - 1, so
--   every positive flow of the product in s starts a bilateral spell: the world value in s is
--   the sum of the initial values of the bilateral spells starting in s (the same numbers as the
--   world sum of the flows, added in another order);
-- - the run of set bits from bit k of a mask m has length bit_count(xor(x, x + 1)) - 1, x = m >> k.
-- Masks are BIGINT: panels of at most 62 years. Parameters as sql/survival/spells/product_spells.sql.
CREATE OR REPLACE TABLE spells.product_spells AS
WITH panel AS (
    SELECT CAST($first_year AS SMALLINT) AS first_year, CAST($last_year AS SMALLINT) AS last_year
),
bilateral AS (
    SELECT exporter, hs6, first_year, initial_value,
           ((CAST(1 AS BIGINT) << duration) - 1) << (first_year - $first_year) AS years
    FROM spells.export_spells
),
products AS (
    SELECT exporter, hs6, bit_or(years) AS years FROM bilateral GROUP BY exporter, hs6
),
starts AS (  -- bilateral spells that start in a year the product was not exported the year before
    SELECT b.exporter, b.hs6, b.first_year, sum(b.initial_value) AS initial_value,
           any_value(p.years >> (b.first_year - $first_year)) AS ahead
    FROM bilateral AS b
    JOIN products AS p ON p.exporter = b.exporter AND p.hs6 = b.hs6
    WHERE b.first_year = $first_year OR (p.years >> (b.first_year - $first_year - 1)) & 1 = 0
    GROUP BY b.exporter, b.hs6, b.first_year
),
runs AS (
    SELECT CAST(exporter AS VARCHAR) AS exporter, CAST(hs6 AS VARCHAR) AS hs6, first_year,
           first_year + bit_count(xor(ahead, ahead + 1)) - 2 AS last_year, initial_value
    FROM starts
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
