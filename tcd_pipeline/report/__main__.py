"""Render the diagnostic report for a focus country from the published file, without rebuilding any mart.

    python -m tcd_pipeline.report [--focus CHL] [--comparators RUS,AZE,...] [--published FILE] [--out DIR]

Defaults: the settings (``$TCD_FOCUS``, ``$TCD_COMPARATORS``, ``$TCD_PUBLISHED``, ``$TCD_REPORTS``; see
:mod:`tcd_pipeline.config`). Writes ``<out>/tcd_<FOCUS>.html`` and ``<out>/tcd_<FOCUS>.xlsx``.
"""

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tcd_pipeline.report", description=__doc__.splitlines()[0])
    parser.add_argument("--focus", help="ISO3 code of the focus country (default: $TCD_FOCUS, else KAZ)")
    parser.add_argument("--comparators", help="comma-separated ISO3 codes (default: $TCD_COMPARATORS)")
    parser.add_argument("--published", help="published file (default: $TCD_PUBLISHED or data/published/tcd.duckdb)")
    parser.add_argument("--out", help="folder of the reports (default: $TCD_REPORTS or data/reports)")
    args = parser.parse_args(argv)

    # the settings as the resources resolve them (flag, else environment variable, else default), without
    # importing Dagster: a report is a few seconds, Dagster's import alone would add seconds
    from tcd_pipeline import config
    from tcd_pipeline.report.render import render

    try:
        focus = config.resolve("settings.focus", args.focus)
        comparators = config.resolve("settings.comparators", args.comparators)
        source = config.resolve("published_marts.path", args.published)
        out = config.resolve("published_marts.reports", args.out)
    except ValueError as exc:  # a bad setting: the message names it
        print(f"stopped: {exc}", file=sys.stderr)
        return 2
    try:
        files = render(Path(source), Path(out), focus, comparators)
    except FileNotFoundError as exc:
        print(f"stopped: {exc}", file=sys.stderr)
        return 1
    print(f"report for {files.focus} against {', '.join(files.comparators) or 'no comparator'} "
          f"(published version {files.version}): {files.figures} figures, {files.tables} tables, "
          f"{files.seconds:.1f} s")
    if files.empty:
        print(f"  without data (the report says what would fill them): {', '.join(files.empty)}")
    print(f"  {files.html}")
    print(f"  {files.workbook}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
