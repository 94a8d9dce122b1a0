-- clean.products: the HS6 list of the configured vintage with its chapter (HS2) and heading (HS4).
CREATE OR REPLACE TABLE clean.products AS
SELECT code AS hs6, left(code, 2) AS hs2, left(code, 4) AS hs4, description
FROM raw.product_codes
ORDER BY code
