"""The raw files themselves, as observable assets whose data version is their fingerprint.

One asset per source (``files/baci`` partitioned by BACI year, ``files/country_codes``,
``files/product_codes``, ``files/wdi``, ``files/services``, ``files/tariffs``, ``files/geodist``,
``files/io_tables``), upstream of the ``raw/*`` asset that loads it. Each refresh records an
observation of every source before its runs (``make run`` through the instance, the sensors in
their tick result), and "Observe" in the UI does the same: the files' current fingerprint
(:mod:`tcd_pipeline.warehouse.plan`) is the data version, so a file that changed since its
``raw/*`` asset last ran shows that asset, and everything below it, as stale.
"""

import warnings

import dagster as dg

from tcd_pipeline.lib.partitions import baci_years
from tcd_pipeline.lib.resources import RawInputs
from tcd_pipeline.warehouse.plan import current_fingerprints

# files/<source> -> the key of its fingerprint in plan.current_fingerprints, and the raw asset that reads it
SOURCES = {
    "country_codes": ("clean/countries", "raw/country_codes"),
    "product_codes": ("clean/products", "raw/product_codes"),
    "wdi": ("clean/macro", "raw/wdi"),
    "services": ("raw/services", "raw/services"),
    "tariffs": ("raw/tariffs", "raw/tariffs"),
    "geodist": ("raw/geodist", "raw/geodist"),
    "io_tables": ("raw/icio", "raw/icio"),
}
BACI = dg.AssetKey(["files", "baci"])


def file_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["files", source])


def observations(reference: dict[str, str], years: dict[int, str]) -> list[dg.AssetObservation]:
    """The data version of every source's files from their fingerprints as the plan computed them
    (:func:`tcd_pipeline.warehouse.plan.current_fingerprints`; one observation per BACI year)."""
    events = [dg.AssetObservation(file_key(source), tags={"dagster/data_version": reference[fingerprint]})
              for source, (fingerprint, _) in SOURCES.items()]
    events += [dg.AssetObservation(BACI, partition=str(year), tags={"dagster/data_version": fp.split("|")[0]})
               for year, fp in years.items()]  # the BACI file's own part of the year's fingerprint
    return events


def _spec(source: str) -> dg.AssetSpec:
    reader = SOURCES[source][1]
    return dg.AssetSpec(file_key(source), group_name="ingest", kinds={"file"}, owners=["team:data-engineering"],
                        description=f"The input files {reader} reads; data version = their fingerprint (names, sizes, "
                                    f"modification times).")


# multi_observable_source_asset is marked beta in Dagster 1.13 (observable_source_asset warns from deprecated
# internals instead); the code location must load without warnings, so the notice is silenced here only
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.BetaWarning)

    @dg.multi_observable_source_asset(specs=[_spec(source) for source in SOURCES], can_subset=True)
    def reference_files(context: dg.AssetExecutionContext, raw_inputs: RawInputs):
        """Observe the reference sources' files: their fingerprints become the assets' data versions."""
        reference, _ = current_fingerprints(raw_inputs.inventory())
        for source, (fingerprint, _) in SOURCES.items():
            if file_key(source) in context.selected_asset_keys:
                yield dg.ObserveResult(asset_key=file_key(source), data_version=dg.DataVersion(reference[fingerprint]))

    @dg.multi_observable_source_asset(specs=[dg.AssetSpec(
        BACI, group_name="ingest", kinds={"file"}, partitions_def=baci_years, owners=["team:data-engineering"],
        description="The BACI flow file of each year; data version = its fingerprint.")])
    def baci_files(context: dg.AssetExecutionContext, raw_inputs: RawInputs):
        """Observe a BACI year's file: its fingerprint becomes the partition's data version."""
        _, years = current_fingerprints(raw_inputs.inventory())
        fingerprint = years.get(int(context.partition_key), "absent")
        yield dg.ObserveResult(asset_key=BACI, data_version=dg.DataVersion(fingerprint.split("|")[0]))
