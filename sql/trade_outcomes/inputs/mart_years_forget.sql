-- before recording a new build of mart $mart: its years' inputs are replaced whole
DELETE FROM meta.mart_years WHERE mart = $mart
