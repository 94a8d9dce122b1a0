-- the inputs of year $year of mart $mart, as just built
INSERT INTO meta.mart_years VALUES ($mart, $year, $inputs)
