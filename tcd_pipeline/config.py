"""Every setting of the pipeline, declared once, and the Dagster instance that belongs to a warehouse.

Each :class:`Setting` names its Dagster resource and field, its environment variable, its default,
its allowed values and one line of documentation; the README's settings table is generated from
:data:`SETTINGS` (``python -m tcd_pipeline.config readme``, checked by a test). A setting's value is
resolved when it is used, never at import, first one wins:

1. the resource's config (Dagster run config, the launchpad's ``resources: {warehouse: {config:
   {...}}}``, or the value a caller passed, e.g. ``Warehouse(database=...)`` from ``--warehouse``);
2. the environment variable;
3. the default (the embedded sample set-up).

"Unset" is ``None``: a resource field left out is ``None``, and an empty string, in config or in
the environment, counts as unset too (``TCD_WAREHOUSE= make run`` means the default).

Not settings, so not declared here: ``DAGSTER_HOME`` is Dagster's own (which instance records the
runs; see :func:`instance_dir`), and ``TCD_FAULT_PAUSE*`` (:mod:`tcd_pipeline.faults`) is a test
hook that makes a process pause so a crash test can kill it there; it must reach the pipeline's
subprocesses unchanged and never appears in run config, so it stays a plain environment read.

This module imports nothing but the standard library: ``make dev`` calls it to prepare the
instance folder in a fraction of a second.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = REPO_ROOT / "sql"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

# choices that other modules own; tests check they are the same tuples
IO_TABLES = ("auto", "icio", "wiod2013", "wiod_long_run")  # tcd_pipeline.sources.io_tables.IO_TABLES
TIVA_TAXES = ("value_added", "separate")  # tcd_pipeline.core.tiva.TAXES (METHODS.md section 5)
TIVA_OUTPUT = ("published", "row_sums")  # tcd_pipeline.sources.wiod.OUTPUTS
GAP_RULES = ("none", "merge_one_year_gaps")
LEFT_CENSORED = ("exclude", "keep")
GATE_ENGINES = ("sql", "gx")


def _iso3(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError("an ISO3 code")
    return code


def _iso3_list(text: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    if not codes or any(len(c) != 3 or not c.isalpha() for c in codes):
        raise ValueError("ISO3 codes separated by commas")
    return codes


def _periods(text: str) -> tuple[tuple[int, int], ...]:
    periods = []
    for part in text.split(","):
        try:
            start, end = (int(y) for y in part.strip().split("-"))
        except ValueError:
            raise ValueError("year pairs like 2000-2012, separated by commas") from None
        if end <= start:
            raise ValueError("each period must end after it starts")
        periods.append((start, end))
    return tuple(periods)


def _margin_periods(text: str) -> tuple[tuple[int, int], ...] | None:
    """``auto`` -> None (the whole span of the data plus the growth periods); else year pairs."""
    return None if text == "auto" else _periods(text)


def _number(kind: type, what: str) -> Callable[[str], Any]:
    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            raise ValueError(what) from None
    return parse


def _positive_seconds(text: str) -> float:
    value = _number(float, "a number of seconds")(text)
    if value < 0:
        raise ValueError("a number of seconds, 0 or more")
    return value


@dataclass(frozen=True)
class Setting:
    """One setting: where it is configured, its variable, default, allowed values and meaning."""

    resource: str  # the Dagster resource key in tcd_pipeline.definitions ("warehouse")
    field: str  # the resource's config field ("database")
    env: str  # the environment variable ("TCD_WAREHOUSE")
    default: str  # as text; a relative path is relative to the repository
    doc: str  # one line: the README's "meaning" column
    choices: tuple[str, ...] = ()
    parse: Callable[[str], Any] | None = None  # text -> value; raises ValueError(what is expected)
    path: bool = False  # a file or folder: the value is a Path, the default under the repository
    default_note: str = ""  # said after the default in the README

    @property
    def name(self) -> str:
        return f"{self.resource}.{self.field}"

    def convert(self, text: str) -> Any:
        """The typed value of ``text``; a ValueError names the setting, its variable and the value."""
        value = text.strip()
        try:
            if self.choices and value not in self.choices:
                raise ValueError(f"one of {', '.join(self.choices)}")
            if self.path:
                return Path(value)
            return self.parse(value) if self.parse else value
        except ValueError as exc:
            raise ValueError(f"setting {self.name} (${self.env}): {exc}; got {value!r}") from None

    def default_value(self) -> Any:
        if self.path:
            return REPO_ROOT / self.default
        return self.convert(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("raw_inputs", "directory", "TCD_INPUT_DIR", "data/sample",
            "folder of raw files in their published layouts, searched recursively",
            path=True, default_note="(generated on first `make run`)"),
    Setting("raw_inputs", "hs_vintage", "TCD_HS_VINTAGE", "92", "the one HS vintage of the BACI panel (`BACI_HS92_*`)"),
    Setting("raw_inputs", "io_tables", "TCD_IO_TABLES", "auto",
            "the one input-output family of the TiVA chapter: `auto` (the one family found; several is an error "
            "naming them), `icio` (OECD ICIO), `wiod2013` (WIOD 2013 release), `wiod_long_run` (long-run WIOD); "
            "other families' files are ignored with a note", choices=IO_TABLES),
    Setting("warehouse", "database", "TCD_WAREHOUSE", "data/warehouse.duckdb",
            "the working warehouse (raw, clean, marts; written by the pipeline only); its Dagster instance is "
            "the folder beside it, `data/warehouse.dagster`", path=True),
    Setting("published_marts", "path", "TCD_PUBLISHED", "data/published/tcd.duckdb",
            "**the file BI tools read** (replaced atomically after each successful refresh)", path=True),
    Setting("published_marts", "reports", "TCD_REPORTS", "data/reports",
            "folder of the rendered diagnostic reports (`tcd_<FOCUS>.html` and `tcd_<FOCUS>.xlsx`), read from "
            "the published file", path=True),
    Setting("warehouse", "memory_limit", "TCD_DUCKDB_MEMORY_LIMIT", "6GB",
            "DuckDB's memory limit; beyond it DuckDB spills to disk (the spell build sorts 25 million flows at "
            "a time and peaks near 4 GB at full scale)"),
    Setting("warehouse", "lock_wait_seconds", "TCD_LOCK_WAIT_SECONDS", "60",
            "how long a run waits for another process's lock on the warehouse (DuckDB allows one writer per "
            "file), saying every 10 s who holds it, before it stops naming that process",
            parse=_positive_seconds),
    Setting("gate_settings", "engine", "TCD_GATE_ENGINE", "sql",
            "`sql` (DuckDB, any size) or `gx` (Great Expectations on pandas)", choices=GATE_ENGINES),
    Setting("settings", "focus", "TCD_FOCUS", "KAZ", "the country a report is about", parse=_iso3),
    Setting("settings", "comparators", "TCD_COMPARATORS", "RUS,AZE,CHL,IDN,MEX,THA,VNM", "comparator set",
            parse=_iso3_list),
    Setting("settings", "growth_periods", "TCD_GROWTH_PERIODS", "2000-2012,2012-2018",
            "year pairs for CAGR tables", parse=_periods),
    Setting("settings", "margin_periods", "TCD_MARGIN_PERIODS", "auto",
            "year pairs for the margin decomposition of export growth; `auto`: the whole span of the BACI "
            "panel (first to last year) plus every growth period", parse=_margin_periods),
    Setting("settings", "event_year", "TCD_EVENT_YEAR", "2010", "before/after comparisons (the customs union)",
            parse=_number(int, "a year")),
    Setting("settings", "spell_gap_rule", "TCD_SPELL_GAP_RULE", "none", "`none` or `merge_one_year_gaps`",
            choices=GAP_RULES),
    Setting("settings", "left_censored", "TCD_LEFT_CENSORED", "exclude", "`exclude` or `keep` left-censored spells",
            choices=LEFT_CENSORED),
    Setting("settings", "min_initial_value_usd", "TCD_MIN_INITIAL_VALUE_USD", "0",
            "drop spells starting below this value", parse=_number(float, "a number")),
    Setting("settings", "tiva_taxes", "TCD_TIVA_TAXES", "value_added",
            "TiVA: `value_added` (taxes less subsidies count as value added of the paying industry, DVA + FVA = "
            "EXGR) or `separate` (their content is `exgr_tls`)", choices=TIVA_TAXES),
    Setting("settings", "tiva_output", "TCD_TIVA_OUTPUT", "published",
            "TiVA gross output: `published` (the table's output column) or `row_sums` (row sums of Z and final "
            "demand; closes the VA identities on WIOD 2013's rounded cells)", choices=TIVA_OUTPUT),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The analysis settings (resource ``settings``), resolved and typed: what the assets read."""

    focus: str
    comparators: tuple[str, ...]
    growth_periods: tuple[tuple[int, int], ...]
    margin_periods: tuple[tuple[int, int], ...] | None  # None: auto (whole span + growth periods)
    event_year: int
    spell_gap_rule: str
    left_censored: str
    min_initial_value_usd: float
    tiva_taxes: str
    tiva_output: str


def unset(value: Any) -> Any:
    """``None`` for what means "not set" (``None``, or a blank string); the value otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def resolve(name: str, configured: Any = None) -> Any:
    """The typed value of setting ``name`` ("warehouse.database"): ``configured`` (the resource's
    config), else its environment variable, else its default. Bad values raise ValueError naming the
    setting and its variable."""
    setting = BY_NAME[name]
    value = unset(configured)
    if value is None:
        value = unset(os.environ.get(setting.env))
    if value is None:
        return setting.default_value()
    return setting.convert(str(value))


def fields_of(resource: str) -> list[str]:
    """The declared fields of a resource ("settings" -> ["focus", ...])."""
    return [s.field for s in SETTINGS if s.resource == resource]


def readme_table() -> str:
    """The README's settings table (``python -m tcd_pipeline.config readme`` prints it)."""
    rows = ["| variable | Dagster resource config | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" + (f" {s.default_note}" if s.default_note else "")
        rows.append(f"| `{s.env}` | `{s.name}` | {default} | {s.doc} |")
    rows.append("| `DAGSTER_HOME` | | `<warehouse>.dagster` beside the warehouse | Dagster's instance (run "
                "history) of that warehouse; `make run`, `make dev` and `python -m tcd_pipeline.run` use it; "
                "set to another warehouse's instance, the run stops |")
    return "\n".join(rows)


# -- the Dagster instance of a warehouse ----------------------------------------------------------

INSTANCE_SUFFIX = ".dagster"
MARKER = "tcd_warehouse"  # in the instance folder: the absolute path of the warehouse it belongs to
# telemetry off (the pipeline runs offline and in CI); one run at a time, and one run at a time in the
# pool duckdb_warehouse that every writing asset declares, since DuckDB allows one writing process per
# file (further runs wait in the queue). The pool is enforced when the queue launches a run
# (granularity: run), not per step: make run executes its runs in process under its refresh lock, and a
# step's slot held by a killed process would block every later step until someone freed it by hand
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    granularity: run
    default_limit: 1
"""


class InstanceMismatch(RuntimeError):
    """``$DAGSTER_HOME`` belongs to another warehouse (or to none known): its runs would mix."""


def _absolute(path: Path | str) -> Path:
    return Path(os.path.abspath(os.path.expanduser(str(path))))


def instance_dir(warehouse: Path | str) -> Path:
    """The Dagster instance folder of ``warehouse``: beside it, its name without suffix plus ``.dagster``
    (``data/warehouse.duckdb`` -> ``data/warehouse.dagster``), absolute as ``$DAGSTER_HOME`` must be."""
    path = _absolute(warehouse)
    return path.with_name((path.stem if path.suffix else path.name) + INSTANCE_SUFFIX)


def instance_warehouse(home: Path | str) -> Path | None:
    """The warehouse an instance folder records it belongs to, or None (no marker)."""
    marker = Path(home) / MARKER
    try:
        text = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def _has_history(home: Path) -> bool:
    return any((home / part).exists() for part in ("history", "storage", "schedules"))


def check_instance(home: Path | str | None, warehouse: Path | str) -> str | None:
    """Why the Dagster instance at ``home`` must not record runs of ``warehouse``; None when it may.

    Read-only (a sensor can call it on every tick). No ``home`` (a temporary instance) is fine; a
    folder that names another warehouse, or that holds run history without saying whose, is not.
    In a sensor or schedule::

        if reason := config.check_instance(context.instance.root_directory, warehouse.resolved_path()):
            return dg.SkipReason(reason)
    """
    if unset(home) is None:
        return None
    home, warehouse = _absolute(home), _absolute(warehouse)
    owner = instance_warehouse(home)
    own = instance_dir(warehouse)
    if owner is None:
        if home == own or not _has_history(home):
            return None
        return (f"DAGSTER_HOME={home} holds Dagster run history but does not say which warehouse it belongs to "
                f"(an instance shared by several warehouses shows one warehouse's numbers on another's assets); "
                f"this run is on {warehouse}. Unset DAGSTER_HOME (runs then use {own}) or set "
                f"DAGSTER_HOME={own}")
    if _absolute(owner) != warehouse:
        return (f"DAGSTER_HOME={home} is the Dagster instance of the warehouse {owner}, but this run is on "
                f"{warehouse}: its runs would show up as the other warehouse's assets. Unset DAGSTER_HOME (runs "
                f"then use {own}) or set DAGSTER_HOME={own}")
    return None


def prepare_instance(warehouse: Path | str, home: Path | str | None = None) -> Path:
    """The instance folder for runs on ``warehouse``: ``home`` (``$DAGSTER_HOME``) or :func:`instance_dir`,
    created on first use with its ``dagster.yaml`` and the marker naming the warehouse.

    Raises :class:`InstanceMismatch` (saying what to do) when ``home`` belongs to another warehouse.
    """
    if reason := check_instance(home, warehouse):
        raise InstanceMismatch(reason)
    folder = _absolute(home) if unset(home) is not None else instance_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "dagster.yaml").exists():
        (folder / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    if instance_warehouse(folder) is None:
        (folder / MARKER).write_text(f"{_absolute(warehouse)}\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    """``python -m tcd_pipeline.config readme`` prints the README's settings table;
    ``python -m tcd_pipeline.config instance`` prepares ``$DAGSTER_HOME`` for ``$TCD_WAREHOUSE``
    (what ``make dev`` does before starting the UI)."""
    command = (argv if argv is not None else sys.argv[1:]) or ["readme"]
    if command[0] == "readme":
        print(readme_table())
        return 0
    if command[0] == "instance":
        warehouse = resolve("warehouse.database")
        try:
            print(prepare_instance(warehouse, os.environ.get("DAGSTER_HOME")))
        except InstanceMismatch as exc:
            print(f"stopped: {exc}", file=sys.stderr)
            return 2
        return 0
    print(main.__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
