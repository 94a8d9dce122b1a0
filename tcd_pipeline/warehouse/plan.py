"""What needs to run: the raw files' fingerprints against what the warehouse has verified.

Each asset records the fingerprints (name, size, modification time) of the raw files it was
built from in ``meta.loaded_partitions``; its gate, when it passes, copies that record to
``verified/<asset>``. A part of the pipeline is up to date when its verified fingerprint equals
the fingerprint of today's files:

- the reference job (code lists, WDI, services, tariffs, distances, input-output tables) when
  ``clean/countries``, ``clean/products``, ``clean/macro``, ``raw/services``, ``raw/tariffs``,
  ``raw/geodist`` and ``raw/icio`` are verified for the current files (a new or replaced year of the selected
  input-output family, or one of the WIOD label and output files it is read with, changes
  ``raw/icio``; so does selecting another family with ``$TCD_IO_TABLES``);
- a BACI year when ``clean/flows`` is verified for that year's file and the code lists;
- the marts when the published file is the very file this warehouse last published (same path,
  version, size and modification time: a file restored from a backup, replaced or altered by
  another tool is published again) and it was published from exactly these inputs.

Up to date means verified at every layer: a BACI year needs ``raw/baci_flows`` verified for its
file and ``clean/flows`` for its file and code lists; the reference tables need their raw and
clean assets verified for today's files. A failed gate commits nothing (tcd_pipeline.lib.gated),
so the verified record always describes what the warehouse holds.

**Removed inputs.** The warehouse reconciles with the input folder: a BACI year, or a reference
source (code lists, WDI, services, distances, input-output tables), that the warehouse was built
from and whose files are no longer in the folder is listed in ``Plan.removed``. The refresh then
stops and names the files, publishing nothing; with ``prune`` (``--prune``, or ``prune: true`` in
the refresh job's config) it removes the years from the raw and clean layers and rebuilds without
them. A file that is present but cannot be read is never a removal: the scan or the reader fails
naming it.

``make run`` (tcd_pipeline.refresh), the file sensor and the nightly schedule all use this
plan, so "nothing changed" means the same thing everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tcd_pipeline.sources import Inventory, SourceFile
from tcd_pipeline.sources.inventory import BACI_COUNTRIES, BACI_PRODUCTS, WDI_WIDE
from tcd_pipeline.sources.io_tables import ICIO
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.sql import atomic

REFERENCE_ASSETS = ("clean/countries", "clean/products", "clean/macro", "raw/services", "raw/geodist", "raw/icio",
                    "raw/tariffs")
# the raw asset each clean reference table is built from: both must be verified for today's files
RAW_OF = {"clean/countries": "raw/country_codes", "clean/products": "raw/product_codes", "clean/macro": "raw/wdi"}
PUBLISHED_FILE = "publish/file"  # manifest row: the published file as this warehouse last wrote it


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


def with_build(fingerprint: str, build: str) -> str:
    """An inputs fingerprint with the build (code and settings) it was built with; unchanged without one."""
    return f"{fingerprint};build={build}" if build else fingerprint


def without_build(fingerprint: str) -> str:
    """The inputs part of a recorded fingerprint (see :func:`with_build`)."""
    return fingerprint.split(";build=")[0]


@dataclass(frozen=True)
class Removed:
    """Input the warehouse holds whose files are no longer in the input folder."""

    asset: str  # "clean/flows" (a BACI year) or a reference asset
    partition: str  # the year, or ""
    files: str  # the files it was built from, as recorded

    def describe(self, root: Path) -> str:
        what = f"BACI year {self.partition}" if self.partition else self.asset
        return (f"{what}: the warehouse holds it from {self.files or 'files'}, no longer in the input "
                f"folder {root}; restore them, or rerun with --prune (refresh_job config prune: true) to remove "
                f"it from the warehouse and the published marts")


@dataclass
class Plan:
    reference: dict[str, str]  # reference asset -> fingerprint of today's files
    years: dict[int, str]  # BACI year -> fingerprint of today's files
    run_reference: bool
    run_years: list[int]
    run_marts: bool
    removed: list[Removed] = field(default_factory=list)
    republish_reason: str = ""  # why the published file must be written again, if it must
    build: str = ""  # the code and settings the marts are to be built with (lib.code_versions.build_digest)

    @property
    def inputs_fingerprint(self) -> str:
        """Today's inputs of the marts."""
        return marts_fingerprint(self.reference, {str(y): fp for y, fp in self.years.items()})

    @property
    def marts_fingerprint(self) -> str:
        """What the published file must have been built from: today's inputs, and the build when one is given."""
        return with_build(self.inputs_fingerprint, self.build)

    @property
    def nothing_to_do(self) -> bool:
        return not (self.run_reference or self.run_years or self.run_marts or self.removed)


def current_fingerprints(inv: Inventory) -> tuple[dict[str, str], dict[int, str]]:
    countries = files_fingerprint([inv.country_codes] if inv.country_codes else [])
    products = files_fingerprint([inv.product_codes] if inv.product_codes else [])
    reference = {
        "clean/countries": countries,
        "clean/products": products,
        "clean/macro": files_fingerprint(inv.wdi_files),
        "raw/services": files_fingerprint(inv.services),
        "raw/tariffs": files_fingerprint(inv.tariffs),
        "raw/geodist": files_fingerprint([inv.geodist] if inv.geodist else []),
        # every file the selected input-output family reads (WIOD labels and output too): a change reruns TiVA
        "raw/icio": files_fingerprint(list(inv.io_tables.files)),
    }
    years = {y: year_fingerprint(src.fingerprint(), countries, products) for y, src in inv.baci_years.items()}
    return reference, years


def published_stamp(path: Path, version: str) -> str:
    """What identifies the published file as written: path, version, size, modification time, inode."""
    stat = Path(path).stat()
    return f"{Path(path).resolve()}|{version}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"


def published_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The version this warehouse last published (from its :func:`published_stamp`; None when it never did)."""
    stamp = manifest.fingerprints(con, PUBLISHED_FILE).get("", "")
    return stamp.split("|")[1] if "|" in stamp else None


def republish_reason(con: duckdb.DuckDBPyConnection, published: Path) -> str:
    """Why the published file is not the one this warehouse last wrote ("" when it is)."""
    recorded = manifest.fingerprints(con, PUBLISHED_FILE).get("")
    if not Path(published).exists():
        return f"{published} does not exist"
    if recorded is None:
        return f"{published} was not published from this warehouse"
    recorded_path, version = recorded.split("|")[:2]
    if recorded_path != str(Path(published).resolve()):
        return f"the published file is now {published} (was {recorded_path})"
    if published_stamp(published, version) != recorded:
        return f"{published} changed since this warehouse published version {version} (replaced, restored or altered)"
    return ""


def layout_key(name: str) -> str:
    """What a file stands for, whatever its release: a new download of the same thing keeps its key.

    WDI bulk files by indicator (``API_NY.GDP.MKTP.CD_DS2_en_csv_v2_<n>.csv``), OECD ICIO by year
    (``ICIO<release>_<year>.csv``), BACI code lists by kind (``country_codes_V<release>.csv``);
    any other file by its name. A compressed copy stands for the same thing (``x.csv.gz`` = ``x.csv``).
    """
    name = re.sub(r"\.gz$", "", name, flags=re.IGNORECASE)
    if m := WDI_WIDE.match(name):
        return f"WDI {m['indicator']}"
    if m := ICIO.match(name):
        return f"ICIO {m['year']}"
    if BACI_COUNTRIES.match(name):
        return "BACI country list"
    if BACI_PRODUCTS.match(name):
        return "BACI product list"
    return name.lower()


def _names(fingerprint: str) -> dict[str, str]:
    """layout key -> file name, from a fingerprint ``name:size:mtime;...``."""
    names = [part.rsplit(":", 2)[0] for part in fingerprint.split(";") if part]
    return {layout_key(n): n for n in names}


def removed_inputs(con: duckdb.DuckDBPyConnection, reference: dict[str, str], years: dict[int, str]) -> list[Removed]:
    """Years, and files of reference sources, the warehouse holds (verified) that left the folder.

    A file replaced by another release of the same thing (same :func:`layout_key`) is a change,
    not a removal.
    """
    removed = []
    for year in sorted(manifest.verified(con, "clean/flows")):
        if int(year) not in years:
            removed.append(Removed("clean/flows", year, manifest.source(con, "verified/clean/flows", year) or ""))
    for asset, fingerprint in reference.items():
        raw = RAW_OF.get(asset, asset)
        held = _names(manifest.verified(con, raw).get("", ""))
        gone = {key for key in held if key not in _names(fingerprint)}
        if gone:
            # name them as recorded (archive!member for zip members), not only by their base name
            recorded = [f for f in (manifest.source(con, f"verified/{raw}") or "").split(", ") if f]
            files = [f for f in recorded if layout_key(Path(f.split("!")[-1]).name) in gone]
            removed.append(Removed(asset, "", ", ".join(files or sorted(held[k] for k in gone))))
    return removed


def make_plan(inv: Inventory, con: duckdb.DuckDBPyConnection, *, force: bool = False,
              published: Path | None = None, published_exists: bool = True, build: str = "") -> Plan:
    """What must run for today's files; ``published`` is the published file to check (None: trust it);
    ``build``: the code and settings of the marts (:func:`tcd_pipeline.lib.code_versions.build_digest`),
    so that a published file of another build is rebuilt ("" : the files alone decide)."""
    reference, years = current_fingerprints(inv)
    verified_raw_years = manifest.verified(con, "raw/baci_flows")
    verified_years = manifest.verified(con, "clean/flows")

    def reference_ok(asset: str, fingerprint: str) -> bool:
        return all(manifest.verified(con, a).get("") == fingerprint for a in {asset, RAW_OF.get(asset, asset)})

    def year_ok(year: int, fingerprint: str) -> bool:
        raw_fp = fingerprint.split("|")[0]  # year_fingerprint: the BACI file's own part comes first
        return verified_years.get(str(year)) == fingerprint and verified_raw_years.get(str(year)) == raw_fp

    plan = Plan(
        reference=reference,
        years=years,
        run_reference=force or not all(reference_ok(a, fp) for a, fp in reference.items()),
        run_years=[y for y, fp in years.items() if force or not year_ok(y, fp)],
        run_marts=False,
        removed=removed_inputs(con, reference, years),
        build=build,
    )
    if published is not None:
        plan.republish_reason = republish_reason(con, published)
    elif not published_exists:
        plan.republish_reason = "the published file does not exist"
    published_fp = manifest.verified(con, "publish/marts_file").get("")
    plan.run_marts = force or bool(plan.republish_reason) or published_fp != plan.marts_fingerprint
    if plan.run_marts and not plan.republish_reason and published_fp and build \
            and without_build(published_fp) == plan.inputs_fingerprint:
        plan.republish_reason = "the code or the settings of the marts changed since the published build"
    return plan


def prune(con: duckdb.DuckDBPyConnection, removed: list[Removed]) -> list[str]:
    """Remove from the warehouse what ``removed`` lists (one transaction); what was done, in words.

    A removed BACI year leaves ``raw.baci_flows``, ``clean.flows`` and the manifest. A removed
    reference source keeps its tables until its asset is rebuilt from what is left (an empty
    table, or the job's error naming the missing required file); its verified mark is dropped
    so that the reference job runs.
    """
    done = []
    with atomic(con):
        for item in removed:
            if item.partition:
                for table in ("raw.baci_flows", "clean.flows"):
                    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name || '.' || table_name = ?",
                                   [table]).fetchone()[0]:
                        con.execute(f"DELETE FROM {table} WHERE year = ?", [int(item.partition)])
                for asset in ("raw/baci_flows", "clean/flows"):
                    manifest.forget(con, asset, item.partition)
                    manifest.forget(con, f"verified/{asset}", item.partition)
                done.append(f"removed BACI year {item.partition} ({item.files}) from raw.baci_flows and clean.flows")
            else:
                for asset in {item.asset, RAW_OF.get(item.asset, item.asset)}:
                    manifest.forget(con, f"verified/{asset}", "")
                done.append(f"{item.asset}: its files ({item.files}) are gone; rebuilt from what the folder holds")
    return done
