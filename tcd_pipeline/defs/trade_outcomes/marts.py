"""Declarations of the trade-outcome marts (report sections 2.1 to 2.3).

Each declaration is the mart's whole structural contract: ``key`` (the grain's columns, unique
together), ``min_rows``, and per column ``nullable``, ``range``, ``values`` and ``pattern``; the
gate ``marts_<name>_gate`` checks them (:mod:`tcd_pipeline.warehouse.contract_suites`).
"""

from tcd_pipeline.warehouse.contracts import ISO3, NON_NEGATIVE, PERCENT, POSITIVE, UNIT_INTERVAL, Mart, Range
from tcd_pipeline.warehouse.contracts import Column as C

GROWTH = "2.1 Orientation and growth"
DIVERSIFICATION = "2.2 Diversification"
QUALITY = "2.3 Quality and sophistication"

COUNTRY = C("country", "VARCHAR", "ISO3", "Exporting country (the country the row is about)")
YEAR = C("year", "SMALLINT", "year", "Calendar year")
VALUE = C("value_usd", "DOUBLE", "current USD", "Goods exports (clean.flows, BACI)", range=NON_NEGATIVE)
SHARE = C("share_pct", "DOUBLE", "percent", "value_usd / the country's total of the year x 100; sums to 100 per country-year",
          range=PERCENT)
HS6 = C("hs6", "VARCHAR", "HS92 6-digit", "Product")
YEAR_START = C("year_start", "SMALLINT", "year", "First year of the period (a configured growth period, settings.growth_periods)")
YEAR_END = C("year_end", "SMALLINT", "year", "Last year of the period")
VALUE_START = C("value_start_usd", "DOUBLE", "current USD", "Value in year_start (NULL when none)")
VALUE_END = C("value_end_usd", "DOUBLE", "current USD", "Value in year_end (NULL when none)")
CAGR = C("cagr_pct", "DOUBLE", "percent per year", "Compound annual growth: ((value_end / value_start)^(1/(year_end - year_start)) - 1) x 100; NULL without both values",
         range=Range(-100))
SECTOR = C("sector", "VARCHAR", "report sector", "Report sector of Table 1 (Oil and gas, Metals, Minerals, Cereals, Vegetable, Foodstuffs, Other), from HS headings/chapters by tcd_pipeline/reference/report_sectors_hs.csv (latest version)")
REGION = C("region", "VARCHAR", "destination group", "Destination group of Table 2 (EU, China, EEU, CIS (not EEU), ASEAN, USA, Rest of world), membership by year from tcd_pipeline/reference/regions_by_year.csv")

TRADE_OPENNESS = Mart(
    name="trade_openness",
    chapter=GROWTH,
    grain="country x year (every country with goods trade in clean.flows)",
    description="Goods exports and imports from BACI with GDP and openness ratios from WDI, and openness against "
                "income: the openness predicted each year by a cross-country regression on log GDP per capita and log "
                "population, the residual and its percentile (report Fig. 2).",
    key=("country", "year"), min_rows=1,
    columns=(
        C("country", "VARCHAR", "ISO3", "Reporting country", nullable=False, pattern=ISO3),
        YEAR.but(nullable=False),
        C("exports_usd", "DOUBLE", "current USD", "Goods exports: sum of clean.flows value where the country is the exporter", range=NON_NEGATIVE),
        C("imports_usd", "DOUBLE", "current USD", "Goods imports: sum of clean.flows value where the country is the importer (BACI reconciles both partners' declarations; values are FOB)", range=NON_NEGATIVE),
        C("gdp_usd", "DOUBLE", "current USD", "GDP, WDI NY.GDP.MKTP.CD"),
        C("merch_trade_pct_gdp", "DOUBLE", "percent", "Merchandise openness: (exports_usd + imports_usd) / gdp_usd x 100; NULL without GDP", range=NON_NEGATIVE),
        C("trade_pct_gdp", "DOUBLE", "percent", "Openness of goods and services, WDI NE.TRD.GNFS.ZS"),
        C("fdi_net_inflows_pct_gdp", "DOUBLE", "percent", "FDI net inflows (WDI BX.KLT.DINV.CD.WD) / gdp_usd x 100"),
        C("gdp_per_capita_usd", "DOUBLE", "current USD per capita", "GDP per capita, WDI NY.GDP.PCAP.CD", range=NON_NEGATIVE),
        C("population", "BIGINT", "persons", "Population, WDI SP.POP.TOTL", range=NON_NEGATIVE),
        C("openness_predicted_pct", "DOUBLE", "percent",
          "Openness expected at the country's income and size: b0 + b1 ln(gdp_per_capita_usd) + b2 ln(population), "
          "OLS of trade_pct_gdp on both, fitted each year on every country with all three (core/openness.py); "
          "NULL without the regressors or in a year with fewer than 10 such countries"),
        C("openness_residual_pp", "DOUBLE", "percentage points",
          "trade_pct_gdp - openness_predicted_pct: negative = trades less than expected given its development; "
          "NULL outside the year's fit"),
        C("openness_percentile", "DOUBLE", "percentile (0-100)",
          "Percent rank of the residual among the year's fitted countries: 100 x (rank - 1) / (n - 1), rank 1 the "
          "lowest residual", range=PERCENT),
        C("openness_fit_countries", "BIGINT", "countries", "Number of countries in the year's regression (NULL when the year is not fitted)",
          range=POSITIVE),
    ),
    example=(
        "SELECT country, year, trade_pct_gdp, openness_predicted_pct, openness_residual_pp FROM marts.trade_openness\n"
        "WHERE country IN ('KAZ', 'RUS', 'AZE', 'CHL', 'IDN', 'MEX', 'THA', 'VNM') AND year = 2018\n"
        "ORDER BY merch_trade_pct_gdp DESC"
    ),
)

SECTOR_REGION_SHARES = Mart(
    name="sector_region_shares", chapter=GROWTH, grain="country x year x sector x region",
    description="Exports by report sector and destination group (Figure 11).",
    key=("country", "year", "sector", "region"), min_rows=1,
    columns=(COUNTRY.but(nullable=False, pattern=ISO3), YEAR, SECTOR.but(nullable=False), REGION.but(nullable=False),
             VALUE, SHARE),
    example="SELECT sector, region, share_pct FROM marts.sector_region_shares\nWHERE country = 'KAZ' AND year = 2018 ORDER BY share_pct DESC",
)
EXPORTS_BY_SECTOR = Mart(
    name="exports_by_sector", chapter=GROWTH, grain="country x year x sector",
    description="Exports by report sector with shares (Table 1).",
    key=("country", "year", "sector"), min_rows=1,
    columns=(COUNTRY, YEAR, SECTOR, VALUE, SHARE),
    example="SELECT sector, value_usd, share_pct FROM marts.exports_by_sector\nWHERE country = 'KAZ' AND year = 2018 ORDER BY value_usd DESC",
)
EXPORTS_BY_REGION = Mart(
    name="exports_by_region", chapter=GROWTH, grain="country x year x region",
    description="Exports by destination group with shares (Table 2).",
    key=("country", "year", "region"), min_rows=1,
    columns=(COUNTRY, YEAR, REGION, VALUE, SHARE),
    example="SELECT region, value_usd, share_pct FROM marts.exports_by_region\nWHERE country = 'KAZ' AND year = 2018 ORDER BY value_usd DESC",
)
GROWTH_BY_SECTOR = Mart(
    name="growth_by_sector", chapter=GROWTH, grain="country x sector x configured period (sector 'Total' = all exports)",
    description="Export growth by report sector between configured years (Table 1).",
    key=("country", "sector", "year_start", "year_end"),
    columns=(COUNTRY, SECTOR, YEAR_START, YEAR_END, VALUE_START, VALUE_END, CAGR),
    example="SELECT sector, year_start, year_end, value_start_usd, value_end_usd, cagr_pct\nFROM marts.growth_by_sector WHERE country = 'KAZ' ORDER BY sector, year_start",
)
GROWTH_BY_REGION = Mart(
    name="growth_by_region", chapter=GROWTH, grain="country x region x configured period (region 'Total' = all exports)",
    description="Export growth by destination group between configured years (Table 2).",
    key=("country", "region", "year_start", "year_end"),
    columns=(COUNTRY, REGION, YEAR_START, YEAR_END, VALUE_START, VALUE_END, CAGR),
    example="SELECT region, year_start, year_end, cagr_pct FROM marts.growth_by_region\nWHERE country = 'KAZ' ORDER BY region, year_start",
)
# 'S' is all services: a growth row summing 'S' and its items would count services twice
EBOPS_CATEGORY = C("category", "VARCHAR", "EBOPS 2010 code", "Service category (S = total services; SA..SL main items)",
                   nullable=False, pattern="^S[A-L]?$")
SERVICES_EXPORTS = Mart(
    name="services_exports", chapter=GROWTH, grain="country x year x EBOPS 2010 category",
    description="Services exports by EBOPS category with shares of total services (Table 3), from the UNCTAD services file.",
    key=("country", "year", "category"),
    columns=(
        COUNTRY.but(pattern=ISO3), YEAR,
        EBOPS_CATEGORY,
        C("category_label", "VARCHAR", "", "Category name as published"),
        C("value_usd", "DOUBLE", "current USD", "Services exports (UNCTAD, millions x 1e6)", range=NON_NEGATIVE),
        C("share_pct", "DOUBLE", "percent", "value_usd / total services (category S) of the country-year x 100", range=PERCENT),
    ),
    example="SELECT category_label, value_usd, share_pct FROM marts.services_exports\nWHERE country = 'KAZ' AND year = 2018 ORDER BY value_usd DESC",
)
SERVICES_GROWTH = Mart(
    name="services_growth", chapter=GROWTH, grain="country x EBOPS category x configured period",
    description="Services export growth by category between configured years (Table 3).",
    key=("country", "category", "year_start", "year_end"),
    columns=(COUNTRY, EBOPS_CATEGORY,
             C("category_label", "VARCHAR", "", "Category name as published"),
             YEAR_START, YEAR_END, VALUE_START, VALUE_END, CAGR),
    example="SELECT category_label, year_start, year_end, cagr_pct FROM marts.services_growth\nWHERE country = 'KAZ' ORDER BY category",
)
RCA = Mart(
    name="rca", chapter=DIVERSIFICATION, grain="country x year x hs6 (products the country exports)",
    description="Balassa revealed comparative advantage.",
    key=("country", "year", "hs6"), min_rows=1,
    columns=(COUNTRY, YEAR, HS6, C("rca", "DOUBLE", "ratio", "RCA = (x_cp / X_c) / (x_wp / X_w), w = all exporters in the data (Balassa 1965)",
                                    nullable=False, range=NON_NEGATIVE)),
    example="SELECT hs6, rca FROM marts.rca WHERE country = 'KAZ' AND year = 2018 AND rca >= 1 ORDER BY rca DESC LIMIT 20",
)
DIVERSIFICATION_MART = Mart(
    name="diversification", chapter=DIVERSIFICATION, grain="country x year",
    description="Export diversification across products (HS6) and markets (destinations).",
    key=("country", "year"), min_rows=1,
    columns=(
        COUNTRY, YEAR,
        C("n_products", "INTEGER", "count", "HS6 lines with positive exports", range=Range(1)),
        C("n_markets", "INTEGER", "count", "Destinations with positive exports", range=Range(1)),
        C("hhi_products", "DOUBLE", "index 0-1", "Herfindahl-Hirschman index over products: sum of squared shares (shares in 0..1)", range=UNIT_INTERVAL),
        C("hhi_products_norm", "DOUBLE", "index 0-1", "Normalised HHI (HHI - 1/N)/(1 - 1/N), N = n_products; NULL when N = 1", range=UNIT_INTERVAL),
        C("hhi_markets", "DOUBLE", "index 0-1", "HHI over destinations", range=UNIT_INTERVAL),
        C("hhi_markets_norm", "DOUBLE", "index 0-1", "Normalised HHI over destinations, N = n_markets; NULL when N = 1", range=UNIT_INTERVAL),
        C("top5_product_share_pct", "DOUBLE", "percent", "Share of the five largest HS6 products in the country's exports", range=PERCENT),
        C("top5_market_share_pct", "DOUBLE", "percent", "Share of the five largest destinations in the country's exports", range=PERCENT),
    ),
    example="SELECT country, n_products, hhi_products, top5_product_share_pct FROM marts.diversification\nWHERE year = 2018 AND country IN ('KAZ', 'RUS', 'CHL') ORDER BY hhi_products DESC",
)
EXPORT_MARGINS = Mart(
    name="export_margins", chapter=DIVERSIFICATION, grain="country x margin period x component",
    description="Decomposition of export growth into intensive and extensive margins (Brenton and Newfarmer 2007; Reis and Farole 2012) over country x product x destination pairs.",
    key=("country", "year_start", "year_end", "component"),
    columns=(
        COUNTRY,
        YEAR_START.but(definition="First year of the period: a configured margin period (settings.margin_periods, "
                                  "$TCD_MARGIN_PERIODS; auto = the whole span of clean.flows, first to last year, "
                                  "plus every growth period of settings.growth_periods)"),
        YEAR_END,
        C("component", "VARCHAR", "", "intensive (pairs in both years: x1 - x0), new_product_old_market, new_product_new_market, old_product_served_market, old_product_new_market (x1), extinction (-x0); the six sum to X1 - X0",
          values=("intensive", "new_product_old_market", "new_product_new_market", "old_product_served_market",
                  "old_product_new_market", "extinction")),
        C("value_usd", "DOUBLE", "current USD", "The component's contribution to X1 - X0"),
        C("share_of_growth_pct", "DOUBLE", "percent", "value_usd / (X1 - X0) x 100; NULL when X1 = X0"),
    ),
    example="SELECT component, value_usd, share_of_growth_pct FROM marts.export_margins\nWHERE country = 'KAZ' AND year_start = 2000 AND year_end = 2018",
)
LALL_SHARES = Mart(
    name="lall_shares", chapter=QUALITY, grain="country x year x Lall class",
    description="Exports by technology class (Lall 2000) via HS92 -> SITC rev.2 3-digit.",
    key=("country", "year", "lall_class"), min_rows=1,
    columns=(COUNTRY, YEAR,
             C("lall_class", "VARCHAR", "", "PP, RB1, RB2, LT1, LT2, MT1, MT2, MT3, HT1, HT2, or unclassified"),
             VALUE, SHARE),
    example="SELECT lall_class, share_pct FROM marts.lall_shares WHERE country = 'KAZ' AND year = 2018 ORDER BY lall_class",
)
PRODY = Mart(
    name="prody", chapter=QUALITY, grain="year x hs6",
    description="Income level of a product (Hausmann, Hwang and Rodrik 2007), on the fixed country set with exports and GDP per capita in every year.",
    key=("year", "hs6"),
    columns=(YEAR, HS6, C("prody_usd", "DOUBLE", "current USD per capita", "PRODY_k = sum_j [(x_jk/X_j) / sum_i (x_ik/X_i)] x GDP per capita_j",
                          nullable=False, range=POSITIVE)),
    example="SELECT hs6, prody_usd FROM marts.prody WHERE year = 2018 ORDER BY prody_usd DESC LIMIT 10",
)
EXPY = Mart(
    name="expy", chapter=QUALITY, grain="country x year",
    description="Income level of a country's export basket (Hausmann, Hwang and Rodrik 2007).",
    key=("country", "year"),
    columns=(COUNTRY, YEAR, C("expy_usd", "DOUBLE", "current USD per capita", "EXPY_j = sum_k (x_jk/X_j) x PRODY_k, over products with a PRODY",
                               nullable=False, range=POSITIVE)),
    example="SELECT country, expy_usd FROM marts.expy WHERE year = 2018 ORDER BY expy_usd DESC",
)
ECI = Mart(
    name="eci", chapter=QUALITY, grain="country x year",
    description="Economic Complexity Index (Hidalgo and Hausmann 2009; Growth Lab convention: M_cp = RCA >= 1, eigenvector of the second-largest eigenvalue of M~cc', sign with diversity, standardised).",
    key=("country", "year"), min_rows=1,
    columns=(C("country", "VARCHAR", "ISO3", "Exporting country"), YEAR,
             C("eci", "DOUBLE", "z-score", "ECI; Stata ecomplexity = this x sqrt((N-1)/N), N = country-product rows", nullable=False),
             C("diversity", "INTEGER", "count", "k_c = products with RCA >= 1", range=Range(1))),
    example="SELECT country, eci, diversity FROM marts.eci WHERE year = 2018 ORDER BY eci DESC",
)
PCI = Mart(
    name="pci", chapter=QUALITY, grain="hs6 x year",
    description="Product Complexity Index, standardised with ECI's mean and standard deviation so that a country's ECI is the mean PCI of its products.",
    key=("hs6", "year"), min_rows=1,
    columns=(HS6, YEAR, C("pci", "DOUBLE", "z-score (ECI scale)", "PCI", nullable=False),
             C("ubiquity", "INTEGER", "count", "k_p = countries with RCA >= 1 in the product", range=Range(1))),
    example="SELECT hs6, pci, ubiquity FROM marts.pci WHERE year = 2018 ORDER BY pci DESC LIMIT 20",
)
EXPORT_QUALITY = Mart(
    name="export_quality", chapter=QUALITY, grain="country x year x sector ('All' = all products)",
    description="Export quality (Henn, Papageorgiou, Romero and Spatafora 2017): unit values net of exporter income and distance, relative to the product-year frontier, weighted by export value.",
    key=("country", "year", "sector"),
    columns=(COUNTRY, YEAR, C("sector", "VARCHAR", "report sector", "Report sector, or 'All'"),
             C("quality", "DOUBLE", "ratio to frontier", "Export-value-weighted exp(ln quality); 1 = the product-year 90th percentile",
               nullable=False, range=POSITIVE),
             C("value_usd", "DOUBLE", "current USD", "Exports with a unit value, the weights"),
             C("n_products", "INTEGER", "count", "HS6 products with a quality estimate")),
    example="SELECT country, quality FROM marts.export_quality WHERE year = 2018 AND sector = 'All' ORDER BY quality DESC",
)

MARTS = (TRADE_OPENNESS, SECTOR_REGION_SHARES, EXPORTS_BY_SECTOR, EXPORTS_BY_REGION, GROWTH_BY_SECTOR,
         GROWTH_BY_REGION, SERVICES_EXPORTS, SERVICES_GROWTH, RCA, DIVERSIFICATION_MART, EXPORT_MARGINS,
         LALL_SHARES, PRODY, EXPY, ECI, PCI, EXPORT_QUALITY)
