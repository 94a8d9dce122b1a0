"""Product and destination classifications: report sectors, regions by year, Lall (2000) classes.

The mappings are data (``tcd_pipeline/reference/*.csv``, read by
:mod:`tcd_pipeline.sources.reference_tables`) and are passed in as frames, so the functions
stay pure and a user can swap in another version of a mapping.

- Report sectors (Table 1 of the report): an HS6 code takes the sector of its 4-digit heading
  when the mapping lists one, else of its 2-digit chapter, else ``default`` ("Other").
- Destination regions (Table 2): membership by year (EU enlargements and Brexit, the
  Customs Union of 2010 and the EEU of 2015, CIS, ASEAN accessions); a country in two groups in
  a year takes the first of ``REGION_PRIORITY`` (EEU before CIS: the CIS group is "CIS, not EEU").
- Lall, S. (2000), "The Technological Structure and Performance of Developing Country
  Manufactured Exports, 1985-98", Oxford Development Studies 28(3), 337-369, Table 2: SITC
  Rev. 2 3-digit groups -> PP, RB1, RB2, LT1, LT2, MT1, MT2, MT3, HT1, HT2 (+ UNC, Lall's
  unclassified "other transactions"). HS92 reaches SITC Rev. 2 through the UN concordance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

REGION_PRIORITY = ("EU", "EEU", "CIS", "ASEAN", "China", "USA")
REST_OF_WORLD = "Rest of world"
LALL_CLASSES = ("PP", "RB1", "RB2", "LT1", "LT2", "MT1", "MT2", "MT3", "HT1", "HT2", "UNC")
UNCLASSIFIED = "UNC"


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in str(version).split("."))


def select_version(mapping: pl.DataFrame, version: str | None = None) -> pl.DataFrame:
    """Rows of one ``version`` of a versioned mapping (default: the latest)."""
    versions = sorted(mapping["version"].unique().to_list(), key=_version_key)
    if not versions:
        raise ValueError("mapping is empty")
    chosen = versions[-1] if version is None else str(version)
    if chosen not in versions:
        raise ValueError(f"mapping version {chosen!r} not found (available: {versions})")
    return mapping.filter(pl.col("version") == chosen)


def report_sectors(frame: pl.DataFrame, mapping: pl.DataFrame, hs_col: str = "hs6",
                   version: str | None = None, default: str = "Other", name: str = "sector") -> pl.DataFrame:
    """Add the report sector of each HS6 code: heading rule, else chapter rule, else ``default``."""
    rules = select_version(mapping, version)
    heading = rules.filter(pl.col("level") == "heading").select(
        pl.col("code").alias("_h4"), pl.col("sector").alias("_s4"))
    chapter = rules.filter(pl.col("level") == "chapter").select(
        pl.col("code").alias("_h2"), pl.col("sector").alias("_s2"))
    codes = (frame.select(pl.col(hs_col).unique())
             .with_columns(pl.col(hs_col).str.slice(0, 4).alias("_h4"), pl.col(hs_col).str.slice(0, 2).alias("_h2"))
             .join(heading, on="_h4", how="left").join(chapter, on="_h2", how="left")
             .select(hs_col, pl.coalesce("_s4", "_s2", pl.lit(default)).alias(name)))
    return frame.join(codes, on=hs_col, how="left", maintain_order="left")


def region_table(membership: pl.DataFrame, years: Iterable[int],
                 customs_union_as_eeu: bool = True) -> pl.DataFrame:
    """``iso3, year, region`` for every member country and year, one region per country-year.

    ``customs_union_as_eeu`` counts the 2010-2014 Customs Union of BLR, KAZ and RUS as EEU
    (rows with ``stage == "customs_union"``); without it those years fall to CIS.
    """
    rows = membership
    if not customs_union_as_eeu:
        rows = rows.filter(pl.col("stage") != "customs_union")
    grid = pl.DataFrame({"year": sorted({int(y) for y in years})}, schema={"year": pl.Int32})
    rank = {r: i for i, r in enumerate(REGION_PRIORITY)}
    return (rows.join(grid, how="cross")
            .filter((pl.col("year") >= pl.col("first_year"))
                    & (pl.col("last_year").is_null() | (pl.col("year") <= pl.col("last_year"))))
            .with_columns(pl.col("region").replace_strict(rank, default=len(rank)).alias("_rank"))
            .sort("iso3", "year", "_rank")
            .unique(subset=["iso3", "year"], keep="first", maintain_order=True)
            .select("iso3", "year", "region"))


def destination_regions(frame: pl.DataFrame, membership: pl.DataFrame, importer_col: str = "importer",
                        year_col: str = "year", customs_union_as_eeu: bool = True,
                        default: str = REST_OF_WORLD, name: str = "region") -> pl.DataFrame:
    """Add the destination region of each row (importer and year); others are ``default``."""
    years = frame[year_col].unique().to_list()
    table = region_table(membership, years, customs_union_as_eeu).rename(
        {"iso3": importer_col, "year": year_col, "region": name})
    table = table.with_columns(pl.col(year_col).cast(frame.schema[year_col]))
    return frame.join(table, on=[importer_col, year_col], how="left", maintain_order="left").with_columns(
        pl.col(name).fill_null(default))


def lall_classes(frame: pl.DataFrame, concordance: pl.DataFrame, lall: pl.DataFrame,
                 hs_col: str = "hs6") -> pl.DataFrame:
    """Add ``sitc2_3d`` and ``lall`` to each row: HS6 -> SITC Rev. 2 (5-digit) -> 3-digit group -> class.

    ``concordance`` has ``hs6, sitc2`` (from ``read_hs92_sitc2``), ``lall`` has ``sitc2_3d, lall``.
    HS6 codes missing from the concordance, and groups missing from Lall's list, get ``UNC``.
    """
    conc = (concordance.select(pl.col("hs6").alias(hs_col), pl.col("sitc2").str.slice(0, 3).alias("sitc2_3d"))
            .join(lall.select("sitc2_3d", "lall"), on="sitc2_3d", how="left"))
    return (frame.join(conc, on=hs_col, how="left", maintain_order="left")
            .with_columns(pl.col("lall").fill_null(UNCLASSIFIED)))


def lall_shares(flows: pl.DataFrame, concordance: pl.DataFrame, lall: pl.DataFrame,
                by: Sequence[str] = ("exporter", "year"), value: str = "value_usd",
                hs_col: str = "hs6") -> pl.DataFrame:
    """Exports by Lall class: ``by + [lall_class, value, share_pct]`` (the columns of ``marts.lall_shares``;
    share_pct in percent of the ``by`` total).

    Every class appears for every ``by`` key (0 where nothing is exported), so shares of a key
    sum to 100 and tables line up across exporters.
    """
    products = flows.group_by([*by, hs_col]).agg(pl.col(value).sum())
    classed = lall_classes(products, concordance, lall, hs_col)
    values = classed.group_by([*by, "lall"]).agg(pl.col(value).sum())
    grid = values.select(by).unique().join(pl.DataFrame({"lall": list(LALL_CLASSES)}), how="cross")
    out = grid.join(values, on=[*by, "lall"], how="left").with_columns(pl.col(value).fill_null(0.0))
    total = pl.col(value).sum().over(by)
    return (out.with_columns(pl.when(total != 0).then(pl.col(value) / total * 100.0).alias("share_pct"))
            .sort([*by, pl.col("lall").replace_strict({c: i for i, c in enumerate(LALL_CLASSES)})])
            .rename({"lall": "lall_class"}))
