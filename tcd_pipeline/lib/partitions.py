"""Partitions: one per BACI year, added when the year's file is found (runner or sensor)."""

import dagster as dg

baci_years = dg.DynamicPartitionsDefinition(name="baci_year")
