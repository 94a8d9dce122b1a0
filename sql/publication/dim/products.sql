-- dim.products: clean.products with the HS section of the chapter (hs_sections), the report sector
-- (product_sector), the Lall class (product_lall) and the BEC end use (product_end_use, the tariff marts'),
-- registered from the marts' own mappings.
SELECT p.hs6, p.hs2, p.hs4, p.description,
       s.section AS hs_section,
       s.name AS hs_section_name,
       ps.sector,
       pl.lall AS lall_class,
       pe.bec4 AS bec,
       coalesce(pe.end_use, 'not classified') AS end_use
FROM clean.products AS p
LEFT JOIN hs_sections AS s ON p.hs2 BETWEEN s.first_chapter AND s.last_chapter
LEFT JOIN product_sector AS ps USING (hs6)
LEFT JOIN product_lall AS pl USING (hs6)
LEFT JOIN product_end_use AS pe USING (hs6)
ORDER BY p.hs6
