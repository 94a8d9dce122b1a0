"""What needs to run: the raw files' fingerprints against what the warehouse has verified.

Each asset records the fingerprints (name, size, modification time) of the raw files it was
built from in ``meta.loaded_partitions``; its gate, when it passes, copies that record to
``verified/<asset>``. A part of the pipeline is up to date when its verified fingerprint equals
the fingerprint of today's files:

- the reference job (code lists, WDI, services, distances, input-output tables) when
  ``clean/countries``, ``clean/products``, ``clean/macro``, ``raw/services``, ``raw/geodist`` and
  ``raw/icio`` are verified for the current files (a new or replaced year of the selected
  input-output family, or one of the WIOD label and output files it is read with, changes
  ``raw/icio``; so does selecting another family with ``$TCD_IO_TABLES``);
- a BACI year when ``clean/flows`` is verified for that year's file and the code lists;
- the marts when the published file exists and was published from exactly these inputs.

``make run`` (tcd_pipeline.refresh), the file sensor and the nightly schedule all use this
plan, so "nothing changed" means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tcd_pipeline import manifest
from tcd_pipeline.sources import Inventory, SourceFile

REFERENCE_ASSETS = ("clean/countries", "clean/products", "clean/macro", "raw/services", "raw/geodist", "raw/icio")


def files_fingerprint(files: list[SourceFile]) -> str:
    return ";".join(f.fingerprint() for f in files)


def year_fingerprint(flows_fp: str, countries_fp: str, products_fp: str) -> str:
    """A clean year depends on its BACI file and on both code lists it is checked and mapped with."""
    return f"{flows_fp}|{countries_fp}|{products_fp}"


def marts_fingerprint(reference: dict[str, str], years: dict[str, str]) -> str:
    """The marts depend on every verified input: the reference tables and every year."""
    parts = [f"{a}={reference.get(a, '')}" for a in REFERENCE_ASSETS]
    parts += [f"{y}={fp}" for y, fp in sorted(years.items())]
    return ";".join(parts)


@dataclass
class Plan:
    reference: dict[str, str]  # reference asset -> fingerprint of today's files
    years: dict[int, str]  # BACI year -> fingerprint of today's files
    run_reference: bool
    run_years: list[int]
    run_marts: bool

    @property
    def marts_fingerprint(self) -> str:
        return marts_fingerprint(self.reference, {str(y): fp for y, fp in self.years.items()})

    @property
    def nothing_to_do(self) -> bool:
        return not (self.run_reference or self.run_years or self.run_marts)


def current_fingerprints(inv: Inventory) -> tuple[dict[str, str], dict[int, str]]:
    countries = files_fingerprint([inv.country_codes] if inv.country_codes else [])
    products = files_fingerprint([inv.product_codes] if inv.product_codes else [])
    reference = {
        "clean/countries": countries,
        "clean/products": products,
        "clean/macro": files_fingerprint(inv.wdi_wide + inv.wdi_long),
        "raw/services": files_fingerprint(inv.services),
        "raw/geodist": files_fingerprint([inv.geodist] if inv.geodist else []),
        # every file the selected input-output family reads (WIOD labels and output too): a change reruns TiVA
        "raw/icio": files_fingerprint(list(inv.io_tables.files)),
    }
    years = {y: year_fingerprint(src.fingerprint(), countries, products) for y, src in inv.baci_years.items()}
    return reference, years


def make_plan(inv: Inventory, con: duckdb.DuckDBPyConnection, *, force: bool = False,
              published_exists: bool = True) -> Plan:
    reference, years = current_fingerprints(inv)
    verified_years = manifest.verified(con, "clean/flows")
    run_reference = force or any(manifest.verified(con, a).get("") != fp for a, fp in reference.items())
    plan = Plan(
        reference=reference,
        years=years,
        run_reference=run_reference,
        run_years=[y for y, fp in years.items() if force or verified_years.get(str(y)) != fp],
        run_marts=False,
    )
    published_fp = manifest.verified(con, "publish/marts_file").get("")
    plan.run_marts = force or not published_exists or published_fp != plan.marts_fingerprint
    return plan
