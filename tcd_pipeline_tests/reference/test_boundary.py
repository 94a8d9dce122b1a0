"""The test references stay out of the package: nothing under tcd_pipeline/ or benchmarks/ imports
tcd_pipeline_tests.reference, and the pipeline never imports lifelines (a dev dependency only)."""

from __future__ import annotations

import ast
import tomllib

from tcd_pipeline.paths import REPO_ROOT


def imported_modules(folder: str) -> dict[str, set[str]]:
    """File (relative to the repository) -> the modules its import statements name."""
    found = {}
    for path in sorted((REPO_ROOT / folder).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(REPO_ROOT))] = names
    return found


def test_package_and_benchmarks_do_not_import_the_test_references():
    offending = {path: sorted(n for n in names if n.startswith("tcd_pipeline_tests.reference"))
                 for folder in ("tcd_pipeline", "benchmarks") for path, names in imported_modules(folder).items()}
    assert not {p: n for p, n in offending.items() if n}


def test_lifelines_is_a_dev_dependency_the_package_never_imports():
    offending = {path: names for path, names in imported_modules("tcd_pipeline").items()
                 if any(n == "lifelines" or n.startswith("lifelines.") for n in names)}
    assert not offending
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert not any(d.startswith("lifelines") for d in project["project"]["dependencies"])
    assert any(d.startswith("lifelines") for d in project["dependency-groups"]["dev"])
