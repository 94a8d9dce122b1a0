INSERT OR REPLACE INTO meta.loaded_partitions
VALUES ($asset, $partition, $source, $fingerprint, $rows, now()::TIMESTAMP)
