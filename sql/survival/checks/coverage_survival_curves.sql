-- coverage of marts.survival_curves: every group type of spells.survival_counts with spells that are not
-- left-censored (the spells kept under either left-censoring setting) has rows, and so has every
-- exporter with such spells (group type 'exporter'). Left-censored spells alone (a pair already active
-- in the first year of the panel) give no curve by default: their starts are unknown (METHODS.md
-- section 4). A row is a group type, or an exporter, missing from the mart
WITH used AS (SELECT DISTINCT group_type, exporter FROM spells.survival_counts WHERE NOT left_censored)
SELECT DISTINCT u.group_type, NULL AS exporter, 'group type with spells missing in marts.survival_curves' AS problem
FROM used AS u
WHERE NOT EXISTS (SELECT 1 FROM marts.survival_curves AS m WHERE m.group_type = u.group_type)
UNION ALL
SELECT u.group_type, u.exporter, 'exporter with spells missing in marts.survival_curves' AS problem
FROM used AS u
WHERE u.group_type = 'exporter'
  AND NOT EXISTS (SELECT 1 FROM marts.survival_curves AS m WHERE m.group_type = 'exporter' AND m.group_name = u.exporter)
ORDER BY ALL
