"""Moved to :mod:`tcd_pipeline.config` (one configuration surface); kept so older imports keep working.

No logic here: the resolved paths are ``Warehouse().resolved_path()``, ``RawInputs().resolved_dir()``
and ``PublishedMarts().resolved_path()`` (``tcd_pipeline.lib.resources``).
"""

from tcd_pipeline.config import EXPECTATIONS_DIR, REPO_ROOT, SQL_DIR

__all__ = ["EXPECTATIONS_DIR", "REPO_ROOT", "SQL_DIR"]
