"""Find the raw files of each layout in an input folder (searched recursively, zips included).

Every file under the folder is either read or listed in :attr:`Inventory.ignored` with the reason.
A folder or file that cannot be read, or a zip archive that cannot be opened, is an error naming it
(not a file silently left out). Symlinked files are followed; symlinked folders are not (listed as
ignored). Extensions are matched in any case (``.CSV.GZ``, ``.ZIP``).

Input-output tables (OECD ICIO, WIOD 2013, long-run WIOD) are recognised by
:class:`tcd_pipeline.sources.io_tables.IOCollector`; one family is selected per warehouse.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.io_tables import IOCollector, IOTables
from tcd_pipeline.sources.tariffs import trains_download
from tcd_pipeline.sources.wdi_metadata import METADATA_COUNTRY

CSV = r"(?i:\.csv(\.gz)?)$"  # the extension in any case
BACI_FLOWS = re.compile(r"^BACI_HS(?P<hs>\d\d)_Y(?P<year>\d{4})_V(?P<version>\w+)" + CSV)
BACI_COUNTRIES = re.compile(r"^country_codes_V(?P<version>\w+)" + CSV)
BACI_PRODUCTS = re.compile(r"^product_codes_HS(?P<hs>\d\d)_V(?P<version>\w+)" + CSV)
WDI_WIDE = re.compile(r"^API_(?P<indicator>[A-Z0-9.]+)_DS2_.*" + CSV)
WDI_LONG = re.compile(r"^wdi_long.*" + CSV)
WDI_INDICATOR_METADATA = re.compile(r"^Metadata_Indicator_API_.*" + CSV)
SERVICES = re.compile(r"^US_TradeServCatTotal.*" + CSV)
GEODIST = re.compile(r"^dist_cepii.*" + CSV)
WITS_TARIFF_QUERY = re.compile(r"^(Data)?JobID-.*" + CSV, flags=re.IGNORECASE)  # a WITS query result (TRAINS data)
NOT_DATA = re.compile(r"^(\.|README|PROVENANCE\.md$)", flags=re.IGNORECASE)  # dotfiles, read-me files
NO_LAYOUT = "matches no known layout"
MISSING_METADATA = "Metadata_Country_API_<indicator>_DS2_en_csv_v2_<n>.csv, in every WDI indicator zip"


@dataclass
class Inventory:
    """What an input folder holds, one HS vintage at a time (the latest BACI version wins).

    ``ignored``: every file found and not read, as ``(file, reason)``; ``notes``: summaries for the
    log (several versions of a year, families not selected).
    """

    root: Path
    hs: str
    baci_years: dict[int, SourceFile] = field(default_factory=dict)
    country_codes: SourceFile | None = None
    product_codes: SourceFile | None = None
    wdi_wide: list[SourceFile] = field(default_factory=list)
    wdi_long: list[SourceFile] = field(default_factory=list)
    wdi_country_metadata: list[SourceFile] = field(default_factory=list)  # Metadata_Country_API_*.csv (one read)
    services: list[SourceFile] = field(default_factory=list)
    tariffs: list[SourceFile] = field(default_factory=list)  # TRAINS schedules (sources/tariffs.py)
    geodist: SourceFile | None = None
    icio: dict[int, SourceFile] = field(default_factory=dict)  # OECD ICIO year -> file (latest release), if any
    io_tables: IOTables = field(default_factory=IOTables)  # the selected input-output family (raw/icio reads it)
    notes: list[str] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    def baci_file(self, year: int) -> SourceFile:
        try:
            return self.baci_years[year]
        except KeyError:
            raise FileNotFoundError(
                f"no BACI HS{self.hs} file for year {year} under {self.root} "
                f"(years found: {sorted(self.baci_years) or 'none'})"
            ) from None

    @property
    def wdi_files(self) -> list[SourceFile]:
        """Every WDI file raw/wdi reads: bulk, long and country metadata files (its fingerprint)."""
        return self.wdi_wide + self.wdi_long + self.wdi_country_metadata


def _walk(root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The regular files under ``root``, and what is skipped with the reason (symlinked folders,
    special files). An unreadable folder or file, or a broken symlink, is an error naming it."""

    def fail(exc: OSError) -> None:
        raise InputFileError(exc.filename or root, f"folder cannot be read: {exc.strerror}") from exc

    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for folder, subfolders, names in os.walk(root, onerror=fail):
        for name in subfolders:
            if os.path.islink(path := Path(folder) / name):
                skipped.append((path, "symlinked folder, not followed (link its files instead, e.g. cp -rs)"))
        for name in names:
            path = Path(folder) / name
            if path.is_symlink() and not path.exists():
                raise InputFileError(path, f"broken symbolic link (to {os.readlink(path)}): cannot be read")
            if not path.is_file():
                skipped.append((path, "not a regular file"))
            elif not os.access(path, os.R_OK):
                raise InputFileError(path, "cannot be read (permission denied?)")
            else:
                files.append(path)
    return sorted(files), skipped


def _candidates(root: Path) -> tuple[list[SourceFile], list[tuple[Path | SourceFile, str]]]:
    """Every file under ``root``, zip archives replaced by their members; and what is skipped."""
    files, skipped = _walk(root)
    found: list[SourceFile] = []
    for path in files:
        if path.suffix.lower() != ".zip":
            found.append(SourceFile(path))
            continue
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(m for m in archive.namelist() if not m.endswith("/"))
        except zipfile.BadZipFile as exc:
            raise InputFileError(path, f"damaged zip archive: {exc}") from exc
        except OSError as exc:
            raise InputFileError(path, f"cannot be read ({exc})") from exc
        found += [SourceFile(path, m) for m in members]
        if not members:
            skipped.append((path, "zip archive holds no files"))
    return found, skipped


def _latest(found: list[tuple[str, SourceFile]], what: str, ignored: list, year: int | None = None):
    """The file of the latest version; the others go to ``ignored`` with the reason."""
    if not found:
        return None
    version, latest = max(found)
    where = f" for {year}" if year is not None else ""
    for v, src in found:
        if src != latest:
            ignored.append((src, f"older {what}; V{version} is used{where}" if v < version
                            else f"another copy of {what} V{version}; {latest} is used{where}"))
    return latest


def scan_inputs(root: Path, hs: str = "92", io_tables: str = "auto") -> Inventory:
    """Classify every file under ``root`` by its published name pattern.

    BACI files of another HS vintage are ignored (one vintage per panel, METHODS.md);
    when several BACI versions hold the same year, the latest version is used and noted.
    Input-output tables: one family per warehouse, ``io_tables`` = ``auto`` (the one family
    found), ``icio``, ``wiod2013`` or ``wiod_long_run``; files of other families are ignored and
    noted; WIOD files are read as plain files (not from zips). See
    :mod:`tcd_pipeline.sources.io_tables`. Files read by no layout are listed in ``ignored``.
    """
    inv = Inventory(root=Path(root), hs=hs)
    if not inv.root.is_dir():
        raise FileNotFoundError(f"input folder {inv.root} does not exist")
    candidates, ignored = _candidates(inv.root)
    flows: dict[int, list[tuple[str, SourceFile]]] = {}
    countries: list[tuple[str, SourceFile]] = []
    products: list[tuple[str, SourceFile]] = []
    unclaimed: list[SourceFile] = []
    io = IOCollector()
    for src in candidates:
        name = src.name
        if NOT_DATA.match(name):
            ignored.append((src, "not a data file"))
        elif m := BACI_FLOWS.match(name):
            if m["hs"] != hs:
                inv.notes.append(f"ignored {src}: HS{m['hs']} is not the configured vintage HS{hs}")
                ignored.append((src, f"HS{m['hs']} is not the configured vintage HS{hs}"))
                continue
            flows.setdefault(int(m["year"]), []).append((m["version"], src))
        elif m := BACI_COUNTRIES.match(name):
            countries.append((m["version"], src))
        elif m := BACI_PRODUCTS.match(name):
            if m["hs"] != hs:
                ignored.append((src, f"HS{m['hs']} is not the configured vintage HS{hs}"))
                continue
            products.append((m["version"], src))
        elif WDI_WIDE.match(name):
            inv.wdi_wide.append(src)
        elif METADATA_COUNTRY.match(name):
            inv.wdi_country_metadata.append(src)
        elif WDI_INDICATOR_METADATA.match(name):
            ignored.append((src, "WDI indicator metadata (definitions and sources of the indicator; not read)"))
        elif WDI_LONG.match(name):
            inv.wdi_long.append(src)
        elif SERVICES.match(name):
            inv.services.append(src)
        elif re.search(CSV, name) and (download := trains_download(src, inv.root)):
            if download == "Pref":
                ignored.append((src, "TRAINS preferential rates (AVEPref) by partner group: not read, the tariff "
                                     "marts are about the MFN schedule"))
            else:
                inv.tariffs.append(src)
        elif WITS_TARIFF_QUERY.match(name):
            inv.tariffs.append(src)
        elif GEODIST.match(name):
            if inv.geodist is not None:
                inv.notes.append(f"several GeoDist files: using {inv.geodist}, ignored {src}")
                ignored.append((src, f"several GeoDist files; {inv.geodist} is used"))
                continue
            inv.geodist = src
        elif not io.offer(src):
            unclaimed.append(src)
    for year, versions in sorted(flows.items()):
        inv.baci_years[year] = _latest(versions, "BACI version", ignored, year)
        inv.notes += [f"year {year}: several BACI versions, ignored {src}"
                      for _, src in versions if src != inv.baci_years[year]]
    inv.country_codes = _latest(countries, "country code list", ignored)
    inv.product_codes = _latest(products, f"HS{hs} product code list", ignored)
    if (inv.wdi_wide or inv.wdi_long) and not inv.wdi_country_metadata:
        inv.notes.append(f"no WDI country metadata file ({MISSING_METADATA}): dim.countries has no World Bank "
                         "region or income group (NULL)")
    inv.icio = io.icio_years()
    inv.io_tables, io_notes = io.select(io_tables, inv.root)
    inv.notes += io_notes
    ignored += io.ignored(inv.io_tables)
    accounted = set(inv.io_tables.files) | {src for src, _ in ignored}  # read with the IO tables (WIOD labels)
    ignored += [(src, NO_LAYOUT) for src in unclaimed if src not in accounted]
    inv.ignored = sorted((str(src), reason) for src, reason in ignored)
    return inv
