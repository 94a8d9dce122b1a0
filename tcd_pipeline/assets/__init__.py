"""Dagster assets: thin wrappers that load inputs, call readers/SQL/core, and report metadata."""
