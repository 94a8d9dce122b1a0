CREATE TABLE IF NOT EXISTS meta.loaded_partitions (
    asset VARCHAR,        -- asset key, e.g. 'clean/flows'
    partition VARCHAR,    -- partition key ('' for unpartitioned assets)
    source VARCHAR,       -- the raw file(s) it was read from
    fingerprint VARCHAR,  -- the inputs it was built from: file names, sizes and modification times
    rows BIGINT,
    loaded_at TIMESTAMP,
    PRIMARY KEY (asset, partition)
)
