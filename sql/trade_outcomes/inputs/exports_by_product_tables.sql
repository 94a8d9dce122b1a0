-- work.exports_by_product: the exporter x hs6 totals of each year (trade_outcomes/inputs/exports_by_product),
-- summed once and shared by RCA, the Lall shares, PRODY/EXPY, ECI/PCI and diversification, kept between builds;
-- work.exports_by_product_years: what each year's totals were summed from (the manifest's fingerprint of
-- clean/flows[year], the year's rows and value hash) and, to catch rows changed by hand, the totals' own rows
-- and hash. Written in the transaction of the mart that first needs the year (tcd_pipeline.defs.trade_outcomes.shared_inputs)
CREATE SCHEMA IF NOT EXISTS work;
CREATE TABLE IF NOT EXISTS work.exports_by_product (year SMALLINT, exporter VARCHAR, hs6 VARCHAR, value_usd DOUBLE);
CREATE TABLE IF NOT EXISTS work.exports_by_product_years (
    year INTEGER, flows VARCHAR, n_rows BIGINT, values_hash UBIGINT, total_rows BIGINT, totals_hash UBIGINT
);
