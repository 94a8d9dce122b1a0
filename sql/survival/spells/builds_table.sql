-- spells.builds: how each spell table was last built (one row per level), read before deriving
-- product spells from the bilateral ones (sql/survival/spells/product_spells_from_export_spells.sql).
-- flows_version names the state of clean.flows the spells were built from (the fingerprints of
-- its verified partitions; '' when unknown); built_from is the table the spells were made from
-- (clean.flows, or spells.export_spells for derived product spells).
CREATE TABLE IF NOT EXISTS spells.builds (
    level VARCHAR PRIMARY KEY, first_year SMALLINT, last_year SMALLINT, gap VARCHAR,
    min_initial_value DOUBLE, include_left_censored BOOLEAN, flows_version VARCHAR, built_from VARCHAR
)
;
-- warehouses made before built_from existed
ALTER TABLE spells.builds ADD COLUMN IF NOT EXISTS built_from VARCHAR
