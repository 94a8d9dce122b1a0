-- the inputs each period of mart $mart was computed from (sql/trade_outcomes/inputs/mart_periods_table.sql)
SELECT year_start, year_end, inputs FROM meta.mart_periods WHERE mart = $mart
