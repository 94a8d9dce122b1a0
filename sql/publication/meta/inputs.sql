-- meta.inputs of the published file (attached as pub): one row per input file of each raw asset the
-- warehouse's manifest records; an asset read from several files lists them comma-separated with their
-- fingerprints semicolon-separated, in the same order (kept whole if the two lists do not pair up).
INSERT INTO pub.meta.inputs
SELECT asset, "partition",
       unnest(CASE WHEN len(files) = len(prints) THEN files ELSE [source] END) AS source_file,
       unnest(CASE WHEN len(files) = len(prints) THEN prints ELSE [fingerprint] END) AS fingerprint,
       "rows", loaded_at
FROM (
    SELECT *, string_split(source, ', ') AS files, string_split(fingerprint, ';') AS prints
    FROM meta.loaded_partitions
    WHERE asset LIKE 'raw/%' AND source <> ''
)
ORDER BY asset, "partition", source_file
