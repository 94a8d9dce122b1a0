SELECT DISTINCT year FROM clean.flows ORDER BY year
