-- a spell lasts from its first to its last year: duration = last_year - first_year + 1
-- (merging one-year gaps keeps the same definition: the gap year counts)
SELECT * FROM spells.export_spells WHERE duration <> last_year - first_year + 1 OR last_year < first_year
