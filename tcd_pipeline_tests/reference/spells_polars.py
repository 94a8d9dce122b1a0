"""Export spells constructed in polars: the reference the DuckDB statements are checked against.

Provenance: written for this project from the definition in :mod:`tcd_pipeline.core.spells`
(Besedes and Prusa 2006, "Ins, outs, and the duration of trade", Canadian Journal of Economics
39(1): 266-295; METHODS.md section 4): a spell is a maximal run of active years of one unit in
which consecutive active years differ by at most the gap rule's step. It was the package module
``tcd_pipeline/core/spells.py`` until the pipeline built every spell in DuckDB
(``sql/survival/spells/*.sql``); the pipeline no longer calls it, so it lives with the tests.

Used by:

- ``tcd_pipeline_tests/defs/survival/test_spells.py``: hand-built cases with the expected spells
  written out (gap rules, censoring, minimum initial value, product spells, the HS-vintage
  concordance case), and the DuckDB statements against :func:`export_spells` /
  :func:`product_spells` on the sample world, row for row;
- ``tcd_pipeline_tests/defs/survival/test_marts_survival.py``: the product spells the survival job
  derived from the bilateral table equal :func:`product_spells` of ``clean.flows``;
- ``tcd_pipeline_tests/core/test_survival.py`` and ``test_survival_real.py``: spells fed to the
  Kaplan-Meier and log-rank functions checked against lifelines (the sample world; BACI BRICS
  product spells; Atlas exporter x HS4 spells, ``keys`` and ``value`` passed explicitly).

:func:`apply_concordance` restates flows in one HS vintage (METHODS.md: one HS vintage per panel;
a renamed code would otherwise end a spell and start another); the pipeline's panels come in one
vintage, so only the concordance test calls it. Rows must be unique on (keys, year).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from tcd_pipeline.core.spells import BILATERAL_KEYS, PRODUCT_KEYS, gap_step


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

    The definition, censoring and gap rules of :mod:`tcd_pipeline.core.spells`. ``flows`` has ``year``, the ``keys`` columns and ``value``. The panel [F, L] defaults to the
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


def assert_same_spells(got: pl.DataFrame, expected: pl.DataFrame) -> None:
    """Two spell tables are the same: keys, years, durations and flags exactly; ``initial_value``
    to a relative 1e-12.

    A product spell's initial value is a sum over destinations. DuckDB's parallel aggregation
    and polars add the same terms in different orders, so the last bits may differ from run to
    run (a float sum of n terms is exact only to about n x 1.1e-16 relative); 1e-12 is far
    above that and far below any real difference (a missing flow changes it by whole dollars).
    """
    from polars.testing import assert_frame_equal

    floats = [c for c, t in got.schema.items() if t.is_float()]
    assert_frame_equal(got.drop(floats), expected.drop(floats), check_exact=True)
    assert_frame_equal(got.select(floats), expected.select(floats), rel_tol=1e-12, abs_tol=0.0)


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
