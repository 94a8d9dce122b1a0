-- one row of spells.builds (sql/survival/spells/builds_table.sql) per level, replaced by each build
INSERT OR REPLACE INTO spells.builds VALUES (
    $level, $first_year, $last_year, $gap, $min_initial_value, $include_left_censored, $flows_version, $built_from
)
