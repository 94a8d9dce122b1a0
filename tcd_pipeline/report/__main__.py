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

    from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts
    from tcd_pipeline.report.render import render

    try:
        settings = DiagnosticSettings(focus=args.focus, comparators=args.comparators).resolved()
        published = PublishedMarts(path=args.published, reports=args.out)
        source, out = published.resolved_path(), published.reports_dir()
    except ValueError as exc:  # a bad setting: the message names it
        print(f"stopped: {exc}", file=sys.stderr)
        return 2
    try:
        files = render(Path(source), Path(out), settings.focus, settings.comparators)
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
