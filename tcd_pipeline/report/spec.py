"""What the report holds: sections, and in each its figures and tables with the marts they read.

The interface between the report's parts: :mod:`tables` fills a :class:`Report` from the published file,
:mod:`html` and :mod:`workbook` render it. Every item has a report table ``report.<name>`` (the figure's or
table's data) built by ``sql/report/<name>.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Item:
    """One figure or table of the report."""

    name: str  # report table name and SQL file stem, e.g. "table1_exports_by_sector"
    kind: str  # "figure" or "table"
    number: str  # as printed: "Table 1", "Figure 12"
    title: str
    section: str  # section id, one of SECTIONS
    marts: tuple[str, ...]  # the published tables it reads, e.g. ("marts.exports_by_sector",)
    unit: str = ""
    missing: str = ""  # what data would fill it when its inputs are absent


SECTIONS: tuple[tuple[str, str], ...] = (
    ("findings", "Key findings"),
    ("orientation", "Orientation and growth"),
    ("diversification", "Diversification"),
    ("quality", "Quality and sophistication"),
    ("survival", "Survival"),
    ("value_added", "Value added"),
)


@dataclass
class Report:
    """A report's data: every item's frame (possibly empty), with notes for what is missing."""

    focus: str
    comparators: tuple[str, ...]
    names: dict[str, str]  # ISO3 -> country name (dim.countries)
    items: tuple[Item, ...]
    tables: dict[str, pl.DataFrame]  # item name -> frame
    notes: dict[str, str] = field(default_factory=dict)  # item name -> why it is empty / caveat
    findings: dict[str, list[str]] = field(default_factory=dict)  # section id -> sentences
    version: str = ""  # meta.publication.version of the published file read
    settings: dict[str, str] = field(default_factory=dict)  # meta.settings setting -> value


def _i(name: str, kind: str, number: str, title: str, section: str, marts: tuple[str, ...], unit: str = "",
       missing: str = "") -> Item:
    return Item(name, kind, number, title, section, marts, unit, missing)


_C = "dim.countries"
_WDI = "WDI (World Development Indicators) GDP, trade and FDI series for the country (clean.macro)"
_ICIO = "an OECD ICIO input-output table (raw/icio) that includes the country"
_BACI = "BACI bilateral trade flows (raw/baci) for the country"

ITEMS: tuple[Item, ...] = (
    # Orientation and growth
    _i("fig01_trade_openness", "figure", "Figure 1", "Trade openness over time", "orientation",
       ("marts.trade_openness", _C), "exports + imports, % of GDP", _WDI),
    _i("fig02_openness_vs_income", "figure", "Figure 2", "Trade openness against GDP per capita", "orientation",
       ("marts.trade_openness", _C), "% of GDP against current USD per capita (log scale); expected openness from the year's regression on "
       "log GDP per capita and log population", _WDI),
    _i("fig03_fdi_inflows", "figure", "Figure 3", "FDI net inflows", "orientation",
       ("marts.trade_openness", _C), "% of GDP",
       "WDI series BX.KLT.DINV.WD.GD.ZS (FDI net inflows); FDI by sector needs a proprietary source (fDi Markets)"),
    _i("fig25_tariffs_by_end_use", "figure", "Figure 25", "Average applied MFN tariff by end use", "orientation",
       ("marts.tariff_averages", _C), "%, simple average of the HS6 lines' applied MFN rates; end use by BEC rev. 4",
       "WITS/UNCTAD TRAINS tariff schedules (raw/tariffs) for the country"),
    _i("table1_exports_by_sector", "table", "Table 1", "Exports by sector", "orientation",
       ("marts.growth_by_sector", "marts.exports_by_sector", "dim.sectors"), "USD million; shares and CAGR in %",
       _BACI),
    _i("table2_exports_by_region", "table", "Table 2", "Exports by destination region", "orientation",
       ("marts.growth_by_region", "marts.exports_by_region", "dim.regions"), "USD million; shares and CAGR in %",
       _BACI),
    _i("table3_services_exports", "table", "Table 3", "Services exports by category", "orientation",
       ("marts.services_growth", "marts.services_exports"), "USD million; shares and CAGR in %",
       "WTO-UNCTAD-ITC services trade by category (raw/services) for the country"),
    # Diversification
    _i("fig04_diversification", "figure", "Figure 4", "Diversification of products and markets", "diversification",
       ("marts.diversification", _C), "counts, HHI (0-1), top-5 shares in %", _BACI),
    _i("fig05_sector_region_shares", "figure", "Figure 5", "Exports by sector and destination region",
       "diversification", ("marts.sector_region_shares", "dim.sectors", "dim.regions"), "% of the year's exports",
       _BACI),
    _i("fig06_export_margins", "figure", "Figure 6", "Margins of export growth", "diversification",
       ("marts.export_margins", _C), "% of the change in exports over the period", _BACI),
    # Quality and sophistication
    _i("fig07_lall_over_time", "figure", "Figure 7", "Exports by technology class (Lall) over time", "quality",
       ("marts.lall_shares",), "% of exports", _BACI),
    _i("fig08_lall_comparators", "figure", "Figure 8", "Technology classes against comparators", "quality",
       ("marts.lall_shares", _C), "% of exports", _BACI),
    _i("fig09_expy", "figure", "Figure 9", "Sophistication of the export basket (EXPY)", "quality",
       ("marts.expy", _C), "USD per capita", _BACI),
    _i("fig10_eci", "figure", "Figure 10", "Economic Complexity Index", "quality", ("marts.eci", _C),
       "standardised index", _BACI),
    _i("fig11_export_quality", "figure", "Figure 11", "Export quality relative to the frontier", "quality",
       ("marts.export_quality", _C), "unit value relative to the frontier (1 = frontier)", _BACI),
    _i("fig12_quality_by_sector", "figure", "Figure 12", "Export quality by sector", "quality",
       ("marts.export_quality", "dim.sectors"), "unit value relative to the frontier (1 = frontier)", _BACI),
    # Survival
    _i("fig13_survival_countries", "figure", "Figure 13", "Survival of export relationships", "survival",
       ("marts.survival_curves", _C), "probability of surviving t years (Kaplan-Meier, 95% CI)", _BACI),
    _i("fig14_survival_by_sector", "figure", "Figure 14", "Survival by sector", "survival",
       ("marts.survival_curves",), "probability of surviving t years (Kaplan-Meier, 95% CI)", _BACI),
    _i("fig15_survival_by_destination", "figure", "Figure 15", "Survival by destination group", "survival",
       ("marts.survival_curves",), "probability of surviving t years (Kaplan-Meier, 95% CI)", _BACI),
    _i("fig16_survival_before_after", "figure", "Figure 16", "Survival before and after the event year",
       "survival", ("marts.survival_curves",), "probability of surviving t years (Kaplan-Meier, 95% CI)", _BACI),
    _i("tableS1_survival_logrank", "table", "Table S1", "Log-rank tests of equal survival", "survival",
       ("marts.survival_logrank", _C), "chi-squared statistic, p-value", _BACI),
    _i("tableS2_survival_summary", "table", "Table S2", "Survival at 1, 3, 5 and 10 years", "survival",
       ("marts.survival_summary", _C), "probability; spells and events as counts", _BACI),
    # Value added
    _i("table4_dva_growth", "table", "Table 4", "Domestic value added in exports by sector", "value_added",
       ("marts.dva_growth", "dim.sectors"), "USD million; shares, CAGR and contributions in %", _ICIO),
    _i("fig17_dva_growth_comparators", "figure", "Figure 17", "Growth of domestic value added in exports",
       "value_added", ("marts.dva_growth", _C), "CAGR, % per year", _ICIO),
    _i("fig18_dva_contributions", "figure", "Figure 18", "Contributions to DVA growth by sector", "value_added",
       ("marts.dva_growth", "dim.sectors"), "percentage points of the total % change in DVA in exports", _ICIO),
    _i("fig19_direct_indirect_dva", "figure", "Figure 19", "Direct and indirect domestic value added by sector",
       "value_added", ("marts.tiva_indicators", "dim.tiva_industries", "dim.sectors"), "USD million", _ICIO),
    _i("fig20_dva_by_destination", "figure", "Figure 20", "Domestic value added in exports by destination",
       "value_added", ("marts.tiva_dva_by_destination", _C), "% of DVA in exports", _ICIO),
    _i("fig21_fva_by_source", "figure", "Figure 21", "Foreign value added in exports by source", "value_added",
       ("marts.tiva_fva_by_source", _C), "% of FVA in exports", _ICIO),
    _i("fig22_gvc_participation", "figure", "Figure 22", "GVC participation and position", "value_added",
       ("marts.gvc_participation", _C), "% of gross exports; position in log points", _ICIO),
    _i("fig23_foreign_content", "figure", "Figure 23", "Foreign content of exports by industry", "value_added",
       ("marts.tiva_indicators", "dim.tiva_industries"), "% of the industry's gross exports (DEXFVAPSH)", _ICIO),
    _i("fig24_dva_in_foreign_demand", "figure", "Figure 24",
       "Domestic value added in foreign final demand by industry", "value_added",
       ("marts.tiva_indicators", "dim.tiva_industries"), "% of the industry's value added (FFD_DVASH)", _ICIO),
    _i("fig26_export_upstreamness", "figure", "Figure 26", "Upstreamness of exports", "value_added",
       ("marts.tiva_export_upstreamness", _C), "average number of production stages from final use, weighted by "
       "gross exports (1 = final goods only)", _ICIO),
)

# What each column of the report tables holds (their COMMENTs in the published file's ``report`` schema).
COLUMNS: dict[str, str] = {
    "country": "ISO3 code of the country the row is about", "country_name": "Country name (dim.countries)",
    "role": "'focus', 'comparator' or 'other' (countries outside the report's set)",
    "country_order": "Order in the report: 1 = focus, then the comparators as configured",
    "year": "Year", "year_start": "First year of the period", "year_end": "Last year of the period",
    "year_1": "Table column 1 year: start of the first growth period", "year_2": "Table column 2 year: end of the "
    "first growth period", "year_3": "Table column 3 year: end of the last growth period",
    "period_1": "First growth period, 'start-end'", "period_2": "Last growth period, 'start-end'",
    "value_1_usd": "Value in year_1, current USD", "value_2_usd": "Value in year_2, current USD",
    "value_3_usd": "Value in year_3, current USD", "share_1_pct": "Share of the total in year_1, %",
    "share_2_pct": "Share of the total in year_2, %", "share_3_pct": "Share of the total in year_3, %",
    "cagr_1_pct": "Compound annual growth over period_1, %", "cagr_2_pct": "Compound annual growth over period_2, %",
    "cagr_pct": "Compound annual growth over the period, %", "value_usd": "Value, current USD",
    "value_start_usd": "Value at year_start, current USD", "value_end_usd": "Value at year_end, current USD",
    "share_pct": "Share of the total, %", "share_start_pct": "Share of the total at year_start, %",
    "share_end_pct": "Share of the total at year_end, %",
    "contribution_pct": "Share of the total change, % (sums to 100)",
    "contribution_pp": "100 x change / total at the start, percentage points (sums to the total % change)",
    "sector": "Report sector", "region": "Destination region", "category": "EBOPS 2010 services code",
    "category_label": "Services category name", "display_order": "Row order of the printed table (1000 = total)",
    "sector_order": "Display order of the sector", "region_order": "Display order of the region",
    "trade_pct_gdp": "Exports plus imports of goods and services, % of GDP (WDI)",
    "openness_predicted_pct": "Openness expected at the country's GDP per capita and population: the year's OLS of "
                              "trade % of GDP on log GDP per capita and log population across countries",
    "openness_residual_pp": "Actual minus expected openness, percentage points (negative: trades less than expected)",
    "openness_percentile": "Percent rank of the residual among the countries of the regression (0 = lowest)",
    "openness_fit_countries": "Countries in the year's regression",
    "population": "Population, persons (WDI)",
    "tariff_all_pct": "Simple average applied MFN tariff over all HS6 lines, %",
    "tariff_capital_pct": "Simple average applied MFN tariff, capital goods (BEC), %",
    "tariff_intermediate_pct": "Simple average applied MFN tariff, intermediate goods (BEC), %",
    "tariff_consumption_pct": "Simple average applied MFN tariff, consumption goods (BEC), %",
    "export_upstreamness": "Export-weighted upstreamness of the country's industries (Antras-Chor U)",
    "export_downstreamness": "Export-weighted downstreamness of the country's industries (Antras-Chor D)",
    "fdi_net_inflows_pct_gdp": "FDI net inflows, % of GDP (WDI)", "gdp_per_capita_usd": "GDP per capita, current USD",
    "n_products": "Number of HS6 products exported", "n_markets": "Number of destination markets",
    "hhi_products": "Herfindahl-Hirschman index across products (0-1)",
    "hhi_markets": "Herfindahl-Hirschman index across markets (0-1)",
    "top5_product_share_pct": "Share of the five largest products, %",
    "top5_market_share_pct": "Share of the five largest markets, %",
    "component": "Margin of export growth", "share_of_growth_pct": "Share of the change in exports, %",
    "lall_class": "Lall (2000) technology class", "expy_usd": "EXPY: export-weighted PRODY, USD",
    "eci": "Economic Complexity Index (standardised)", "quality": "Unit value relative to the frontier (1 = frontier)",
    "t": "Years since the relationship started", "n_at_risk": "Relationships at risk at t",
    "n_events": "Relationships that ended (at t, or in all)", "survival": "Kaplan-Meier survival probability",
    "ci_lower": "Lower bound of the 95% interval", "ci_upper": "Upper bound of the 95% interval",
    "group_type": "Grouping of the survival estimate", "group_name": "Group as in the survival marts",
    "group_label": "Group as printed", "group_order": "Order of the grouping in the table",
    "n_spells": "Number of export relationships (spells)", "survival_1": "Survival probability at 1 year",
    "survival_3": "Survival probability at 3 years", "survival_5": "Survival probability at 5 years",
    "survival_10": "Survival probability at 10 years", "median_duration": "Median duration, years",
    "test": "Log-rank test", "group_a": "First group compared", "group_b": "Second group compared",
    "n_groups": "Number of groups compared", "statistic": "Chi-squared statistic", "df": "Degrees of freedom",
    "p_value": "p-value", "test_order": "Order of the test in the table",
    "dva_start_usd": "DVA in exports at year_start, current USD", "dva_end_usd": "DVA in exports at year_end, current USD",
    "direct_dva_usd": "Direct domestic value added in gross exports (EXGR_DDC), current USD",
    "indirect_dva_usd": "Indirect domestic value added in gross exports (EXGR_IDC), current USD",
    "partner": "ISO3 code of the partner ('Other' = the rest summed)", "partner_name": "Partner name",
    "partner_rank": "Rank of the partner in the last year (9 = the rest)",
    "dva_usd": "Domestic value added in exports to the partner, current USD",
    "fva_usd": "Foreign value added from the source in the country's exports, current USD",
    "backward_pct": "Backward participation: foreign value added, % of gross exports",
    "forward_pct": "Forward participation: domestic value added in partners' exports, % of gross exports",
    "participation_pct": "GVC participation index: backward + forward, % of gross exports",
    "position": "GVC position: ln(1 + forward) - ln(1 + backward)", "industry": "OECD ICIO industry code",
    "industry_name": "Industry name", "industry_rank": "Rank of the industry in the figure",
    "dexfvapsh": "Foreign value added share of the industry's gross exports, % (OECD DEXFVAPSH)",
    "ffd_dvash": "Domestic value added in foreign final demand, % of the industry's value added (OECD FFD_DVASH)",
    "exgr_usd": "Gross exports, current USD", "va_usd": "Value added, current USD",
}
