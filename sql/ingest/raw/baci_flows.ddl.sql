CREATE TABLE IF NOT EXISTS raw.baci_flows (
    year SMALLINT,  -- partition: the year in the file name
    t SMALLINT,     -- year as written in the file
    i INTEGER,      -- exporter, BACI numeric country code
    j INTEGER,      -- importer, BACI numeric country code
    k VARCHAR,      -- HS 6-digit product code as written (a dropped leading zero restored)
    v DOUBLE,       -- value, thousands of current USD
    q DOUBLE        -- quantity, metric tonnes (NULL where BACI has none)
)
