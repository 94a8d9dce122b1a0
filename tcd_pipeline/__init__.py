"""tcd-pipeline: the Trade Competitiveness Diagnostic as a reproducible data pipeline."""

__version__ = "0.1.0"
