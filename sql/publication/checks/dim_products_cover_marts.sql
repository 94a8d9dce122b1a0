-- Every product of the marts (mart_product_codes: table, column, code) is a row of dim.products.
SELECT m.table_name, m.column_name, m.code
FROM mart_product_codes AS m
WHERE m.code NOT IN (SELECT hs6 FROM dim.products)
ORDER BY m.code, m.table_name, m.column_name
