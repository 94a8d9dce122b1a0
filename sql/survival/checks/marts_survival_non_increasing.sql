-- S(t) never increases with t, and ci_lower <= S <= ci_upper (a row is a violation)
SELECT group_type, group_name, t, survival, ci_lower, ci_upper, previous FROM (
    SELECT *, lag(survival) OVER (PARTITION BY group_type, group_name ORDER BY t) AS previous FROM marts.survival_curves
)
WHERE survival > previous + 1e-12 OR ci_lower > survival + 1e-12 OR ci_upper < survival - 1e-12
