"""Trade-outcome marts (report sections 2.1-2.3) for every exporter and year.

Heavy aggregation runs in DuckDB (``sql/marts``, ``sql/inputs``); the indicators are the pure
functions of ``tcd_pipeline.core``, fed one year at a time so memory stays at one year's flows.
"""

import hashlib
from typing import Callable, Iterator

import duckdb
import polars as pl

from tcd_pipeline.config import Settings
from tcd_pipeline.core.classifications import lall_shares
from tcd_pipeline.core.complexity import eci_pci
from tcd_pipeline.core.diversification import diversification_of_totals
from tcd_pipeline.core.growth import growth_periods
from tcd_pipeline.core.margins import COMPONENTS, with_shares
from tcd_pipeline.core.openness import openness_vs_income
from tcd_pipeline.core.quality import aggregate_quality, quality
from tcd_pipeline.core.rca import rca as rca_of
from tcd_pipeline.core.sophistication import expy as expy_of
from tcd_pipeline.core.sophistication import fixed_country_set
from tcd_pipeline.core.sophistication import prody as prody_of
from tcd_pipeline.defs.trade_outcomes import marts as M
from tcd_pipeline.defs.trade_outcomes import shared_inputs, year_reuse
from tcd_pipeline.lib.keys import CLEAN_FLOWS, CLEAN_MACRO, CLEAN_PRODUCTS, RAW_GEODIST, RAW_SERVICES
from tcd_pipeline.lib.mappings import report_mappings, sector_of_products
from tcd_pipeline.lib.mart_assets import mart_asset, marts_asset, sql_mart
from tcd_pipeline.sources import reference_tables as ref
from tcd_pipeline.warehouse.contracts import Mart, build_mart_from_frames
from tcd_pipeline.warehouse.sql import load_sql

CHAPTER = "trade_outcomes"  # the Dagster asset group and the folder of its SQL (sql/trade_outcomes)


def _build_openness(con, settings: Settings, log) -> int:
    """Trade and macro columns in SQL; openness against income fitted per year in core/openness.py. Year by
    year (a year's rows depend on that year's flows and the macro data only); a year whose inputs are unchanged
    keeps its rows (year_reuse)."""
    statement = load_sql("trade_outcomes/marts/trade_openness")

    def one(year: int) -> Iterator[pl.DataFrame]:
        table = openness_vs_income(con.execute(f"SELECT * FROM ({statement}) WHERE year = $year", {"year": year}).pl())
        fitted = table["openness_fit_countries"].drop_nulls()
        log.info(f"{year}: openness against income fitted on {fitted[0] if len(fitted) else 0} countries")
        yield table

    frames = year_reuse.frames_by_year(con, M.TRADE_OPENNESS, _build_openness, settings, _years(con), one, log)
    return build_mart_from_frames(con, M.TRADE_OPENNESS, frames)


trade_openness = mart_asset(M.TRADE_OPENNESS, [CLEAN_FLOWS, CLEAN_MACRO], _build_openness, group=CHAPTER)


def _frame(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    return con.execute(load_sql(name), params).pl()


def _years(con) -> list[int]:
    return [y for (y,) in con.execute(load_sql("trade_outcomes/inputs/flow_years")).fetchall()]


def as_mart(frame: pl.DataFrame, renames: dict[str, str] | None = None) -> pl.DataFrame:
    """A core function's frame in the marts' vocabulary: the country a row is about is ``country``
    (the core functions say ``exporter``, as the literature does), plus the mart's own ``renames``."""
    return frame.rename({"exporter": "country", **(renames or {})}, strict=False)


def _exports_by_product(con, year: int) -> pl.DataFrame:
    """The year's exporter x hs6 totals (trade_outcomes/inputs/exports_by_product), computed once per process."""
    return shared_inputs.exports_by_product(con, year)


def _per_year(con, name: str, compute: Callable[[pl.DataFrame], pl.DataFrame], log,
              renames: dict[str, str] | None = None, *, mart: Mart | None = None, builder: Callable | None = None,
              settings: Settings | None = None) -> Iterator[pl.DataFrame]:
    """``compute`` on each year's input ``name``; with ``mart`` (built by ``builder`` with ``settings``), only
    the years whose inputs changed since the mart was built are computed, the others' rows are kept
    (:mod:`tcd_pipeline.defs.trade_outcomes.year_reuse`)."""
    read = _exports_by_product if name == shared_inputs.STATEMENT else (lambda c, y: _frame(c, name, year=y))

    def one(year: int) -> Iterator[pl.DataFrame]:
        out = as_mart(compute(read(con, year)), renames)
        log.info(f"{year}: {out.height:,} rows")
        yield out

    years = _years(con)
    if mart is None:
        for year in years:
            yield from one(year)
    else:
        yield from year_reuse.frames_by_year(con, mart, builder, settings, years, one, log)


def _gdp_pc(con) -> pl.DataFrame:
    return con.execute("SELECT iso3, year, gdp_pc_usd FROM clean.macro WHERE gdp_pc_usd IS NOT NULL").pl()


# --- 2.1 orientation and growth ---------------------------------------------------------------

def _build_sector_region(con, settings: Settings, log) -> int:
    """The statement year by year (each year's rows depend on that year's flows only); a year whose inputs are
    unchanged keeps its rows (year_reuse)."""
    statement = load_sql("trade_outcomes/marts/sector_region_shares")

    def one(year: int) -> Iterator[duckdb.DuckDBPyRelation]:
        yield con.sql(f"SELECT * FROM ({statement}) WHERE year = $year", params={"year": year})

    with report_mappings(con):
        frames = year_reuse.frames_by_year(con, M.SECTOR_REGION_SHARES, _build_sector_region, settings, _years(con),
                                           one, log)
        return build_mart_from_frames(con, M.SECTOR_REGION_SHARES, frames)


sector_region_shares = mart_asset(M.SECTOR_REGION_SHARES, [CLEAN_FLOWS, CLEAN_PRODUCTS], _build_sector_region, group=CHAPTER)
# their gates compare totals with marts.trade_openness, so they are built after it
exports_by_sector = sql_mart(M.EXPORTS_BY_SECTOR, deps=[sector_region_shares, trade_openness], group=CHAPTER)
exports_by_region = sql_mart(M.EXPORTS_BY_REGION, deps=[sector_region_shares, trade_openness], group=CHAPTER)


def _growth(mart: Mart, source: Mart, group: str, carry: tuple[str, ...] = (), total_label: str | None = "Total"):
    """CAGR per ``group`` between the configured growth periods, from an already built mart; with a row
    ``total_label`` summing the groups (None when the source holds its own total, as services' 'S')."""
    def build(con, settings: Settings, log) -> int:
        values = con.execute(f"SELECT * FROM {source.table}").pl()
        years = set(values["year"].unique().to_list())
        for t0, t1 in settings.growth_periods:
            if not {t0, t1} <= years:
                log.warning(f"{mart.table}: growth period {t0}-{t1} has year(s) {sorted({t0, t1} - years)} "
                            f"without data in {source.table} (set settings.growth_periods / $TCD_GROWTH_PERIODS)")
        table = growth_periods(values, group, settings.growth_periods, by=("country",), carry=carry,
                               total_label=total_label)
        return build_mart_from_frames(con, mart, [table])
    return build


growth_by_sector = mart_asset(M.GROWTH_BY_SECTOR, [exports_by_sector],
                              _growth(M.GROWTH_BY_SECTOR, M.EXPORTS_BY_SECTOR, "sector"), group=CHAPTER)
growth_by_region = mart_asset(M.GROWTH_BY_REGION, [exports_by_region],
                              _growth(M.GROWTH_BY_REGION, M.EXPORTS_BY_REGION, "region"), group=CHAPTER)
services_exports = sql_mart(M.SERVICES_EXPORTS, deps=[RAW_SERVICES], group=CHAPTER)
services_growth = mart_asset(M.SERVICES_GROWTH, [services_exports],
                             _growth(M.SERVICES_GROWTH, M.SERVICES_EXPORTS, "category", carry=("category_label",),
                                     total_label=None), group=CHAPTER)

# --- 2.2 diversification ------------------------------------------------------------------------


def _build_rca(con, settings: Settings, log) -> int:
    frames = _per_year(con, "trade_outcomes/inputs/exports_by_product", lambda f: rca_of(f), log,
                       mart=M.RCA, builder=_build_rca, settings=settings)
    return build_mart_from_frames(con, M.RCA, frames)


# core.diversification's columns -> marts.diversification's (shares in percent end _pct)
DIVERSIFICATION_NAMES = {"top5_product_share": "top5_product_share_pct", "top5_market_share": "top5_market_share_pct"}


def _build_diversification(con, settings: Settings, log) -> int:
    """From the year's exporter x HS6 totals (shared) and exporter x destination totals, both summed in
    DuckDB: the bilateral year itself never leaves the warehouse."""
    def one(year: int) -> Iterator[pl.DataFrame]:
        out = as_mart(diversification_of_totals(_exports_by_product(con, year),
                                                _frame(con, "trade_outcomes/inputs/exports_by_market", year=year)),
                      DIVERSIFICATION_NAMES)
        log.info(f"{year}: {out.height:,} rows")
        yield out

    frames = year_reuse.frames_by_year(con, M.DIVERSIFICATION_MART, _build_diversification, settings, _years(con),
                                       one, log)
    return build_mart_from_frames(con, M.DIVERSIFICATION_MART, frames)


def margin_periods(settings: Settings, years: list[int]) -> list[tuple[int, int]]:
    """The periods of ``marts.export_margins``: ``settings.margin_periods`` when set, else (``auto``)
    the whole span of the panel, first to last year of ``years`` (those of clean.flows), plus every
    growth period; without duplicates, ordered by start then end."""
    if settings.margin_periods is not None:
        return list(dict.fromkeys(settings.margin_periods))
    span = [(min(years), max(years))] if years and min(years) < max(years) else []
    return sorted(set(span) | set(settings.growth_periods))


def _build_margins(con, settings: Settings, log) -> int:
    """Each period's six margins summed in the warehouse (``marts/export_margins.sql``, the SQL form of
    ``core.margins.decompose``); a period whose two years are unchanged keeps its rows (year_reuse)."""
    years = _years(con)
    chosen = margin_periods(settings, years)
    log.info(f"margin periods {chosen} (settings.margin_periods: "
             f"{'auto' if settings.margin_periods is None else 'as configured'})")
    present = set(years)
    periods = []
    for t0, t1 in chosen:
        if {t0, t1} <= present:
            periods.append((t0, t1))
        else:
            log.warning(f"margins {t0}-{t1}: year(s) {sorted({t0, t1} - present)} not in clean.flows; skipped "
                        "(set settings.margin_periods / $TCD_MARGIN_PERIODS)")

    def one(t0: int, t1: int) -> Iterator[pl.DataFrame]:
        wide = as_mart(with_shares(_frame(con, "trade_outcomes/marts/export_margins", t0=t0, t1=t1), t0, t1))
        log.info(f"{t0}-{t1}: {wide.height:,} countries")
        yield (wide.unpivot(index=["country"], on=list(COMPONENTS), variable_name="component", value_name="value_usd")
               .join(wide.unpivot(index=["country"], on=[f"share_{c}" for c in COMPONENTS],
                                  variable_name="component", value_name="share_of_growth_pct")
                     .with_columns(pl.col("component").str.strip_prefix("share_")), on=["country", "component"])
               .with_columns(pl.lit(t0).alias("year_start"), pl.lit(t1).alias("year_end")))

    frames = year_reuse.frames_by_period(con, M.EXPORT_MARGINS, _build_margins, settings, periods, one, log)
    return build_mart_from_frames(con, M.EXPORT_MARGINS, frames)


rca = mart_asset(M.RCA, [CLEAN_FLOWS], _build_rca, group=CHAPTER)
diversification = mart_asset(M.DIVERSIFICATION_MART, [CLEAN_FLOWS], _build_diversification, group=CHAPTER)
export_margins = mart_asset(M.EXPORT_MARGINS, [CLEAN_FLOWS, trade_openness], _build_margins, group=CHAPTER)  # gate reads trade_openness

# --- 2.3 quality and sophistication ---------------------------------------------------------------


def _build_lall(con, settings: Settings, log) -> int:
    concordance, lall = ref.read_hs92_sitc2(), ref.read_lall2000()
    frames = _per_year(con, "trade_outcomes/inputs/exports_by_product",
                       lambda f: lall_shares(f, concordance, lall), log, mart=M.LALL_SHARES, builder=_build_lall,
                       settings=settings)
    return build_mart_from_frames(con, M.LALL_SHARES, frames)


def _build_prody(con, settings: Settings, log) -> int:
    """PRODY for every flow year with GDP per capita, on one country set fixed across those years
    (METHODS.md: otherwise PRODY moves with coverage); a flow year without any GDP per capita is a
    named gap (warned here, listed by the mart's coverage gate). A year keeps its rows when its flows,
    the reference inputs and the fixed country set are unchanged (year_reuse)."""
    gdp = _gdp_pc(con)
    flow_years = _years(con)
    # exports per exporter and year, from the stored exporter x hs6 totals (no scan of the whole panel); the
    # country set only asks whether they are positive, which no order of summation changes
    exporter_years = shared_inputs.exporter_totals(con, flow_years)
    with_income = sorted(set(flow_years) & set(gdp["year"].cast(pl.Int64).unique().to_list()))
    if gaps := sorted(set(flow_years) - set(with_income)):
        log.warning(f"{M.PRODY.table}, {M.EXPY.table}: no WDI GDP per capita (NY.GDP.PCAP.CD) for year(s) {gaps}: "
                    "no PRODY or EXPY for those years (add the WDI year to fill them)")
    countries = fixed_country_set(exporter_years, gdp, years=with_income)
    log.info(f"PRODY on a fixed set of {len(countries)} countries with exports and GDP per capita in every one of "
             f"{with_income}")
    if not countries:
        log.warning(f"no exporter has exports and WDI GDP per capita in every one of the years {with_income}: "
                    "PRODY and EXPY are empty (their coverage gates fail)")

    def one(year: int) -> Iterator[pl.DataFrame]:
        if countries and year in with_income:
            yield prody_of(_exports_by_product(con, year), gdp, countries).rename({"prody": "prody_usd"})

    country_set = hashlib.sha1(repr(sorted(countries)).encode()).hexdigest()
    frames = year_reuse.frames_by_year(con, M.PRODY, _build_prody, settings, flow_years, one, log,
                                       extra={year: (country_set, year in with_income) for year in flow_years})
    return build_mart_from_frames(con, M.PRODY, frames)


def _build_expy(con, settings: Settings, log) -> int:
    """EXPY from the PRODY mart just built (PRODY is computed once, not again here). A year keeps its rows
    when its flows, the reference inputs and PRODY's rows of the year are unchanged (year_reuse)."""
    prody_years = dict(con.execute(load_sql("trade_outcomes/inputs/prody_signatures")).fetchall())

    def one(year: int) -> Iterator[pl.DataFrame]:
        p = con.execute("SELECT year, hs6, prody_usd AS prody FROM marts.prody WHERE year = ?", [year]).pl()
        if p.height:
            yield as_mart(expy_of(_exports_by_product(con, year), p), {"expy": "expy_usd"})

    years = _years(con)
    frames = year_reuse.frames_by_year(con, M.EXPY, _build_expy, settings, years, one, log,
                                       extra={year: prody_years.get(year) for year in years})
    return build_mart_from_frames(con, M.EXPY, frames)


def _build_complexity(con, settings: Settings, log) -> dict[str, int]:
    """ECI and PCI of every year from one eigen-decomposition of the year's C x C matrix; a year whose
    inputs are unchanged keeps its rows of both marts (year_reuse)."""
    flows = year_reuse.flow_inputs(con)
    inputs = {m.name: year_reuse.year_inputs(con, m, _build_complexity, settings, flows) for m in (M.ECI, M.PCI)}
    kept = year_reuse.kept_years(con, M.ECI, inputs[M.ECI.name]) & year_reuse.kept_years(con, M.PCI, inputs[M.PCI.name])
    years = _years(con)
    if kept:
        log.info(f"{M.ECI.table}, {M.PCI.table}: years {sorted(kept)} unchanged, their rows kept; computing "
                 f"{sorted(set(years) - kept) or 'none'}")
    eci_frames, pci_frames = [], []
    for year in years:
        if year in kept:
            eci_frames.append(year_reuse.kept_rows(M.ECI, year=year))
            pci_frames.append(year_reuse.kept_rows(M.PCI, year=year))
            continue
        try:
            eci_year, pci_year = eci_pci(_exports_by_product(con, year))
        except ValueError as exc:  # e.g. fewer than two countries with RCA >= 1
            log.warning(f"{M.ECI.table}, {M.PCI.table}: no values for {year}: {exc}")
            continue
        eci_frames.append(eci_year)  # core.complexity already says country
        pci_frames.append(pci_year)
    rows = {M.ECI.name: build_mart_from_frames(con, M.ECI, eci_frames),
            M.PCI.name: build_mart_from_frames(con, M.PCI, pci_frames)}
    for mart in (M.ECI, M.PCI):
        year_reuse.record(con, mart, inputs[mart.name])
    return rows


def _build_quality(con, settings: Settings, log) -> int:
    distance = con.execute("SELECT exporter, importer, dist FROM raw.geodist WHERE dist IS NOT NULL").pl()
    if distance.is_empty():
        log.warning("raw.geodist is empty: no export quality")
        return build_mart_from_frames(con, M.EXPORT_QUALITY, [])
    gdp, sectors = _gdp_pc(con), sector_of_products(con)

    def one(year: int) -> Iterator[pl.DataFrame]:
        try:
            q, _ = quality(_frame(con, "trade_outcomes/inputs/flows_of_year", year=year), gdp, distance)
        except ValueError as exc:  # too few unit values to identify the regression
            log.warning(f"{M.EXPORT_QUALITY.table}: no values for {year}: {exc}")
            return
        q = q.join(sectors, on="hs6", how="left")
        overall = aggregate_quality(q).with_columns(pl.lit("All").alias("sector"))
        yield as_mart(pl.concat([overall, aggregate_quality(q, by=("exporter", "year", "sector"))],
                                 how="diagonal_relaxed"))

    frames = year_reuse.frames_by_year(con, M.EXPORT_QUALITY, _build_quality, settings, _years(con), one, log)
    return build_mart_from_frames(con, M.EXPORT_QUALITY, frames)


lall = mart_asset(M.LALL_SHARES, [CLEAN_FLOWS], _build_lall, group=CHAPTER)
prody = mart_asset(M.PRODY, [CLEAN_FLOWS, CLEAN_MACRO], _build_prody, group=CHAPTER)
expy = mart_asset(M.EXPY, [CLEAN_FLOWS, prody], _build_expy, group=CHAPTER)
complexity = marts_asset("complexity", [M.ECI, M.PCI], [CLEAN_FLOWS], _build_complexity, group=CHAPTER)
export_quality = mart_asset(M.EXPORT_QUALITY, [CLEAN_FLOWS, CLEAN_MACRO, CLEAN_PRODUCTS, RAW_GEODIST], _build_quality, group=CHAPTER)

ASSETS = [trade_openness, sector_region_shares, exports_by_sector, exports_by_region, growth_by_sector,
          growth_by_region, services_exports, services_growth, rca, diversification, export_margins, lall, prody,
          expy, complexity, export_quality]
