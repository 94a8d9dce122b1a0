"""Fault injection for the crash tests: pause at a named point so a test can SIGKILL the run there.

``TCD_FAULT_PAUSE=publish.before_replace`` makes the process write the point's name to
``$TCD_FAULT_PAUSE_FILE`` (when set) and sleep at that point. Unset (always, outside tests), a
pause point does nothing.

A test hook, not a setting, so it is read from the environment here and not declared in
:mod:`tcd_pipeline.config`: the crash tests start ``python -m tcd_pipeline.run`` as a subprocess
and must reach a point deep inside a run (the publication) without any flag or run config; users
never set it, and it has no default worth documenting.
"""

import os
import time


def pause_point(name: str) -> None:
    if os.environ.get("TCD_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("TCD_FAULT_PAUSE_FILE")
    if marker:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(name)
    time.sleep(float(os.environ.get("TCD_FAULT_PAUSE_SECONDS", "600")))
