-- meta.mart_years: for each per-year mart, the inputs each of its years was computed from (a hash of
-- the year's verified flows, the reference inputs, the builder's code version and the settings);
-- written in the mart's own transaction, so it is exactly as committed as the mart's rows
CREATE TABLE IF NOT EXISTS meta.mart_years (mart VARCHAR, year INTEGER, inputs VARCHAR)
