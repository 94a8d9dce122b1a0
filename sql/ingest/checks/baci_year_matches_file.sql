-- rows whose year column t differs from the year in the file name
SELECT * FROM raw.baci_flows WHERE year = $year AND t <> year
