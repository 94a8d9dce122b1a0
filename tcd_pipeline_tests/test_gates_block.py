"""SQL checks block like expectations do, and a failed year is retried while the others stay.

(The systematic bad-input matrix is test_bad_inputs.py; these are the cases only SQL checks see.)
"""

import pytest

from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, baci_text

GOOD = baci_text(FLOWS[2002])

CASES = {
    "year differs from file name": (GOOD.replace("2002,398,251", "2005,398,251"),
                                    "checks/baci_year_matches_file: offending rows, e.g. {'year': 2002, 't': 2005"),
    "self trade": (GOOD.replace("2002,398,490", "2002,398,398"),
                   "checks/baci_self_trade: offending rows, e.g. {'year': 2002, 't': 2002, 'i': 398, 'j': 398"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_sql_check_blocks_and_the_year_is_retried(tmp_path, case):
    content, words = CASES[case]
    world = World(tmp_path)
    assert world.refresh().success
    good_rows = world.query("SELECT * FROM clean.flows WHERE year = 2002 ORDER BY ALL")
    (world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv").write_text(content)

    report = world.refresh()

    assert not report.success
    message = " ".join(report.problems)
    assert "raw_baci_flows_gate" in message and "BACI_HS92_Y2002_V202401b.csv" in message
    assert words in message, message
    assert "clean/flows[2002]" not in report.materialized
    assert world.query("SELECT * FROM clean.flows WHERE year = 2002 ORDER BY ALL") == good_rows
    # only 2002 ran (2001 untouched), marts were not rebuilt, and the next refresh tries 2002 again
    assert [(r.job, r.partition) for r in report.runs] == [("ingest_flows_job", "2002")]
    assert [(r.job, r.partition) for r in world.refresh().runs] == [("ingest_flows_job", "2002")]
