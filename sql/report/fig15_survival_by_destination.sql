-- Figure 15: Kaplan-Meier survival of the focus country's export relationships by destination group
SELECT regexp_replace(group_name, '^[^/]*/ *', '') AS group_label, group_name,
       t, n_at_risk, n_events, survival, ci_lower, ci_upper
FROM marts.survival_curves
WHERE country = $focus AND group_type = 'exporter_region'
ORDER BY group_label, t
