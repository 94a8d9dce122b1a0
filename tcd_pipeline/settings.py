"""Analysis settings: comparator sets, years and method options, as Dagster config or environment.

Every field can be set three ways, first one wins: Dagster run config (the launchpad's
``resources: {settings: {config: {...}}}``), an environment variable (read when a run uses the
resource, never at import), or the default below (the first report: Kazakhstan against seven
comparators, the 2010 customs union).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import dagster as dg

ENV = {
    "focus": "TCD_FOCUS",
    "comparators": "TCD_COMPARATORS",
    "growth_periods": "TCD_GROWTH_PERIODS",
    "event_year": "TCD_EVENT_YEAR",
    "spell_gap_rule": "TCD_SPELL_GAP_RULE",
    "left_censored": "TCD_LEFT_CENSORED",
    "min_initial_value_usd": "TCD_MIN_INITIAL_VALUE_USD",
    "tiva_taxes": "TCD_TIVA_TAXES",
    "tiva_output": "TCD_TIVA_OUTPUT",
}
DEFAULTS = {
    "focus": "KAZ",
    "comparators": "RUS,AZE,CHL,IDN,MEX,THA,VNM",
    "growth_periods": "2000-2012,2012-2018",
    "event_year": "2010",
    "spell_gap_rule": "none",
    "left_censored": "exclude",
    "min_initial_value_usd": "0",
    "tiva_taxes": "value_added",
    "tiva_output": "published",
}
GAP_RULES = ("none", "merge_one_year_gaps")
LEFT_CENSORED = ("exclude", "keep")
# TiVA conventions (METHODS.md section 5): where taxes less subsidies go (core.tiva.TAXES) and which
# gross output x is used (the readers' ``output``: the published column, or the row sums of Z and Y)
TIVA_TAXES = ("value_added", "separate")
TIVA_OUTPUT = ("published", "row_sums")


@dataclass(frozen=True)
class Settings:
    focus: str
    comparators: tuple[str, ...]
    growth_periods: tuple[tuple[int, int], ...]
    event_year: int
    spell_gap_rule: str
    left_censored: str
    min_initial_value_usd: float
    tiva_taxes: str
    tiva_output: str


def parse(values: dict[str, str]) -> Settings:
    """Validate raw text values; errors name the setting and its environment variable."""

    def fail(field: str, why: str) -> ValueError:
        return ValueError(f"setting {field} (${ENV[field]}): {why}; got {values[field]!r}")

    codes = tuple(c.strip().upper() for c in values["comparators"].split(",") if c.strip())
    if any(len(c) != 3 or not c.isalpha() for c in (*codes, values["focus"].strip())):
        raise fail("comparators", "ISO3 codes separated by commas")
    periods = []
    for part in values["growth_periods"].split(","):
        try:
            start, end = (int(y) for y in part.strip().split("-"))
        except ValueError:
            raise fail("growth_periods", "year pairs like 2000-2012, separated by commas") from None
        if end <= start:
            raise fail("growth_periods", "each period must end after it starts")
        periods.append((start, end))
    if values["spell_gap_rule"] not in GAP_RULES:
        raise fail("spell_gap_rule", f"one of {GAP_RULES}")
    if values["left_censored"] not in LEFT_CENSORED:
        raise fail("left_censored", f"one of {LEFT_CENSORED}")
    if values["tiva_taxes"] not in TIVA_TAXES:
        raise fail("tiva_taxes", f"one of {TIVA_TAXES}")
    if values["tiva_output"] not in TIVA_OUTPUT:
        raise fail("tiva_output", f"one of {TIVA_OUTPUT}")
    try:
        event_year, min_value = int(values["event_year"]), float(values["min_initial_value_usd"])
    except ValueError:
        raise fail("event_year", "a year (and min_initial_value_usd a number)") from None
    return Settings(values["focus"].strip().upper(), codes, tuple(periods), event_year,
                    values["spell_gap_rule"], values["left_censored"], min_value, values["tiva_taxes"],
                    values["tiva_output"])


class DiagnosticSettings(dg.ConfigurableResource):
    """Comparators, growth periods, event year, survival options and TiVA conventions (config, else $TCD_*, else defaults)."""

    focus: str | None = None
    comparators: str | None = None  # "RUS,AZE,CHL"
    growth_periods: str | None = None  # "2000-2012,2012-2018"
    event_year: int | None = None
    spell_gap_rule: str | None = None  # none | merge_one_year_gaps
    left_censored: str | None = None  # exclude | keep
    min_initial_value_usd: float | None = None
    tiva_taxes: str | None = None  # value_added | separate (core.tiva: where taxes less subsidies go)
    tiva_output: str | None = None  # published | row_sums (gross output x of the input-output tables)

    def resolved(self) -> Settings:
        values = {}
        for field, variable in ENV.items():
            configured = getattr(self, field)
            values[field] = str(configured) if configured is not None else os.environ.get(variable) or DEFAULTS[field]
        return parse(values)
