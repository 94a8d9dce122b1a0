"""Partitions: one per BACI year, added when the year's file is found (runner or sensor)."""

import dagster as dg

baci_years = dg.DynamicPartitionsDefinition(name="baci_year")


def by_year(specs: list[dg.AssetCheckSpec]) -> list[dg.AssetCheckSpec]:
    """The gates of a year-partitioned asset, partitioned like it: the UI shows each year's verdict."""
    return [dg.AssetCheckSpec(s.name, asset=s.asset_key, description=s.description, blocking=s.blocking,
                              metadata=s.metadata, partitions_def=baci_years) for s in specs]
