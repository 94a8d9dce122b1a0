"""Reading raw input files in their published layouts (BACI, WDI, services, distances, OECD ICIO and WIOD
input-output tables). I/O lives here, not in ``core``."""

from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.inventory import Inventory, scan_inputs

__all__ = ["InputFileError", "Inventory", "SourceFile", "scan_inputs"]
