-- raw.baci_flows: one BACI year file as published (t, i, j, k, v, q) plus the partition year.
-- Only two normalisations: a 5-character k gets back the leading zero that tools reading k as a
-- number drop (10110 -> 010110; nothing else is padded or cut, so a code of any other length
-- reaches the gate's 6-character check as written: 2709001 is refused, not read as 270900), and
-- q's padded 'NA' / blanks become NULL.
INSERT INTO raw.baci_flows
SELECT
    $year::SMALLINT AS year,
    t,
    i,
    j,
    CASE WHEN length(trim(k)) = 5 THEN '0' || trim(k) ELSE trim(k) END AS k,
    v,
    CASE WHEN trim(q) IN ('', 'NA') THEN NULL ELSE CAST(trim(q) AS DOUBLE) END AS q
FROM read_csv(
    $path,
    auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', strict_mode = true,
    columns = {'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}
)
