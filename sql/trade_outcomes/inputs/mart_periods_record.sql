-- the inputs of period $year_start-$year_end of mart $mart, as just built
INSERT INTO meta.mart_periods VALUES ($mart, $year_start, $year_end, $inputs)
