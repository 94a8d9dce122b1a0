"""Export spells: maximal runs of consecutive years with positive exports (Besedes and Prusa 2006).

Besedes, T. and Prusa, T. J. (2006), "Ins, outs, and the duration of trade", Canadian Journal of
Economics 39(1): 266-295. METHODS.md section 4 is the specification. The pipeline builds spells
inside DuckDB (``sql/survival/spells/*.sql``, driven by :mod:`tcd_pipeline.defs.survival.spells`)
with exactly these rules; ``tcd_pipeline_tests/reference/spells_polars.py`` constructs them again
in polars from the same definition, and the tests prove both give identical spells. This module
holds the definition and what the SQL driver needs from it: the unit keys, the spell columns and
the gap rules.

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

Rows must be unique on (keys, year) (``clean.flows`` is; the DuckDB statements rely on it too).
Product spells (exporter x HS6 to the world) are the spells of the flows summed over destinations.
"""

from __future__ import annotations

#: The unit of a bilateral spell (exporter x HS6 x destination) and of a product spell (exporter x HS6).
BILATERAL_KEYS = ("exporter", "hs6", "importer")
PRODUCT_KEYS = ("exporter", "hs6")
#: Gap rule -> ``step``, the largest difference between consecutive active years within a spell.
GAP_RULES = {"none": 1, "merge_one_year_gaps": 2}
#: The columns of a spell after its unit's keys.
SPELL_COLUMNS = ("first_year", "last_year", "duration", "event", "left_censored", "initial_value")


def gap_step(gap: str) -> int:
    """Largest difference between consecutive active years that keeps a spell going."""
    if gap not in GAP_RULES:
        raise ValueError(f"gap rule must be one of {sorted(GAP_RULES)}, got {gap!r}")
    return GAP_RULES[gap]
