"""Inter-country input-output tables as pipeline inputs: which files make a year, one family per
warehouse, and one reader for every family.

Families (``raw_inputs.io_tables`` / ``$TCD_IO_TABLES``: ``auto``, the default, takes the one
family the input folder holds):

- ``icio``: OECD ICIO, ``ICIO{release}_{YYYY}.csv`` (also ``.csv.gz`` and zip members); when
  several releases hold a year, the latest release is used and noted
  (:func:`tcd_pipeline.sources.icio.read_icio`).
- ``wiod2013``: the WIOD 2013 release as staged in ``../shared/data/wiod_2013_release``:
  ``wiot{YYYY}_ZF_long.parquet`` read with ``labels_rows.csv``, ``labels_final_cols.csv`` and one
  ``wiot_output_*.parquet`` from the same folder (:func:`tcd_pipeline.sources.wiod.read_wiod_2013`).
- ``wiod_long_run``: long-run WIOD, ``WIODlr_WIOT_{YYYY}.parquet``
  (:func:`tcd_pipeline.sources.wiod.read_wiod_long_run`).

WIOD files are read as plain files only: WIOD names inside a zip are ignored with a note (unzip
them). A family with a problem (a WIOD 2013 folder missing a label or output file, a year found
twice) and ``auto`` with several families present are not guessed around: the selection carries a
``problem`` that ``raw/icio`` raises, naming the folder and files and, for several families, the
setting to use. Files of the families not selected are ignored with a note;
:meth:`IOCollector.ignored` gives every ignored file with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tcd_pipeline.core.tiva_table import IOTable
from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.icio import read_icio
from tcd_pipeline.sources.wiod import LABEL_FILES, OUTPUT_FILES, read_wiod_2013, read_wiod_long_run

IN_ZIP = "WIOD files are read as plain files, not from a zip (unzip it)"
FAMILIES = {"icio": "OECD ICIO", "wiod2013": "WIOD 2013 release", "wiod_long_run": "long-run WIOD"}
IO_TABLES = ("auto", *FAMILIES)
ICIO = re.compile(r"^(?P<release>ICIO\w*?)_(?P<year>\d{4})\.csv(\.gz)?$", flags=re.IGNORECASE)
WIOD_2013 = re.compile(r"^wiot(?P<year>\d{4})_ZF_long(?i:\.parquet)$")
WIOD_2013_OUTPUT = re.compile(r"^wiot_output_.*(?i:\.parquet)$")
WIOD_LONG_RUN = re.compile(r"^WIODlr_WIOT_(?P<year>\d{4})(?i:\.parquet)$")


@dataclass(frozen=True)
class IOSource:
    """One year of one family: the year's file and the files read with it (WIOD 2013: labels, output)."""

    family: str
    year: int
    file: SourceFile
    support: tuple[SourceFile, ...] = ()

    @property
    def files(self) -> tuple[SourceFile, ...]:
        return (self.file, *self.support)

    @property
    def name(self) -> str:
        return self.file.name

    def __str__(self) -> str:
        return str(self.file)


@dataclass(frozen=True)
class IOTables:
    """The selected family's years (``family`` None when the folder holds none) and every file read.

    ``problem``: why the tables cannot be used as found (raised by ``raw/icio``); ``files`` then
    lists every candidate, so the plan still notices when they change.
    """

    family: str | None = None
    years: dict[int, IOSource] = field(default_factory=dict)
    files: tuple[SourceFile, ...] = ()
    problem: str | None = None


def read_io_table(source: IOSource, output: str = "published") -> IOTable:
    """Read one year of any family into an :class:`IOTable` (``output``: ``published`` or ``row_sums``).

    Raises :class:`InputFileError` naming the file (the readers' checks; an empty OECD file says so;
    a long-run WIOD file whose ``Year`` differs from its name is refused).
    """
    if source.family == "icio":
        source.file.header()  # an empty file says so (the reader would only see a header without columns)
        return read_icio(source.file, year=source.year, output=output)
    if source.family == "wiod2013":
        return read_wiod_2013(source.file.path.parent, source.year, output=output, output_file=source.support[-1].path)
    if source.family == "wiod_long_run":
        table = read_wiod_long_run(source.file.path, output=output)
        if table.year != source.year:
            raise InputFileError(source.file, f"column Year holds {table.year}, the file name says {source.year}")
        return table
    raise ValueError(f"unknown input-output table family {source.family!r} (known: {', '.join(FAMILIES)})")


class IOCollector:
    """Collects the candidate files of every family while the inventory walks the folder."""

    def __init__(self) -> None:
        self.icio: dict[int, tuple[str, SourceFile]] = {}
        self.wiod_cells: dict[Path, dict[int, SourceFile]] = {}  # folder -> year -> wiot file
        self.folder_files: dict[Path, dict[str, SourceFile]] = {}  # folder -> name -> plain file
        self.long_run: dict[int, list[SourceFile]] = {}
        self.icio_older: list[tuple[int, str, SourceFile]] = []  # ICIO files another file of the year replaces
        self.in_zips: list[SourceFile] = []  # WIOD files found inside a zip (not read)
        self.notes: list[str] = []

    def offer(self, src: SourceFile) -> bool:
        """Take ``src`` if it belongs to an input-output family (True), else leave it (False)."""
        name = src.name
        if not src.member:
            self.folder_files.setdefault(src.path.parent, {})[name] = src
        if m := ICIO.match(name):
            year, release = int(m["year"]), m["release"].upper()
            if year in self.icio:
                older = min(self.icio[year], (release, src))
                self.notes.append(f"ICIO year {year}: several files, ignored {older[1]}")
                self.icio_older.append((year, *older))
            self.icio[year] = max(self.icio.get(year, (release, src)), (release, src))
            return True
        wiod, long_run = WIOD_2013.match(name), WIOD_LONG_RUN.match(name)
        if (wiod or long_run) and src.member:
            self.notes.append(f"ignored {src}: {IN_ZIP}")
            self.in_zips.append(src)
            return True
        if wiod:
            self.wiod_cells.setdefault(src.path.parent, {})[int(wiod["year"])] = src
            return True
        if long_run:
            self.long_run.setdefault(int(long_run["year"]), []).append(src)
            return True
        return False

    def icio_years(self) -> dict[int, SourceFile]:
        return {year: src for year, (_, src) in sorted(self.icio.items())}

    def _candidates(self) -> dict[str, list[SourceFile]]:
        found = {
            "icio": [src for _, src in self.icio.values()],
            "wiod2013": [src for years in self.wiod_cells.values() for src in years.values()],
            "wiod_long_run": [src for files in self.long_run.values() for src in files],
        }
        return {family: sorted(files) for family, files in found.items() if files}

    def select(self, setting: str, root: Path) -> tuple[IOTables, list[str]]:
        """The tables of the family ``setting`` asks for (``auto``: the only one found), and notes."""
        if setting not in IO_TABLES:
            raise ValueError(f"setting io_tables ($TCD_IO_TABLES): one of {IO_TABLES}; got {setting!r}")
        candidates = self._candidates()
        notes = list(self.notes)
        if setting == "auto" and len(candidates) > 1:
            listed = "; ".join(f"{family} ({FAMILIES[family]}): {_describe(files)}" for family, files in candidates.items())
            problem = (f"several input-output table families under {root}: {listed}. One family per warehouse: "
                       f"set $TCD_IO_TABLES (raw_inputs.io_tables) to one of {', '.join(candidates)}")
            return IOTables(files=tuple(f for files in candidates.values() for f in files), problem=problem), notes
        family = setting if setting != "auto" else next(iter(candidates), None)
        for other, files in candidates.items():
            if other != family:
                notes.append(f"ignored {FAMILIES[other]} files ({_describe(files)}): io_tables ($TCD_IO_TABLES) "
                             f"selects {family}")
        if family is None:
            return IOTables(), notes
        years, problem = getattr(self, f"_years_{family}")()
        files = sorted({f for src in years.values() for f in src.files} | set(candidates.get(family, [])))
        return IOTables(family=family, years=dict(sorted(years.items())), files=tuple(files), problem=problem), notes

    def ignored(self, tables: IOTables) -> list[tuple[SourceFile, str]]:
        """Every file offered and taken that ``tables`` (from :meth:`select`) does not read, with the reason."""
        def other_family(family: str) -> str:
            if tables.family is None:  # several families under auto: tables.problem says which setting to use
                return f"{FAMILIES[family]} file; several families, io_tables ($TCD_IO_TABLES) selects none"
            return f"{FAMILIES[family]} file; io_tables ($TCD_IO_TABLES) selects {tables.family}"

        used = set(tables.files)
        out = [(src, IN_ZIP) for src in self.in_zips]
        out += [(src, other_family(family)) for family, files in self._candidates().items()
                if family != tables.family for src in files if src not in used]
        for year, release, src in self.icio_older:
            if tables.family not in (None, "icio"):
                out.append((src, other_family("icio")))
                continue
            winner_release, winner = self.icio[year]
            out.append((src, f"older ICIO release; {winner.name} is used for {year}" if release < winner_release
                        else f"another copy of ICIO year {year}; {winner} is used"))
        if tables.family != "wiod2013":
            for folder in self.wiod_cells:
                present = sorted(self.folder_files.get(folder, {}).items())
                out += [(src, other_family("wiod2013")) for name, src in present
                        if name in LABEL_FILES or WIOD_2013_OUTPUT.match(name)]
        return out

    def _years_icio(self) -> tuple[dict[int, IOSource], str | None]:
        return {year: IOSource("icio", year, src) for year, src in self.icio_years().items()}, None

    def _years_wiod2013(self) -> tuple[dict[int, IOSource], str | None]:
        years: dict[int, IOSource] = {}
        problems = []
        for folder, cells in sorted(self.wiod_cells.items()):
            present = self.folder_files.get(folder, {})
            outputs = [src for name, src in sorted(present.items()) if WIOD_2013_OUTPUT.match(name)]
            missing = [name for name in LABEL_FILES if name not in present] + ([OUTPUT_FILES] if not outputs else [])
            first = min(cells.values()).name
            if missing:
                problems.append(f"WIOD 2013 release in {folder}: missing {', '.join(missing)} (read with {first} "
                                f"and the other wiot{{YYYY}}_ZF_long.parquet files, from the same folder)")
                continue
            if len(outputs) > 1:
                problems.append(f"WIOD 2013 release in {folder}: several {OUTPUT_FILES} files "
                                f"({', '.join(s.name for s in outputs)}); keep one")
                continue
            support = (present[LABEL_FILES[0]], present[LABEL_FILES[1]], outputs[0])
            for year, src in cells.items():
                if year in years:
                    problems.append(f"WIOD 2013 year {year} twice: {years[year].file} and {src}")
                years[year] = IOSource("wiod2013", year, src, support)
        return years, "; ".join(problems) or None

    def _years_wiod_long_run(self) -> tuple[dict[int, IOSource], str | None]:
        twice = [f"long-run WIOD year {year} twice: {', '.join(map(str, files))}"
                 for year, files in sorted(self.long_run.items()) if len(files) > 1]
        years = {year: IOSource("wiod_long_run", year, files[0]) for year, files in self.long_run.items()}
        return years, "; ".join(twice) or None


def _describe(files: list[SourceFile]) -> str:
    """``17 files in DIR (first ... last)``, one part per folder (or zip archive)."""
    by_place: dict[str, list[str]] = {}
    for src in files:
        place = str(src.path) if src.member else str(src.path.parent)
        by_place.setdefault(place, []).append(src.name)
    parts = []
    for place, names in by_place.items():
        shown = names[0] if len(names) == 1 else f"{names[0]} ... {names[-1]}"
        parts.append(f"{len(names)} file{'s' if len(names) > 1 else ''} in {place} ({shown})")
    return ", ".join(parts)
