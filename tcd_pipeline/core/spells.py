"""Export spells: maximal runs of consecutive years with positive exports (Besedes and Prusa 2006).

Besedes, T. and Prusa, T. J. (2006), "Ins, outs, and the duration of trade", Canadian Journal of
Economics 39(1): 266-295. METHODS.md section 4 is the specification; ``sql/spells/*.sql`` runs the
same rules inside DuckDB at scale and a test proves both give identical spells.

Definitions, for one unit (exporter x HS6 x destination, or exporter x HS6 to the world):

- active years: years within the panel [F, L] with value > 0 (zeros and nulls are not exports);
- a spell is a maximal run of active years in which consecutive active years differ by at most
  ``step`` years: ``step = 1`` for the gap rule ``"none"`` (consecutive years only),
  ``step = 2`` for ``"merge_one_year_gaps"`` (a single missing year does not end a spell);
- ``duration = last_year - first_year + 1``: with the gap merge the gap year counts (the
  literature's convention: a relationship interrupted for one year is one continuing spell);
- censoring: a spell whose start could lie before F, or whose end could lie after L, under the
  gap rule in force. With ``"none"`` that is being active in F (``left_censored``) or in L
  (``event = 0``). With ``"merge_one_year_gaps"`` the reach is one year further: a spell starting
  in F + 1 would merge with exports in F - 1, unseen, and a spell ending in L - 1 would merge
  with exports in L + 1, so those are censored too (``first_year <= F + step - 1`` and
  ``last_year >= L - step + 1``);
- ``initial_value``: the value of the spell's first year; ``min_initial_value`` drops spells
  below it (applied after merging, to the merged spell's first year).

Rows must be unique on (keys, year) (``clean.flows`` is; the DuckDB statements rely on it too);
:func:`world_flows` aggregates over destinations. The module never reads files.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

BILATERAL_KEYS = ("exporter", "hs6", "importer")
PRODUCT_KEYS = ("exporter", "hs6")
GAP_RULES = {"none": 1, "merge_one_year_gaps": 2}
SPELL_COLUMNS = ("first_year", "last_year", "duration", "event", "left_censored", "initial_value")


def gap_step(gap: str) -> int:
    """Largest difference between consecutive active years that keeps a spell going."""
    if gap not in GAP_RULES:
        raise ValueError(f"gap rule must be one of {sorted(GAP_RULES)}, got {gap!r}")
    return GAP_RULES[gap]


def world_flows(flows: pl.DataFrame, value: str = "value_usd") -> pl.DataFrame:
    """Exports of each exporter x HS6 to the world by year: the sum over destinations."""
    return (
        flows.lazy()
        .filter(pl.col(value) > 0)
        .group_by("year", "exporter", "hs6")
        .agg(pl.col(value).sum())
        .sort("exporter", "hs6", "year")
        .collect()
    )


def export_spells(
    flows: pl.DataFrame,
    *,
    keys: Sequence[str] = BILATERAL_KEYS,
    value: str = "value_usd",
    first_year: int | None = None,
    last_year: int | None = None,
    gap: str = "none",
    min_initial_value: float | None = None,
    include_left_censored: bool = False,
) -> pl.DataFrame:
    """One row per spell: ``keys``, first_year, last_year, duration, event, left_censored, initial_value.

    ``flows`` has ``year``, the ``keys`` columns and ``value``. The panel [F, L] defaults to the
    smallest and largest year in ``flows`` (pass them when a country is absent in some years);
    rows outside it are ignored. ``event`` is 1 when the spell is seen to end, 0 when
    right-censored. Left-censored spells are flagged always and kept only when
    ``include_left_censored``. Rows come sorted by keys and first_year.
    """
    step = gap_step(gap)
    keys = list(keys)
    first = int(flows["year"].min()) if first_year is None else int(first_year)
    last = int(flows["year"].max()) if last_year is None else int(last_year)
    if first > last:
        raise ValueError(f"empty panel: first_year {first} > last_year {last}")
    year = pl.col("year")
    new_unit = pl.any_horizontal([pl.col(k).ne_missing(pl.col(k).shift(1)) for k in keys])
    new_spell = (new_unit | (year - year.shift(1) > step)).fill_null(True)
    spells = (
        flows.lazy()
        .filter((pl.col(value) > 0) & year.is_between(first, last))
        .select(*keys, year.cast(pl.Int32), pl.col(value).cast(pl.Float64))
        .sort([*keys, "year"])
        .with_columns(new_spell.cum_sum().alias("_spell"))
        .group_by("_spell", maintain_order=True)
        .agg(
            *[pl.col(k).first() for k in keys],
            year.first().alias("first_year"),
            year.last().alias("last_year"),
            pl.col(value).first().alias("initial_value"),
        )
        .with_columns(
            (pl.col("last_year") - pl.col("first_year") + 1).cast(pl.Int16).alias("duration"),
            (pl.col("last_year") < last - step + 1).cast(pl.Int8).alias("event"),
            (pl.col("first_year") <= first + step - 1).alias("left_censored"),
        )
    )
    if min_initial_value is not None:
        spells = spells.filter(pl.col("initial_value") >= min_initial_value)
    if not include_left_censored:
        spells = spells.filter(~pl.col("left_censored"))
    return spells.select(
        *keys,
        pl.col("first_year").cast(pl.Int16),
        pl.col("last_year").cast(pl.Int16),
        "duration",
        "event",
        "left_censored",
        "initial_value",
    ).collect()


def product_spells(flows: pl.DataFrame, *, value: str = "value_usd", **options) -> pl.DataFrame:
    """Spells of exporter x HS6 to the world (destinations summed first); options as :func:`export_spells`.

    For data without destinations (``keys`` exporter, hs6) pass the flows as they are: summing
    over a missing importer column is the identity.
    """
    world = world_flows(flows, value) if "importer" in flows.columns else flows
    if "first_year" not in options:
        options["first_year"] = int(flows["year"].min())
    if "last_year" not in options:
        options["last_year"] = int(flows["year"].max())
    return export_spells(world, keys=PRODUCT_KEYS, value=value, **options)


def apply_concordance(
    flows: pl.DataFrame,
    concordance: pl.DataFrame,
    *,
    code: str = "hs6",
    sums: Sequence[str] = ("value_usd", "quantity_t"),
) -> pl.DataFrame:
    """Restate ``flows`` in the panel's HS vintage: ``code`` -> ``new_code``, values summed.

    ``concordance`` has columns ``old_code`` and ``new_code`` (many-to-one; codes absent from it
    are already panel codes and are kept). One HS vintage per panel (METHODS.md): without this a
    code renamed between vintages ends its spell (false exit) and starts a new one (false entry).
    One-to-many rows are refused (splitting a value needs weights; map such codes to a common
    coarser code instead). A summed column is null where any of its parts is null.
    """
    dup = concordance.group_by("old_code").agg(pl.col("new_code").n_unique().alias("n")).filter(pl.col("n") > 1)
    if dup.height:
        raise ValueError(f"concordance maps an old code to several new codes: {sorted(dup['old_code'].to_list())[:5]}")
    mapping = concordance.select("old_code", "new_code").unique()
    sums = [c for c in sums if c in flows.columns]
    others = [c for c in flows.columns if c not in sums and c != code]
    summed = [
        pl.when(pl.col(c).null_count() > 0).then(None).otherwise(pl.col(c).sum()).alias(c) for c in sums
    ]
    return (
        flows.lazy()
        .join(mapping.lazy(), left_on=code, right_on="old_code", how="left")
        .with_columns(pl.coalesce("new_code", code).alias(code))
        .group_by(*others, code)
        .agg(*summed)
        .select(flows.columns)
        .sort([*others, code])
        .collect()
    )
