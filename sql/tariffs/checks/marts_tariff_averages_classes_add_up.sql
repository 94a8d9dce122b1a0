-- the end-use classes are disjoint parts of 'all': together no more products or lines than 'all'
SELECT p.country, p.year, p.duty_type, sum(p.n_products) AS class_products, a.n_products AS all_products,
       sum(p.n_lines) AS class_lines, a.n_lines AS all_lines
FROM marts.tariff_averages AS p
JOIN marts.tariff_averages AS a
  ON a.country = p.country AND a.year = p.year AND a.duty_type = p.duty_type AND a.end_use = 'all'
WHERE p.end_use <> 'all'
GROUP BY p.country, p.year, p.duty_type, a.n_products, a.n_lines
HAVING sum(p.n_products) > a.n_products OR sum(p.n_lines) > a.n_lines
