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
])
def test_bad_values_are_named(field, value, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        DiagnosticSettings(**{field: value}).resolved()
