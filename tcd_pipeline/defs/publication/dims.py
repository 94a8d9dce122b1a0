"""Declarations of the dimension tables of the published file (schema ``dim``).

A BI user joins a mart to these to get names, groups and the report's display order: countries
(name, World Bank region and income group), the destination groups of each country by year,
products (HS section, report sector, Lall class), the report's sectors and destination groups in
the order of its tables, and the industries of the input-output tables. Each is declared once, as
the marts are (:class:`tcd_pipeline.warehouse.contracts.Mart` with ``schema="dim"``): the
declaration makes its gate ``dim_<name>_gate``, its COMMENTs and its part of ``docs/marts.md``.
"""

from tcd_pipeline.core.classifications import LALL_CLASSES, REGION_PRIORITY, REST_OF_WORLD
from tcd_pipeline.sources.wdi_metadata import INCOME_GROUPS
from tcd_pipeline.warehouse.contracts import ISO3, Mart, Range
from tcd_pipeline.warehouse.contracts import Column as C

SCHEMA = "dim"
#: Table 2's destination groups in the report's order (labels as in the marts: REGION_PRIORITY, REST_OF_WORLD)
REGION_ORDER = ("EU", "China", "EEU", "CIS", "ASEAN", "USA", REST_OF_WORLD)
#: Table 4's TiVA sectors in the report's order (the sectors of tcd_pipeline/reference/icio_sectors.csv)
TIVA_SECTOR_ORDER = ("Agriculture", "Mining", "Manufacturing", "Utilities and construction", "Services")
SECTOR_CLASSIFICATIONS = ("goods", "tiva")
HS6_PATTERN = "^[0-9]{6}$"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
         "XVIII", "XIX", "XX", "XXI")

assert set(REGION_ORDER) == {*REGION_PRIORITY, REST_OF_WORLD}, "REGION_ORDER must list every destination group"

COUNTRY = C("country", "VARCHAR", "ISO3", "Country or economy code, as in every mart's ISO3 columns", nullable=False,
            pattern=ISO3)
ORDER = C("display_order", "SMALLINT", "rank", "Position in the report's tables and figures (1 = first)",
          nullable=False, range=Range(1))

COUNTRIES = Mart(
    name="countries", schema=SCHEMA, grain="country",
    description=("Every country code of the published marts: the BACI country list of the panel, plus the other "
                 "codes of the marts (the regions of the input-output tables, ROW = rest of the world), with names and the World Bank's region and "
                 "income group from the WDI country metadata file (NULL when the input folder has none)."),
    key=("country",), min_rows=1,
    columns=(
        COUNTRY,
        C("country_name", "VARCHAR", "", "Name: the BACI country list's, else the WDI metadata's TableName, else "
          "tcd_pipeline/reference/io_country_names.csv's; NULL when none names the code (the build logs it)"),
        C("wb_region", "VARCHAR", "World Bank region", "World Bank region (WDI country metadata, column Region); NULL "
          "for codes the metadata does not classify or when no metadata file was loaded"),
        C("income_group", "VARCHAR", "World Bank income group", "World Bank income group (WDI country metadata, "
          "column IncomeGroup; the classification of the release's fiscal year)", values=INCOME_GROUPS),
    ),
    example=("SELECT c.country_name, c.income_group, t.trade_pct_gdp\nFROM marts.trade_openness t "
             "JOIN dim.countries c USING (country)\nWHERE t.year = 2018 ORDER BY t.trade_pct_gdp DESC"),
)

COUNTRY_GROUPS = Mart(
    name="country_groups", schema=SCHEMA, grain="country x year",
    description=("The destination group of Table 2 each country belongs to in each year of the panel (membership "
                 "by year from tcd_pipeline/reference/regions_by_year.csv, the same rule as the marts' region "
                 "columns: EU enlargements and Brexit, the Customs Union 2010-2014 counted as EEU, CIS not EEU, "
                 "ASEAN accessions; every other country is Rest of world)."),
    key=("country", "year"), min_rows=1,
    columns=(
        COUNTRY,
        C("year", "SMALLINT", "year", "Calendar year (every year of clean.flows)", nullable=False),
        C("destination_group", "VARCHAR", "destination group", "Destination group of Table 2", nullable=False,
          values=REGION_ORDER),
    ),
    example=("SELECT destination_group, list(country ORDER BY country) FROM dim.country_groups\n"
             "WHERE year = 2018 GROUP BY destination_group"),
)

PRODUCTS = Mart(
    name="products", schema=SCHEMA, grain="HS6 product",
    description="Every product of the BACI product list of the panel's HS vintage, with its classifications.",
    key=("hs6",), min_rows=1,
    columns=(
        C("hs6", "VARCHAR", "HS 6-digit", "Product code (the panel's HS vintage, HS92 by default)", nullable=False,
          pattern=HS6_PATTERN),
        C("hs2", "VARCHAR", "HS 2-digit", "Chapter", nullable=False, pattern="^[0-9]{2}$"),
        C("hs4", "VARCHAR", "HS 4-digit", "Heading", nullable=False, pattern="^[0-9]{4}$"),
        C("description", "VARCHAR", "", "Description of the BACI product list"),
        C("hs_section", "VARCHAR", "HS section", "Section of the Harmonized System (I-XXI) of the chapter, from "
          "tcd_pipeline/reference/hs_sections.csv", values=ROMAN),
        C("hs_section_name", "VARCHAR", "", "Title of the section"),
        C("sector", "VARCHAR", "report sector", "Report sector of Table 1, the marts' mapping (heading rule, else "
          "chapter rule of tcd_pipeline/reference/report_sectors_hs.csv, else Other)", nullable=False),
        C("lall_class", "VARCHAR", "Lall (2000) class", "Technology class of Lall (2000) through the HS92 -> SITC "
          "Rev. 2 concordance, the mapping of marts.lall_shares (UNC: unclassified)", nullable=False,
          values=LALL_CLASSES),
        C("bec", "VARCHAR", "BEC rev.4", "Broad Economic Categories rev.4 code(s) of the HS92 product (several joined "
          "by ';'), from tcd_pipeline/reference/hs92_bec4_end_use.csv (UN HS92 -> BEC rev.4 correspondence); NULL "
          "where it has none"),
        C("end_use", "VARCHAR", "end-use class", "SNA basic class of the BEC code(s), the mapping of the tariff marts: "
          "capital (BEC 41, 521), intermediate (111, 121, 21, 22, 31, 322, 42, 53), consumption (112, 122, 522, 61, "
          "62, 63); not classified for 32, 321, 51, 7, codes of different classes, or no BEC code", nullable=False,
          values=("capital", "intermediate", "consumption", "not classified")),
    ),
    example=("SELECT p.sector, p.hs_section, count(*) AS products FROM dim.products p\n"
             "GROUP BY ALL ORDER BY ALL"),
)

SECTORS = Mart(
    name="sectors", schema=SCHEMA, grain="classification x sector",
    description=("The report's sectors in the order of its tables: goods (Table 1, the sectors of "
                 "tcd_pipeline/reference/report_sectors_hs.csv in the order they first appear there, Other last) "
                 "and tiva (Table 4, the sectors of tcd_pipeline/reference/icio_sectors.csv)."),
    key=("classification", "sector"), min_rows=1,
    columns=(
        C("classification", "VARCHAR", "", "goods: sector columns of the trade marts; tiva: of the TiVA marts",
          nullable=False, values=SECTOR_CLASSIFICATIONS),
        C("sector", "VARCHAR", "report sector", "Sector label as in the marts", nullable=False),
        ORDER,
    ),
    example="SELECT classification, sector FROM dim.sectors ORDER BY classification, display_order",
)

REGIONS = Mart(
    name="regions", schema=SCHEMA, grain="destination group",
    description="The report's destination groups (Table 2) in the order of its tables.",
    key=("region",), min_rows=1,
    columns=(
        C("region", "VARCHAR", "destination group", "Destination group label as in the marts' region columns "
          "(CIS: CIS members not in the EEU)", nullable=False, values=REGION_ORDER),
        ORDER,
    ),
    example=("SELECT r.region, count(*) AS countries FROM dim.country_groups g\n"
             "JOIN dim.regions r ON r.region = g.destination_group WHERE g.year = 2018\n"
             "GROUP BY r.region, r.display_order ORDER BY r.display_order"),
)

TIVA_INDUSTRIES = Mart(
    name="tiva_industries", schema=SCHEMA, grain="input-output industry",
    description=("The industries of the input-output tables the warehouse holds (one family: OECD ICIO, WIOD 2013 "
                 "or long-run WIOD), with names and TiVA sectors from tcd_pipeline/reference/icio_sectors.csv; "
                 "empty when there is no input-output table."),
    key=("industry",),
    columns=(
        C("industry", "VARCHAR", "IO industry", "Industry code as in the TiVA marts", nullable=False),
        C("industry_name", "VARCHAR", "", "Industry name", nullable=False),
        C("sector", "VARCHAR", "report sector", "TiVA sector of Table 4", nullable=False, values=TIVA_SECTOR_ORDER),
        C("classification", "VARCHAR", "", "Industry classification: oecd_icio, wiod2013 or wiod_lr",
          nullable=False, values=("oecd_icio", "wiod2013", "wiod_lr")),
    ),
    example=("SELECT i.sector, i.industry_name FROM marts.tiva_indicators t\n"
             "JOIN dim.tiva_industries i USING (industry) WHERE t.country = 'KAZ' AND t.year = 2018"),
)

DIMS: tuple[Mart, ...] = (COUNTRIES, COUNTRY_GROUPS, PRODUCTS, SECTORS, REGIONS, TIVA_INDUSTRIES)
