-- raw.baci_flows: one BACI year file as published (t, i, j, k, v, q) plus the partition year.
-- Only two normalisations: k is zero-padded to 6 digits (tools that read k as a number drop the
-- leading zero), and q's padded 'NA' / blanks become NULL.
INSERT INTO raw.baci_flows
SELECT
    $year::SMALLINT AS year,
    t,
    i,
    j,
    lpad(trim(k), 6, '0') AS k,
    v,
    CASE WHEN trim(q) IN ('', 'NA') THEN NULL ELSE CAST(trim(q) AS DOUBLE) END AS q
FROM read_csv(
    $path,
    auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', strict_mode = true,
    columns = {'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}
)
