CREATE TABLE IF NOT EXISTS clean.flows (
    year SMALLINT,
    exporter VARCHAR,
    importer VARCHAR,
    hs6 VARCHAR,
    value_usd DOUBLE,
    quantity_t DOUBLE
)
