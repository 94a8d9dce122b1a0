"""Reading raw input files in their published layouts (BACI, WDI). I/O lives here, not in ``core``."""

from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.inventory import Inventory, scan_inputs

__all__ = ["InputFileError", "Inventory", "SourceFile", "scan_inputs"]
