-- Figure 26: export-weighted upstreamness (Antras-Chor), focus and comparators by input-output year, in the
-- output convention the TiVA marts were built with (meta.settings: settings.tiva_output)
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.export_upstreamness, m.export_downstreamness
FROM who w JOIN marts.tiva_export_upstreamness m USING (country)
WHERE m.output_convention = coalesce((SELECT value FROM meta.settings WHERE setting = 'settings.tiva_output'), 'published')
ORDER BY w.country_order, m.year
