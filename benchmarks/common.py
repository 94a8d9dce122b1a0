"""Shared by the benchmark scripts: run a command in a fresh process under /usr/bin/time -v."""

from __future__ import annotations

import json
import re
import subprocess
import time


def measure(args: list[str], env: dict | None = None) -> dict:
    """Wall seconds, CPU seconds (user + system), peak RSS (MB) and the JSON object the command printed last."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr).group(1)) for kind in ("User", "System"))
    lines = [line for line in proc.stdout.strip().splitlines() if line.startswith("{")]
    payload = json.loads(lines[-1]) if lines else {}
    return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": rss_kb / 1024, **payload}
