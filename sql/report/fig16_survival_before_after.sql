-- Figure 16: Kaplan-Meier survival of relationships started before and after the event year
SELECT CASE regexp_replace(group_name, '^[^/]*/ *', '') WHEN 'before' THEN 'Started before the event year'
            WHEN 'after' THEN 'Started after the event year' ELSE regexp_replace(group_name, '^[^/]*/ *', '') END
           AS group_label, group_name,
       t, n_at_risk, n_events, survival, ci_lower, ci_upper
FROM marts.survival_curves
WHERE country = $focus AND group_type = 'exporter_period'
ORDER BY group_name LIKE '%after', group_label, t
