"""Settings: one declaration (tcd_pipeline.config); config beats environment beats defaults; bad values are named."""

import re
from pathlib import Path

import pytest

from tcd_pipeline import config
from tcd_pipeline.lib.gated import GateSettings
from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts, RawInputs, Warehouse

RESOURCES = {"warehouse": Warehouse, "raw_inputs": RawInputs, "published_marts": PublishedMarts,
             "gate_settings": GateSettings, "settings": DiagnosticSettings}
INHERITED = {"connection_config"}  # dagster-duckdb's DuckDBResource field, passed to duckdb.connect


def resolved(resource, field: str):
    """The value a resource resolves for one of its declared fields."""
    if isinstance(resource, DiagnosticSettings):
        return getattr(resource.resolved(), field)
    method = {"database": "resolved_path", "memory_limit": "memory_limit_setting", "lock_wait_seconds": "lock_wait",
              "directory": "resolved_dir", "hs_vintage": "resolved_hs", "io_tables": "resolved_io_tables",
              "path": "resolved_path", "engine": "resolved_engine", "reports": "reports_dir"}[field]
    return getattr(resource, method)()


# a valid value for each setting, other than its default, written as in the environment
OTHER = {"raw_inputs.directory": "/elsewhere/inputs", "raw_inputs.hs_vintage": "12", "raw_inputs.io_tables": "icio",
         "warehouse.database": "/elsewhere/wh.duckdb", "warehouse.memory_limit": "2GB",
         "warehouse.lock_wait_seconds": "5", "published_marts.path": "/elsewhere/pub.duckdb",
         "published_marts.reports": "/elsewhere/reports", "settings.margin_periods": "2000-2018,2000-2005",
         "gate_settings.engine": "gx", "settings.focus": "UZB", "settings.comparators": "KGZ,TJK",
         "settings.growth_periods": "2001-2005", "settings.event_year": "2015",
         "settings.spell_gap_rule": "merge_one_year_gaps", "settings.left_censored": "keep",
         "settings.min_initial_value_usd": "1000", "settings.tiva_taxes": "separate", "settings.tiva_output": "row_sums"}
CONFIGURED = {"raw_inputs.directory": "/configured/inputs", "raw_inputs.hs_vintage": "17",
              "raw_inputs.io_tables": "wiod2013", "warehouse.database": "/configured/wh.duckdb",
              "warehouse.memory_limit": "3GB", "warehouse.lock_wait_seconds": 7.5,
              "published_marts.path": "/configured/pub.duckdb", "published_marts.reports": "/configured/reports",
              "settings.margin_periods": "auto", "gate_settings.engine": "sql",
              "settings.focus": "CHN", "settings.comparators": "CHN,IND", "settings.growth_periods": "2003-2009",
              "settings.event_year": 2008, "settings.spell_gap_rule": "none", "settings.left_censored": "exclude",
              "settings.min_initial_value_usd": 5.0, "settings.tiva_taxes": "value_added",
              "settings.tiva_output": "published"}


def test_every_resource_field_is_declared_once():
    declared = [s.name for s in config.SETTINGS]
    assert len(declared) == len(set(declared)) and len({s.env for s in config.SETTINGS}) == len(declared)
    fields = {f"{key}.{name}" for key, cls in RESOURCES.items() for name in cls.model_fields if name not in INHERITED}
    assert fields == set(declared)
    assert set(OTHER) == set(CONFIGURED) == set(declared)
    for key, cls in RESOURCES.items():  # unset is None, one way
        assert all(getattr(cls(), f) is None for f in config.fields_of(key))


@pytest.mark.parametrize("name", [s.name for s in config.SETTINGS])
def test_resolution_order_config_then_environment_then_default(name, monkeypatch):
    setting = config.BY_NAME[name]
    cls = RESOURCES[setting.resource]
    monkeypatch.delenv(setting.env, raising=False)
    default = resolved(cls(), setting.field)
    assert default == setting.default_value()
    monkeypatch.setenv(setting.env, "")  # empty is unset, as None is
    assert resolved(cls(), setting.field) == default
    if isinstance(CONFIGURED[name], str):
        assert resolved(cls(**{setting.field: ""}), setting.field) == default
    monkeypatch.setenv(setting.env, OTHER[name])
    from_env = resolved(cls(), setting.field)
    assert from_env == setting.convert(OTHER[name]) and from_env != default
    from_config = resolved(cls(**{setting.field: CONFIGURED[name]}), setting.field)
    assert from_config == setting.convert(str(CONFIGURED[name])) and from_config != from_env


def test_defaults_are_the_first_report(monkeypatch):
    for s in config.SETTINGS:
        monkeypatch.delenv(s.env, raising=False)
    s = DiagnosticSettings().resolved()
    assert s.focus == "KAZ"
    assert s.comparators == ("RUS", "AZE", "CHL", "IDN", "MEX", "THA", "VNM")
    assert s.growth_periods == ((2000, 2012), (2012, 2018))
    assert (s.event_year, s.spell_gap_rule, s.left_censored, s.min_initial_value_usd) == (2010, "none", "exclude", 0.0)
    assert (s.tiva_taxes, s.tiva_output) == ("value_added", "published")  # METHODS.md section 5, issue 5
    assert Warehouse().resolved_path() == config.REPO_ROOT / "data" / "warehouse.duckdb"
    assert RawInputs().resolved_dir() == config.REPO_ROOT / "data" / "sample"
    assert PublishedMarts().resolved_path() == config.REPO_ROOT / "data" / "published" / "tcd.duckdb"
    assert (Warehouse().memory_limit_setting(), Warehouse().lock_wait()) == ("6GB", 60.0)


def test_environment_then_config(monkeypatch):
    monkeypatch.setenv("TCD_COMPARATORS", "uzb, kgz")
    monkeypatch.setenv("TCD_EVENT_YEAR", "2015")
    assert DiagnosticSettings().resolved().comparators == ("UZB", "KGZ")
    assert DiagnosticSettings().resolved().event_year == 2015
    configured = DiagnosticSettings(comparators="CHN", event_year=2008).resolved()
    assert (configured.comparators, configured.event_year) == (("CHN",), 2008)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("comparators", "RUS,AZERBAIJAN", "setting settings.comparators ($TCD_COMPARATORS): ISO3 codes"),
    ("focus", "KAZAKHSTAN", "setting settings.focus ($TCD_FOCUS): an ISO3 code; got 'KAZAKHSTAN'"),
    ("growth_periods", "2012-2000", "each period must end after it starts"),
    ("growth_periods", "2000:2012", "year pairs like 2000-2012"),
    ("spell_gap_rule", "merge", "one of none, merge_one_year_gaps"),
    ("tiva_taxes", "vat", "setting settings.tiva_taxes ($TCD_TIVA_TAXES): one of value_added, separate; got 'vat'"),
    ("tiva_output", "gross", "setting settings.tiva_output ($TCD_TIVA_OUTPUT): one of published, row_sums; got 'gross'"),
])
def test_bad_values_are_named(field, value, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        DiagnosticSettings(**{field: value}).resolved()


def test_bad_values_of_the_other_resources_are_named(monkeypatch):
    with pytest.raises(ValueError, match=re.escape("setting gate_settings.engine ($TCD_GATE_ENGINE): one of sql, gx")):
        GateSettings(engine="pandas").resolved_engine()
    monkeypatch.setenv("TCD_LOCK_WAIT_SECONDS", "soon")
    with pytest.raises(ValueError, match=re.escape("setting warehouse.lock_wait_seconds ($TCD_LOCK_WAIT_SECONDS): "
                                                   "a number of seconds; got 'soon'")):
        Warehouse().lock_wait()


def test_choices_are_those_of_the_core_and_readers():
    from tcd_pipeline.core.tiva import TAXES
    from tcd_pipeline.sources.io_tables import IO_TABLES
    from tcd_pipeline.sources.wiod import OUTPUTS

    assert config.TIVA_TAXES == TAXES and config.TIVA_OUTPUT == OUTPUTS and config.IO_TABLES == IO_TABLES


def test_nothing_reads_the_environment_at_import(monkeypatch):
    monkeypatch.setenv("TCD_WAREHOUSE", "/first/wh.duckdb")
    warehouse = Warehouse()
    assert warehouse.resolved_path() == Path("/first/wh.duckdb")
    monkeypatch.setenv("TCD_WAREHOUSE", "/second/wh.duckdb")
    assert warehouse.resolved_path() == Path("/second/wh.duckdb")  # read when used


def test_readme_settings_table_is_the_declaration():
    """README.md's table under "## Configuration" is ``python -m tcd_pipeline.config readme``."""
    text = (config.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    assert table == config.readme_table(), "regenerate it: python -m tcd_pipeline.config readme"
