"""What a refresh runs next: one planner for ``make run``, the raw-file sensor and the nightly schedule.

A refresh is four stages, in this order, each a set of ordinary runs of the layer jobs
(``jobs.py``):

1. **ingest**: ``ingest_reference_job`` when a reference input changed, ``ingest_flows_job`` for
   each new or changed BACI year (partition = the year);
2. **marts**: the chapter jobs (``trade_outcomes_job``, ``survival_job``, ``tiva_job``, ``tariffs_job``) when a
   mart is not verified for the clean layer the warehouse holds;
3. **publish**: ``publish_job`` when the published file is not the one built from today's
   verified marts (or someone replaced or altered it);
4. **report**: ``report_job`` when the focus country's report is missing, or shows another published
   version or other comparators than the settings' (:func:`tcd_pipeline.report.render.stale_reason`).

The next stage is read from the warehouse each time (:func:`next_stage`), so a stage starts only
once the previous one left nothing to do: marts are never built from a partly refreshed clean
layer (a failed year keeps the ingest stage pending), and an input restored to what was
published rebuilds nothing. ``make run`` executes the stages in process, one after the other;
the sensors submit the next stage's runs to the instance's queue, and the following stage once
those runs have finished.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from tcd_pipeline.warehouse.plan import Plan

REFERENCE_JOB = "ingest_reference_job"
FLOWS_JOB = "ingest_flows_job"
MART_JOBS = ("trade_outcomes_job", "survival_job", "tiva_job", "tariffs_job")  # one job per chapter's marts
PUBLISH_JOB = "publish_job"
REPORT_JOB = "report_job"


@dataclass(frozen=True)
class RunSpec:
    """One run of a layer job (``partition``: the BACI year for ``ingest_flows_job``)."""

    job: str
    partition: str = ""

    @property
    def label(self) -> str:
        return f"{self.job}[{self.partition}]" if self.partition else self.job


@dataclass
class Stage:
    name: str  # "ingest", "marts", "publish", "report", or "" when nothing is left to do
    runs: list[RunSpec] = field(default_factory=list)
    reason: str = ""  # why these runs (or why none), in words
    key: str = ""  # the same warehouse state and inputs give the same key (the sensor launches a stage once)


def ingest_stage(plan: Plan) -> Stage:
    runs = ([RunSpec(REFERENCE_JOB)] if plan.run_reference else []) + [RunSpec(FLOWS_JOB, str(y)) for y in plan.run_years]
    parts = (["code lists/WDI"] if plan.run_reference else []) + [str(y) for y in plan.run_years]
    return Stage("ingest", runs, "changed: " + ", ".join(parts))


def marts_stage(reason: str, mart_jobs: tuple[str, ...] = MART_JOBS) -> Stage:
    return Stage("marts", [RunSpec(job) for job in mart_jobs], reason)


def publish_stage(reason: str) -> Stage:
    return Stage("publish", [RunSpec(PUBLISH_JOB)], reason)


def report_stage(reason: str) -> Stage:
    return Stage("report", [RunSpec(REPORT_JOB)], reason)


def next_stage(plan: Plan, unverified: list[str], mart_jobs: tuple[str, ...] = MART_JOBS,
               report_reason: str = "") -> Stage:
    """The stage to run now, from the plan (:func:`tcd_pipeline.warehouse.plan.make_plan`) and the marts
    not verified for the current clean layer; removed inputs are decided before (they stop or prune).
    ``mart_jobs``: the chapter jobs that have assets in the code location; ``report_reason``: why the focus
    country's report must be rendered from the published file ("" when it is up to date, or no report job)."""
    if plan.run_reference or plan.run_years:
        stage = ingest_stage(plan)
    elif not plan.run_marts:
        stage = report_stage(report_reason) if report_reason else Stage("", [], "nothing changed")
    elif unverified:
        stage = marts_stage(f"marts to rebuild: {', '.join(unverified[:4])}{' ...' if len(unverified) > 4 else ''}",
                            mart_jobs)
    else:
        stage = publish_stage(plan.republish_reason or "the verified marts are not the published ones")
    state = f"{stage.name}|{plan.marts_fingerprint}|{sorted(plan.years.items())}|{plan.republish_reason}|{unverified}"
    if stage.name == "report":  # the published version, focus and comparators: the sensor renders each once
        state += f"|{report_reason}"
    stage.key = f"{stage.name}-{hashlib.sha1(state.encode()).hexdigest()[:16]}"
    return stage
