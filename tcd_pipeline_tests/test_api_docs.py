"""Every ```python example in docs/api.md runs (each in a fresh namespace), so the docs cannot rot."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import re

import pytest

from tcd_pipeline.config import REPO_ROOT

API_DOC = REPO_ROOT / "docs" / "api.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def examples() -> list[tuple[int, str]]:
    text = API_DOC.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]


MODULES = ["tcd_pipeline.core.growth", "tcd_pipeline.core.classifications", "tcd_pipeline.core.rca",
           "tcd_pipeline.core.diversification", "tcd_pipeline.core.margins", "tcd_pipeline.core.sophistication",
           "tcd_pipeline.core.complexity", "tcd_pipeline.core.quality", "tcd_pipeline.sources.reference_tables",
           "tcd_pipeline.sources.geodist", "tcd_pipeline.sources.services", "tcd_pipeline.sample.services"]


def test_every_public_function_has_an_example():
    code = "\n".join(c for _, c in examples())
    missing = []
    for name in MODULES:
        module = importlib.import_module(name)
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == name and not fname.startswith("_") and not re.search(rf"\b{fname}\(", code):
                missing.append(f"{name}.{fname}")
    assert not missing, f"functions without an example in docs/api.md: {missing}"


@pytest.mark.parametrize("line, code", examples(), ids=[f"line{line}" for line, _ in examples()])
def test_example_runs(line, code):
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, f"{API_DOC.name}:{line}", "exec"), {"__name__": f"api_example_{line}"})
