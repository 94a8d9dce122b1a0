-- Figure 13: Kaplan-Meier survival of export relationships with 95% intervals, focus and comparators
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.t, m.n_at_risk, m.n_events, m.survival, m.ci_lower, m.ci_upper
FROM who w JOIN marts.survival_curves m USING (country)
WHERE m.group_type = 'exporter'
ORDER BY w.country_order, m.t
