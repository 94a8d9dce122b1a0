-- clean.macro: one row per country x year with the diagnostic's five WDI indicators.
-- Codes are harmonised to ISO3 (aliases), World Bank aggregates (WLD, EUU, ...) are dropped.
CREATE OR REPLACE TABLE clean.macro AS
WITH harmonised AS (
    SELECT coalesce(a.iso3, upper(trim(w.country_code))) AS iso3, w.year, w.indicator_code, w.value
    FROM raw.wdi AS w
    LEFT JOIN read_csv($aliases, header = true, columns = {'alias': 'VARCHAR', 'iso3': 'VARCHAR', 'note': 'VARCHAR'}) AS a
        ON a.alias = upper(trim(w.country_code))
)
SELECT
    iso3,
    year,
    max(value) FILTER (WHERE indicator_code = 'NY.GDP.MKTP.CD') AS gdp_usd,
    max(value) FILTER (WHERE indicator_code = 'NY.GDP.PCAP.CD') AS gdp_pc_usd,
    max(value) FILTER (WHERE indicator_code = 'SP.POP.TOTL') AS population,
    max(value) FILTER (WHERE indicator_code = 'NE.TRD.GNFS.ZS') AS trade_pct_gdp,
    max(value) FILTER (WHERE indicator_code = 'BX.KLT.DINV.CD.WD') AS fdi_net_inflows_usd
FROM harmonised
WHERE iso3 NOT IN (SELECT code FROM read_csv($aggregates, header = true, columns = {'code': 'VARCHAR', 'name': 'VARCHAR'}))
  AND indicator_code IN ('NY.GDP.MKTP.CD', 'NY.GDP.PCAP.CD', 'SP.POP.TOTL', 'NE.TRD.GNFS.ZS', 'BX.KLT.DINV.CD.WD')
GROUP BY iso3, year
ORDER BY iso3, year
