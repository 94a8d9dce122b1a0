-- dim.products: clean.products with the HS section of the chapter (hs_sections), the report sector
-- (product_sector) and the Lall class (product_lall), registered from the marts' own mappings.
SELECT p.hs6, p.hs2, p.hs4, p.description,
       s.section AS hs_section,
       s.name AS hs_section_name,
       ps.sector,
       pl.lall AS lall_class
FROM clean.products AS p
LEFT JOIN hs_sections AS s ON p.hs2 BETWEEN s.first_chapter AND s.last_chapter
LEFT JOIN product_sector AS ps USING (hs6)
LEFT JOIN product_lall AS pl USING (hs6)
ORDER BY p.hs6
