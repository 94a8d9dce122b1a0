"""Find the raw files of each layout in an input folder (searched recursively, zips included).

Input-output tables (OECD ICIO, WIOD 2013, long-run WIOD) are recognised by
:class:`tcd_pipeline.sources.io_tables.IOCollector`; one family is selected per warehouse.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tcd_pipeline.sources.files import SourceFile
from tcd_pipeline.sources.io_tables import IOCollector, IOTables

BACI_FLOWS = re.compile(r"^BACI_HS(?P<hs>\d\d)_Y(?P<year>\d{4})_V(?P<version>\w+)\.csv(\.gz)?$")
BACI_COUNTRIES = re.compile(r"^country_codes_V(?P<version>\w+)\.csv(\.gz)?$")
BACI_PRODUCTS = re.compile(r"^product_codes_HS(?P<hs>\d\d)_V(?P<version>\w+)\.csv(\.gz)?$")
WDI_WIDE = re.compile(r"^API_(?P<indicator>[A-Z0-9.]+)_DS2_.*\.csv(\.gz)?$")
WDI_LONG = re.compile(r"^wdi_long.*\.csv(\.gz)?$")
SERVICES = re.compile(r"^US_TradeServCatTotal.*\.csv(\.gz)?$")
GEODIST = re.compile(r"^dist_cepii.*\.csv(\.gz)?$")


@dataclass
class Inventory:
    """What an input folder holds, one HS vintage at a time (the latest BACI version wins)."""

    root: Path
    hs: str
    baci_years: dict[int, SourceFile] = field(default_factory=dict)
    country_codes: SourceFile | None = None
    product_codes: SourceFile | None = None
    wdi_wide: list[SourceFile] = field(default_factory=list)
    wdi_long: list[SourceFile] = field(default_factory=list)
    services: list[SourceFile] = field(default_factory=list)
    geodist: SourceFile | None = None
    icio: dict[int, SourceFile] = field(default_factory=dict)  # OECD ICIO year -> file (latest release), if any
    io_tables: IOTables = field(default_factory=IOTables)  # the selected input-output family (raw/icio reads it)
    notes: list[str] = field(default_factory=list)

    def baci_file(self, year: int) -> SourceFile:
        try:
            return self.baci_years[year]
        except KeyError:
            raise FileNotFoundError(
                f"no BACI HS{self.hs} file for year {year} under {self.root} "
                f"(years found: {sorted(self.baci_years) or 'none'})"
            ) from None


def _candidates(root: Path) -> list[SourceFile]:
    found: list[SourceFile] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix == ".zip":
            try:
                with zipfile.ZipFile(path) as archive:
                    found += [SourceFile(path, m) for m in sorted(archive.namelist()) if not m.endswith("/")]
            except zipfile.BadZipFile:
                found.append(SourceFile(path))  # reported when read
        else:
            found.append(SourceFile(path))
    return found


def scan_inputs(root: Path, hs: str = "92", io_tables: str = "auto") -> Inventory:
    """Classify every file under ``root`` by its published name pattern.

    BACI files of another HS vintage are ignored (one vintage per panel, METHODS.md);
    when several BACI versions hold the same year, the latest version is used and noted.
    Input-output tables: one family per warehouse, ``io_tables`` = ``auto`` (the one family
    found), ``icio``, ``wiod2013`` or ``wiod_long_run``; files of other families are ignored and
    noted; WIOD files are read as plain files (not from zips). See
    :mod:`tcd_pipeline.sources.io_tables`.
    """
    inv = Inventory(root=Path(root), hs=hs)
    if not inv.root.is_dir():
        raise FileNotFoundError(f"input folder {inv.root} does not exist")
    flows: dict[int, tuple[str, SourceFile]] = {}
    countries: list[tuple[str, SourceFile]] = []
    products: list[tuple[str, SourceFile]] = []
    io = IOCollector()
    for src in _candidates(inv.root):
        name = src.name
        if m := BACI_FLOWS.match(name):
            if m["hs"] != hs:
                inv.notes.append(f"ignored {src}: HS{m['hs']} is not the configured vintage HS{hs}")
                continue
            year, version = int(m["year"]), m["version"]
            if year in flows:
                older = min(flows[year], (version, src))
                inv.notes.append(f"year {year}: several BACI versions, ignored {older[1]}")
            flows[year] = max(flows.get(year, (version, src)), (version, src))
        elif m := BACI_COUNTRIES.match(name):
            countries.append((m["version"], src))
        elif (m := BACI_PRODUCTS.match(name)) and m["hs"] == hs:
            products.append((m["version"], src))
        elif WDI_WIDE.match(name):
            inv.wdi_wide.append(src)
        elif WDI_LONG.match(name):
            inv.wdi_long.append(src)
        elif SERVICES.match(name):
            inv.services.append(src)
        elif GEODIST.match(name):
            if inv.geodist is not None:
                inv.notes.append(f"several GeoDist files: using {inv.geodist}, ignored {src}")
                continue
            inv.geodist = src
        else:
            io.offer(src)
    inv.baci_years = {year: src for year, (_, src) in sorted(flows.items())}
    inv.icio = io.icio_years()
    inv.io_tables, io_notes = io.select(io_tables, inv.root)
    inv.notes += io_notes
    inv.country_codes = max(countries)[1] if countries else None
    inv.product_codes = max(products)[1] if products else None
    return inv
