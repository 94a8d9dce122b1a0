-- WDI values that cannot be right: any value that is not finite (NaN, +inf, -inf), and values of the
-- diagnostic's indicators outside their plausibility bounds. The bounds are generous but finite, each
-- far beyond what any economy (or the World aggregate, which raw.wdi still holds) has reached; a value
-- beyond one is a unit, scale or parsing error. Lower bounds (GDP > 0, ...) are clean_macro's.
--   NY.GDP.MKTP.CD    GDP, current USD            <= 1e15: ten times world GDP (WLD 1.06e14 in 2023)
--   NY.GDP.PCAP.CD    GDP per capita, current USD <= 1e6: four times the highest ever (Monaco, 2.6e5 in 2023)
--   SP.POP.TOTL       population                  <= 1e10: above the world's (WLD 8.06e9 in 2023)
--   NE.TRD.GNFS.ZS    trade, % of GDP             <= 2000: the highest are 4-900 (Luxembourg, Singapore,
--                                                   Hong Kong about 440; US Virgin Islands 863 in 2008)
--   BX.KLT.DINV.CD.WD FDI net inflows, current USD within +-1e14: world GDP (WLD inflows peaked at 3.1e12
--                                                   in 2007; the lowest net inflow is -5.0e11)
-- (maxima: ../shared/data/wdi_worldbank, WDI 2025-06 and OWID trade % of GDP). `value` is shown as text so
-- that a NaN is named as such in the gate's message.
WITH bounds (indicator_code, low, high) AS (
    VALUES ('NY.GDP.MKTP.CD', NULL, 1e15), ('NY.GDP.PCAP.CD', NULL, 1e6), ('SP.POP.TOTL', NULL, 1e10),
           ('NE.TRD.GNFS.ZS', NULL, 2000), ('BX.KLT.DINV.CD.WD', -1e14, 1e14)
)
SELECT w.country_code, w.indicator_code, w.year, CAST(w.value AS VARCHAR) AS value,
       CASE WHEN NOT isfinite(w.value) THEN 'not a finite number'
            WHEN w.value > b.high THEN 'above the plausibility bound ' || printf('%g', b.high)
            ELSE 'below the plausibility bound ' || printf('%g', b.low) END AS problem,
       w.source_file
FROM raw.wdi AS w
LEFT JOIN bounds AS b USING (indicator_code)
WHERE NOT isfinite(w.value) OR w.value > b.high OR w.value < b.low
ORDER BY w.source_file, w.indicator_code, w.country_code, w.year
