-- meta.mart_periods: for each mart built per period (marts.export_margins), the inputs each period was
-- computed from (a hash of its two years' inputs as in meta.mart_years); written in the mart's own
-- transaction, so it is exactly as committed as the mart's rows
CREATE TABLE IF NOT EXISTS meta.mart_periods (mart VARCHAR, year_start INTEGER, year_end INTEGER, inputs VARCHAR)
