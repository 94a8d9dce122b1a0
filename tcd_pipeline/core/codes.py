"""Classification code lists: country and product lists in their published header variants.

CEPII has changed the BACI code-list headers across releases (``iso_3digit_alpha`` in V202201,
``country_iso3`` in V202401); older curated lists use ``i``/``iso3``. These functions map every
known variant to one schema so later steps never care which release was read.
"""

from __future__ import annotations

import polars as pl

COUNTRY_COLUMNS = {
    "country_code": ("country_code", "i", "code"),
    "country_name": ("country_name", "country_name_abbreviation", "name_english", "name"),
    "iso2": ("country_iso2", "iso_2digit_alpha", "iso2"),
    "iso3": ("country_iso3", "iso_3digit_alpha", "iso3"),
}
PRODUCT_COLUMNS = {
    "code": ("code",),
    "description": ("description", "shortdescription", "desc"),
}


def _rename(frame: pl.DataFrame, wanted: dict[str, tuple[str, ...]], what: str) -> pl.DataFrame:
    lower = {c.strip().lower(): c for c in frame.columns}
    mapping: dict[str, str] = {}
    for target, variants in wanted.items():
        hit = next((lower[v] for v in variants if v in lower), None)
        if hit is None:
            raise ValueError(
                f"{what}: no column for {target!r} (accepted headers: {', '.join(variants)}; "
                f"found: {', '.join(frame.columns)})"
            )
        mapping[hit] = target
    return frame.select(list(mapping)).rename(mapping)


def normalise_country_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """BACI country list -> ``country_code`` (Int32), ``country_name``, ``iso2``, ``iso3`` (text).

    Whitespace is stripped; empty strings become null. Codes that are not integers raise; the
    range of codes is the gate's business (a negative code is read, then refused by the gate).
    """
    out = _rename(frame, COUNTRY_COLUMNS, "country code list")
    text = [pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in ("country_name", "iso2", "iso3")]
    code = pl.col("country_code").cast(pl.Utf8).str.strip_chars()
    bad = out.filter(~code.str.contains(r"^-?\d+$") | code.is_null())
    if bad.height:
        raise ValueError(f"country code list: non-integer country_code {bad['country_code'].to_list()[:5]}")
    return out.with_columns(code.cast(pl.Int32).alias("country_code"), *text)


def normalise_product_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Product list -> ``code`` as text and ``description``.

    Only the leading zero that a numeric reader drops is restored (5 characters: ``10110`` ->
    ``010110``); a code of any other length is kept as written, for the gate to refuse by name
    (padding ``2709`` to ``002709`` would invent a code).
    """
    out = _rename(frame, PRODUCT_COLUMNS, "product code list")
    code = pl.col("code").cast(pl.Utf8).str.strip_chars()
    return out.with_columns(
        pl.when(code.str.len_chars() == 5).then(pl.lit("0") + code).otherwise(code).alias("code"),
        pl.col("description").cast(pl.Utf8).str.strip_chars(),
    )
