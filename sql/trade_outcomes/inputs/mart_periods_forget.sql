-- before recording a new build of mart $mart: its periods' inputs are replaced whole
DELETE FROM meta.mart_periods WHERE mart = $mart
