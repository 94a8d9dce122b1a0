"""A failing gate stops every downstream asset, names the file and the problem, and loses nothing.

Each case first builds the tiny world successfully, then replaces the 2002 BACI file with a
broken one and refreshes: the run fails, clean.flows for 2002 is not rebuilt (still the good
rows), and the message names the file and what is wrong.
"""

import pytest

from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, baci_text

GOOD = baci_text(FLOWS[2002])
HEADER, FIRST, *REST = GOOD.splitlines(keepends=True)

CASES = {
    # name: (file content, words the failure message must contain, does the raw load itself fail?)
    "duplicated key": (GOOD + FIRST, ["(t, i, j, k): 2 of 4 rows have duplicated keys"], False),
    "negative value": (GOOD.replace("1800.000", "-1800.000"), ["v:", "-1800.0"], False),
    "unknown country code": (GOOD.replace("2002,4,398", "2002,999,398"), ["i:", "999"], False),
    "unknown product code": (GOOD.replace("740311", "999999"), ["k:", "999999"], False),
    "year differs from file name": (GOOD.replace("2002,398,251", "2005,398,251"), ["baci_year_matches_file", "2005"], False),
    "self trade": (GOOD.replace("2002,398,490", "2002,398,398"), ["baci_self_trade"], False),
    "wrong header": (GOOD.replace("t,i,j,k,v,q", "year,i,j,k,v,q"), ["wrong header", "year,i,j,k,v,q"], True),
    "wrong delimiter": (GOOD.replace(",", ";"), ["wrong header (wrong delimiter?)"], True),
    "truncated file": (GOOD[: len(GOOD) - 25], ["Expected Number of Columns"], True),
    "non-numeric value": (GOOD.replace("1800.000", "1.8e3x"), ["Could not convert", "1.8e3x", "Line: 2"], True),
    "empty file": ("", ["is empty"], True),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_baci_file_is_blocked(tmp_path, case):
    content, words, load_fails = CASES[case]
    world = World(tmp_path)
    assert world.refresh().success
    good_rows = world.query("SELECT * FROM clean.flows WHERE year = 2002 ORDER BY ALL")
    clean_before = world.materializations("clean/flows", "2002")
    raw_before = world.materializations("raw/baci_flows", "2002")

    path = world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv"
    path.write_text(content)
    report = world.refresh()

    assert not report.success
    message = " ".join(report.problems)
    assert "BACI_HS92_Y2002_V202401b.csv" in message
    for word in words:
        assert word in message, message
    # downstream did not run and the published clean rows are intact
    assert world.materializations("clean/flows", "2002") == clean_before
    assert world.query("SELECT * FROM clean.flows WHERE year = 2002 ORDER BY ALL") == good_rows
    # a load failure leaves raw as it was too (the transaction is rolled back)
    assert (world.materializations("raw/baci_flows", "2002") == raw_before) == load_fails
    # the other year was not touched, and the next refresh tries 2002 again
    assert [r.partition for r in report.runs] == ["2002"]
    assert [r.partition for r in world.refresh().runs] == ["2002"]


def test_bad_code_list_stops_every_year(tmp_path):
    world = World(tmp_path)
    codes = world.inputs / "baci" / "country_codes_V202401b.csv"
    codes.write_text(codes.read_text() + "398,Kazakhstan again,KZ,KAZ\n")
    report = world.refresh()
    assert not report.success
    assert [r.job for r in report.runs] == ["reference_job"]  # no year ran
    message = " ".join(report.problems)
    assert "country_codes_V202401b.csv" in message and "country_code" in message
    with pytest.raises(Exception):
        world.query("SELECT count(*) FROM clean.flows")  # never created


def test_unmapped_nes_code_is_named(tmp_path):
    world = World(tmp_path)
    codes = world.inputs / "baci" / "country_codes_V202401b.csv"
    codes.write_text(codes.read_text() + "577,Other Africa nes,N/A,N/A\n")
    report = world.refresh()
    assert not report.success
    message = " ".join(report.problems)
    assert "clean_countries_gate" in message and "577" in message


def test_negative_gdp_blocks_macro(tmp_path):
    world = World(tmp_path)
    gdp = next((world.inputs / "wdi").glob("API_NY.GDP.MKTP.CD*.csv"))
    gdp.write_text(gdp.read_text().replace("22150000000.0", "-22150000000.0"))
    report = world.refresh()
    assert not report.success
    message = " ".join(report.problems)
    assert "clean_macro_gate" in message and "gdp_usd" in message
