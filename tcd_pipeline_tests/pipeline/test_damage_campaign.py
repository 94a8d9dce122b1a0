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
- ``make campaign`` runs it as two shards side by side (``TCD_CAMPAIGN_SHARD=0/2`` and ``1/2``: even and odd
  seeds, each process with its own good world), one per core.
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


def _shard(text: str) -> tuple[int, int]:
    """``TCD_CAMPAIGN_SHARD=i/n``: this process runs the seeds s with s % n == i (``make campaign`` runs two
    shards side by side, one per core); unset: every seed."""
    index, count = (int(part) for part in (text or "0/1").split("/"))
    if not 0 <= index < count:
        raise ValueError(f"TCD_CAMPAIGN_SHARD={text!r}: expected i/n with 0 <= i < n")
    return index, count


SHARD = _shard(os.environ.get("TCD_CAMPAIGN_SHARD", ""))


def _campaign_selected(config) -> bool:
    """True with ``TCD_CAMPAIGN=1`` or a ``-m`` expression that asks for ``campaign`` (not ``not campaign``)."""
    expression = (config.getoption("markexpr", "") or "").replace("not campaign", "")
    return os.environ.get("TCD_CAMPAIGN") == "1" or "campaign" in expression


CAMPAIGN_ONLY = [pytest.mark.campaign, pytest.mark.skipif(
    "not _campaign_selected(config)", reason="damage campaign case: run with TCD_CAMPAIGN=1 or -m campaign")]
SEEDS = [pytest.param(seed, id=f"seed_{seed:03d}", marks=CAMPAIGN_ONLY if seed >= DEFAULT_CASES else ())
         for seed in range(CAMPAIGN_CASES) if seed % SHARD[1] == SHARD[0]]


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
