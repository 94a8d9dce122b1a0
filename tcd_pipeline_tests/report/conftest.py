"""The focus country's report of the sample world (``published_sample``, ``built_sample``: the shared
fixtures of ``tcd_pipeline_tests/conftest.py``)."""

import pytest

from tcd_pipeline.report.render import ReportFiles, render


@pytest.fixture(scope="session")
def rendered_sample(built_sample, tmp_path_factory) -> ReportFiles:
    """The focus country's (KAZ) report of the sample, rendered into a folder of its own."""
    return render(built_sample.published, tmp_path_factory.mktemp("report_kaz"), "KAZ")
