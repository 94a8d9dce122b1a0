-- rows and a hash of each year of marts.prody: what EXPY's year is computed from besides the year's flows
SELECT year, count(*)::VARCHAR || ':' || bit_xor(hash(hs6, prody_usd))::VARCHAR AS signature
FROM marts.prody
GROUP BY year
