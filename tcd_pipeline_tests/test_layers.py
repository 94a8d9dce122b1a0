"""The layers of docs/architecture.md hold: what each folder may import is checked on the source.

core, sources, warehouse and gates never import Dagster or the Dagster layers (lib, defs); the
chapters of defs never import another chapter's assets (they refer to them by key), so each folder
loads on its own with dg.load_from_defs_folder.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "tcd_pipeline"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_pure_layers_import_neither_dagster_nor_the_dagster_layers():
    for layer in ("core", "sources", "warehouse", "gates"):
        for path in (PACKAGE / layer).rglob("*.py"):
            bad = {m for m in _imports(path) if m.split(".")[0] == "dagster"
                   or m.startswith(("tcd_pipeline.lib", "tcd_pipeline.defs"))}
            assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_chapters_do_not_import_each_others_assets():
    chapters = [p.name for p in (PACKAGE / "defs").iterdir() if p.is_dir() and not p.name.startswith("_")]
    for chapter in chapters:
        for path in (PACKAGE / "defs" / chapter).rglob("*.py"):
            for module in _imports(path):
                parts = module.split(".")
                if module.startswith("tcd_pipeline.defs.") and len(parts) > 3 and parts[2] != chapter:
                    # allowed: another chapter's declarations (marts.py) and helpers; never its assets
                    assert parts[3] != "assets" or chapter == "automation" and parts[2] == "publication", \
                        f"{path.relative_to(PACKAGE)} imports {module}"
