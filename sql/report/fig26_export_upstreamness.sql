-- Figure 26: export-weighted upstreamness (Antras-Chor), focus and comparators by input-output year, in the
-- output convention the TiVA marts were built with (meta.settings: settings.tiva_output)
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.export_upstreamness, m.export_downstreamness
FROM who w JOIN marts.tiva_export_upstreamness m USING (country)
WHERE m.output_convention = coalesce((SELECT value FROM meta.settings WHERE setting = 'settings.tiva_output'), 'published')
ORDER BY w.country_order, m.year
