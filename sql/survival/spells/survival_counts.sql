-- spells.survival_counts: identical spells collapsed into weights, once for every group type of
-- the survival marts (METHODS.md section 4: Kaplan-Meier and the log-rank tests depend on the
-- spells only through the number of spells of each group x duration x event). One scan of
-- spells.export_spells computes the four groupings together (GROUPING SETS); the marts read
-- this small table instead of collapsing tens of millions of spells each.
--   group_type       grouping columns (the others are NULL)
--   exporter         exporter
--   exporter_sector  exporter, sector (report sector of the product)
--   exporter_region  exporter, region (destination group in the spell's first year)
--   exporter_period  exporter, period ('before' when the spell starts before $event_year, else 'after')
-- left_censored stays a key, so a mart can keep or drop left-censored spells by filtering.
-- Codes and labels are grouped as the spell table's ENUMs and written as text.
-- grouping(sector, region, period) sets bit 4 / 2 / 1 when sector / region / period is NOT a
-- key of the row's grouping set.
CREATE OR REPLACE TABLE spells.survival_counts AS
WITH s AS (
    SELECT
        exporter, sector, region,
        CASE WHEN first_year < CAST($event_year AS SMALLINT) THEN 'before' ELSE 'after' END AS period,
        duration, event, left_censored
    FROM spells.export_spells
)
SELECT
    CASE grouping(sector, region, period)
        WHEN 7 THEN 'exporter'
        WHEN 3 THEN 'exporter_sector'
        WHEN 5 THEN 'exporter_region'
        WHEN 6 THEN 'exporter_period'
    END AS group_type,
    CAST(exporter AS VARCHAR) AS exporter, CAST(sector AS VARCHAR) AS sector,
    CAST(region AS VARCHAR) AS region, period, duration, event, left_censored,
    CAST(count(*) AS DOUBLE) AS weight
FROM s
GROUP BY GROUPING SETS (
    (exporter, duration, event, left_censored),
    (exporter, sector, duration, event, left_censored),
    (exporter, region, duration, event, left_censored),
    (exporter, period, duration, event, left_censored)
)
