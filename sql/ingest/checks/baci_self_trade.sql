-- rows where a country exports to itself
SELECT * FROM raw.baci_flows WHERE year = $year AND i = j
