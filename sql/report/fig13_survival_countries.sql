-- Figure 13: Kaplan-Meier survival of export relationships with 95% intervals, focus and comparators
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.t, m.n_at_risk, m.n_events, m.survival, m.ci_lower, m.ci_upper
FROM who w JOIN marts.survival_curves m USING (country)
WHERE m.group_type = 'exporter'
ORDER BY w.country_order, m.t
