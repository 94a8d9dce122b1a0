-- Table S1: log-rank tests of equal survival involving the focus country (focus against each comparator, all
-- together, before/after the event year, sectors, destination groups)
SELECT test, group_a, group_b, n_groups, statistic, df, p_value,
       CASE test WHEN 'focus_vs_comparator' THEN 1 WHEN 'focus_and_comparators' THEN 2 WHEN 'before_after' THEN 3
                 WHEN 'sectors' THEN 4 WHEN 'sector_pair' THEN 5 WHEN 'regions' THEN 6 ELSE 7 END AS test_order
FROM marts.survival_logrank
WHERE country = $focus
   OR (test = 'focus_vs_comparator' AND $focus IN (group_a, group_b))
   OR (test = 'focus_and_comparators' AND $focus = (SELECT max(group_a) FROM marts.survival_logrank
                                                   WHERE test = 'focus_vs_comparator'))
ORDER BY test_order, group_a, group_b
