-- Table S2: survival at 1, 3, 5 and 10 years: focus and comparators, then the focus by sector, destination, period
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, m.group_type,
       CASE WHEN m.group_type = 'exporter' THEN w.country_name
            WHEN m.group_type = 'exporter_period' THEN regexp_replace(m.group_name, '^[^/]*/ *', '') || ' the event year'
            ELSE regexp_replace(m.group_name, '^[^/]*/ *', '') END AS group_label,
       m.n_spells, m.n_events, m.survival_1, m.survival_3, m.survival_5, m.survival_10, m.median_duration,
       CASE m.group_type WHEN 'exporter' THEN 1 WHEN 'exporter_sector' THEN 2 WHEN 'exporter_region' THEN 3 ELSE 4 END
           AS group_order, w.country_order
FROM who w JOIN marts.survival_summary m USING (country)
WHERE m.group_type = 'exporter' OR w.role = 'focus'
ORDER BY group_order, w.country_order, group_label
