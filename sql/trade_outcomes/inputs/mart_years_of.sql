-- the inputs each year of mart $mart was computed from (sql/trade_outcomes/inputs/mart_years_table.sql)
SELECT year, inputs FROM meta.mart_years WHERE mart = $mart
