-- The empty spells.export_spells, filled by sql/survival/spells/export_spells.sql one range of
-- exporters at a time. Codes and labels are ENUM types made from the data (alphabetical, so
-- ORDER BY sorts them as text; they read and compare as text): the build sorts the flows on
-- these small integer codes (at full scale about a fifth faster than on text), tens of millions
-- of spells are written about twice as fast as with VARCHAR columns, and a code outside the types
-- cannot be inserted. Run inside the build's transaction: the table goes first, since it uses the types.
DROP TABLE IF EXISTS spells.export_spells;
DROP TYPE IF EXISTS spells.country_code;
DROP TYPE IF EXISTS spells.hs6_code;
DROP TYPE IF EXISTS spells.sector_name;
DROP TYPE IF EXISTS spells.region_name;
CREATE TYPE spells.country_code AS ENUM (
    SELECT exporter FROM clean.flows UNION SELECT importer FROM clean.flows ORDER BY 1
);
CREATE TYPE spells.hs6_code AS ENUM (SELECT DISTINCT hs6 FROM clean.flows ORDER BY 1);
CREATE TYPE spells.sector_name AS ENUM (
    SELECT sector FROM hs6_sector WHERE sector IS NOT NULL UNION SELECT 'Other' ORDER BY 1
);
CREATE TYPE spells.region_name AS ENUM (
    SELECT region FROM importer_region WHERE region IS NOT NULL UNION SELECT 'Rest of world' ORDER BY 1
);
CREATE TABLE spells.export_spells (
    exporter spells.country_code,
    hs6 spells.hs6_code,
    importer spells.country_code,
    first_year SMALLINT,
    last_year SMALLINT,
    duration SMALLINT,
    event TINYINT,
    left_censored BOOLEAN,
    initial_value DOUBLE,
    sector spells.sector_name,
    region spells.region_name
);
