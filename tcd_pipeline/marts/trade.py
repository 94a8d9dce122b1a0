"""Declarations of the trade-outcome marts (report sections 2.1 to 2.3)."""

from tcd_pipeline.marts.catalog import Column as C
from tcd_pipeline.marts.catalog import Mart

TRADE_OPENNESS = Mart(
    name="trade_openness",
    chapter="2.1 Orientation and growth",
    grain="country x year (every country with goods trade in clean.flows)",
    description="Goods exports and imports from BACI with GDP and openness ratios from WDI.",
    columns=(
        C("country", "VARCHAR", "ISO3", "Reporting country"),
        C("year", "SMALLINT", "year", "Calendar year"),
        C("exports_usd", "DOUBLE", "current USD", "Goods exports: sum of clean.flows value where the country is the exporter"),
        C("imports_usd", "DOUBLE", "current USD", "Goods imports: sum of clean.flows value where the country is the importer (BACI reconciles both partners' declarations; values are FOB)"),
        C("gdp_usd", "DOUBLE", "current USD", "GDP, WDI NY.GDP.MKTP.CD"),
        C("merch_trade_pct_gdp", "DOUBLE", "percent", "Merchandise openness: (exports_usd + imports_usd) / gdp_usd x 100; NULL without GDP"),
        C("trade_pct_gdp", "DOUBLE", "percent", "Openness of goods and services, WDI NE.TRD.GNFS.ZS"),
        C("fdi_net_inflows_pct_gdp", "DOUBLE", "percent", "FDI net inflows (WDI BX.KLT.DINV.CD.WD) / gdp_usd x 100"),
    ),
    example=(
        "SELECT country, year, merch_trade_pct_gdp, trade_pct_gdp FROM marts.trade_openness\n"
        "WHERE country IN ('KAZ', 'RUS', 'AZE', 'CHL', 'IDN', 'MEX', 'THA', 'VNM') AND year = 2018\n"
        "ORDER BY merch_trade_pct_gdp DESC"
    ),
)

MARTS = (TRADE_OPENNESS,)
