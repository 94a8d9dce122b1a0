"""The damage campaign (issue 10): seeded damages of the tiny world, each judged by the oracle of
:mod:`tcd_pipeline_tests.damage` (outcome a: the run fails naming the file, the published file
unchanged; outcome b: the published marts equal a clean build's on the equivalent correct input;
every failed run then recovers, with restored and with fresh modification times).

- ``make test`` (plain ``pytest``) runs the fixed subset: seeds 0-29 (every damage kind at least once),
  each with the full oracle and the recovery with restored mtimes (``shutil.copy2``: "nothing to
  do", 0.1 s); the recovery with fresh mtimes, which rebuilds and republishes every mart (about 5 s
  a case: the plan's fingerprints hold modification times), only for seeds divisible by 5, to keep the
  subset near two minutes.
- The whole campaign (seeds 0 .. ``$TCD_CAMPAIGN_CASES`` - 1, default 228, 12 per kind; both
  recoveries for every failed run) runs with ``TCD_CAMPAIGN=1`` (``make campaign``); ``-m campaign``
  runs its seeds 30 and up. Its cases are marked ``campaign`` and skipped otherwise.
- One case alone: ``pytest tcd_pipeline_tests/pipeline/test_damage_campaign.py -k seed_017`` or
  ``python -m tcd_pipeline_tests.damage --seed 17``.

The summary (cases by kind x outcome, seconds) is printed at the end of the module and written to
``damage_campaign.json`` in pytest's base temporary folder.
"""

from __future__ import annotations

import json
import os

import pytest

from tcd_pipeline_tests.damage import DEFAULT_CASES, Campaign, format_summary

CAMPAIGN_CASES = int(os.environ.get("TCD_CAMPAIGN_CASES", "228"))


def _campaign_selected(config) -> bool:
    """True with ``TCD_CAMPAIGN=1`` or a ``-m`` expression that asks for ``campaign`` (not ``not campaign``)."""
    expression = (config.getoption("markexpr", "") or "").replace("not campaign", "")
    return os.environ.get("TCD_CAMPAIGN") == "1" or "campaign" in expression


CAMPAIGN_ONLY = [pytest.mark.campaign, pytest.mark.skipif(
    "not _campaign_selected(config)", reason="damage campaign case: run with TCD_CAMPAIGN=1 or -m campaign")]
SEEDS = [pytest.param(seed, id=f"seed_{seed:03d}") for seed in range(DEFAULT_CASES)] + [
    pytest.param(seed, id=f"seed_{seed:03d}", marks=CAMPAIGN_ONLY) for seed in range(DEFAULT_CASES, CAMPAIGN_CASES)]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory, request):
    """The good world, built once; the summary written when the module's cases are done."""
    campaign = Campaign(tmp_path_factory.mktemp("damage_campaign"))
    yield campaign
    summary = campaign.summary()
    target = tmp_path_factory.getbasetemp() / "damage_campaign.json"
    target.write_text(json.dumps(summary, indent=1, default=str))
    text = format_summary(summary) + f"\n  summary: {target}"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
        reporter.write_line("")
        for line in text.splitlines():
            reporter.write_line(line)


@pytest.mark.parametrize("seed", SEEDS)
def test_damage_is_stopped_or_harmless(campaign, request, seed):
    result = campaign.run_case(seed, fresh_recovery=_campaign_selected(request.config) or seed % 5 == 0)
    assert result.outcome != "violation", result.report()
