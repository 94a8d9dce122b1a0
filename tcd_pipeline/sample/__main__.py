"""Command line: ``python -m tcd_pipeline.sample --out DIR [--scale sample|full] [--years 2000-2018]
[--seed N] [--zip]``; prints what it wrote (files, rows, seconds)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tcd_pipeline.sample.generate import DEFAULT_SEED, generate_sample


def parse_years(text: str) -> list[int]:
    """``2000-2018``, ``2005`` or a comma-separated mix (``2000,2005-2007``)."""
    years: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            years += range(int(first), int(last or first) + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"years must look like 2000-2018 or 2005, got {text!r}") from None
    if not years:
        raise argparse.ArgumentTypeError(f"no year in {text!r}")
    return years


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tcd_pipeline.sample", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--scale", choices=("sample", "full"), default="sample")
    parser.add_argument("--years", type=parse_years, default=list(range(2000, 2019)), help="e.g. 2000-2018 or 2005")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--zip", action="store_true", help="write each BACI year as a zip archive")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        manifest = generate_sample(args.out, scale=args.scale, years=args.years, seed=args.seed, zipped=args.zip,
                                   log=lambda msg: print(msg, flush=True))
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {len(manifest['files'])} files under {args.out}:")
    for name in manifest["files"]:
        print(f"  {name}  ({(args.out / name).stat().st_size:,} bytes)")
    rows = manifest["rows_per_year"]
    print(f"{manifest['countries']} countries, {manifest['products']} products, "
          f"{sum(rows.values()):,} flow rows over {len(rows)} year(s), {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
