"""Settings: config beats environment beats defaults; bad values are named."""

import pytest

from tcd_pipeline.settings import DiagnosticSettings


def test_defaults_are_the_first_report(monkeypatch):
    for name in ("TCD_COMPARATORS", "TCD_GROWTH_PERIODS", "TCD_EVENT_YEAR", "TCD_FOCUS"):
        monkeypatch.delenv(name, raising=False)
    s = DiagnosticSettings().resolved()
    assert s.focus == "KAZ"
    assert s.comparators == ("RUS", "AZE", "CHL", "IDN", "MEX", "THA", "VNM")
    assert s.growth_periods == ((2000, 2012), (2012, 2018))
    assert (s.event_year, s.spell_gap_rule, s.left_censored, s.min_initial_value_usd) == (2010, "none", "exclude", 0.0)


def test_environment_then_config(monkeypatch):
    monkeypatch.setenv("TCD_COMPARATORS", "uzb, kgz")
    monkeypatch.setenv("TCD_EVENT_YEAR", "2015")
    assert DiagnosticSettings().resolved().comparators == ("UZB", "KGZ")
    assert DiagnosticSettings().resolved().event_year == 2015
    configured = DiagnosticSettings(comparators="CHN", event_year=2008).resolved()
    assert (configured.comparators, configured.event_year) == (("CHN",), 2008)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("comparators", "RUS,AZERBAIJAN", "setting comparators ($TCD_COMPARATORS): ISO3 codes"),
    ("growth_periods", "2012-2000", "each period must end after it starts"),
    ("growth_periods", "2000:2012", "year pairs like 2000-2012"),
    ("spell_gap_rule", "merge", "one of ('none', 'merge_one_year_gaps')"),
    ("tiva_taxes", "vat", "setting tiva_taxes ($TCD_TIVA_TAXES): one of ('value_added', 'separate'); got 'vat'"),
    ("tiva_output", "gross", "setting tiva_output ($TCD_TIVA_OUTPUT): one of ('published', 'row_sums'); got 'gross'"),
])
def test_bad_values_are_named(field, value, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        DiagnosticSettings(**{field: value}).resolved()


def test_tiva_conventions_default_environment_config(monkeypatch):
    monkeypatch.delenv("TCD_TIVA_TAXES", raising=False)
    monkeypatch.delenv("TCD_TIVA_OUTPUT", raising=False)
    s = DiagnosticSettings().resolved()
    assert (s.tiva_taxes, s.tiva_output) == ("value_added", "published")  # METHODS.md section 5, issue 5
    monkeypatch.setenv("TCD_TIVA_TAXES", "separate")
    monkeypatch.setenv("TCD_TIVA_OUTPUT", "row_sums")
    s = DiagnosticSettings().resolved()
    assert (s.tiva_taxes, s.tiva_output) == ("separate", "row_sums")
    s = DiagnosticSettings(tiva_taxes="value_added").resolved()
    assert (s.tiva_taxes, s.tiva_output) == ("value_added", "row_sums")


def test_tiva_choices_are_those_of_the_core_and_readers():
    from tcd_pipeline.core.tiva import TAXES
    from tcd_pipeline.settings import TIVA_OUTPUT, TIVA_TAXES
    from tcd_pipeline.sources.wiod import OUTPUTS

    assert TIVA_TAXES == TAXES and TIVA_OUTPUT == OUTPUTS
