"""Moved: the settings are declared in :mod:`tcd_pipeline.config` and the resource ``DiagnosticSettings``
lives in :mod:`tcd_pipeline.lib.resources`; kept so older imports keep working. No logic here."""

from tcd_pipeline.config import GAP_RULES, LEFT_CENSORED, TIVA_OUTPUT, TIVA_TAXES, Settings
from tcd_pipeline.lib.resources import DiagnosticSettings

__all__ = ["GAP_RULES", "LEFT_CENSORED", "TIVA_OUTPUT", "TIVA_TAXES", "DiagnosticSettings", "Settings"]
