-- report_countries(focus, comparators): the report's countries, one row each: the focus first (role 'focus',
-- country_order 1), then the comparators in their configured order (role 'comparator'), named from
-- dim.countries (the code where it has no name). A temporary macro, created on the reading connection for
-- the report's queries (report/tables.py); the figures' statements join it as `who`.
CREATE OR REPLACE TEMP MACRO report_countries(focus, comparators) AS TABLE
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend(focus::VARCHAR, comparators::VARCHAR[]) AS c)
)
SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
       CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
FROM sel s LEFT JOIN dim.countries d USING (country)
