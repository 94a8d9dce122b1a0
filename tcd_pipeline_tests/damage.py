"""A seeded damage campaign over the tiny world (issue 10, "How it must be shown").

The promise: bad or missing input ends in (a) a failed refresh whose message names the damaged
file, with the published file byte-for-byte unchanged, or in (b) a successful refresh whose
published marts equal, row for row, those of a clean build on the *equivalent correct input*.
Anything else (a success where no correct input exists, other marts, a message that does not name
the file, a changed published file, an exception out of ``refresh``) is a violation. Every failed
run is then recovered, twice from the same failed state (the good files copied back with
``shutil.copy2``, mtimes restored; and, unless ``fresh_recovery=False``, with fresh mtimes): the
refresh must succeed, publish the good marts, and leave ``clean.*`` and ``raw.baci_flows`` equal to
those of the good world.

One seed makes one case: ``KINDS[seed % len(KINDS)]`` is the damage, ``random.Random(seed)``
draws the file (from every file of the folder the kind applies to) and the byte, cell or name.
Kinds and their equivalent correct input (``Damage.equivalent``):

- ``truncate_plain``: the file cut at a random byte. Cut at a line boundary (or only the final line
  break dropped) it reads as a legitimately smaller file: the truncated file itself is a correct
  input (``damaged``: the reference is a clean build on a fresh copy of the damaged folder; if that
  build fails, only (a) is right). Anywhere else there is none (``none``: only (a) is right).
- ``truncate_gzip``, ``truncate_zip``: the file gzipped in place (``name.csv.gz``) or zipped
  (``stem.zip``, or every BACI year in one ``BACI_HS92_V202401b.zip``), then cut at a random byte:
  the gzip trailer and the zip directory sit at the end, so no cut is a correct input (``none``).
- ``gzip_intact``, ``zip_intact``: the same, uncut: the content is the original's (``original``).
- ``cell_nan``, ``cell_inf``, ``cell_neg_inf``, ``cell_huge`` (1e300), ``cell_negative``,
  ``cell_text``, ``cell_empty``, ``code_too_long``: one non-empty cell of a column the pipeline reads
  as a code or a number (``ROLES``; free-text names are not damaged). None is a correct input,
  except an empty cell where the layout documents empty as missing (BACI ``q``, WDI values, UNCTAD
  values, GeoDist numbers): then the damaged folder itself (``damaged``).
- ``delete_file``, ``remove_baci_year``: a file the warehouse was built from is gone: the lead's rule
  is that the run stops (``none``; the message says ``no longer in the input folder``).
- ``rename_unknown`` (``name.bak``: no layout matches) and ``rename_upper_csv`` (``name.CSV``): the
  original folder (``original``): ignored, the data is missing; read normally, it is the original.
- ``duplicate_name`` (``Copy of name``, ``stem (1).csv``, ``stem_copy.csv``) and
  ``duplicate_subfolder`` (``backup/name``): the same data twice is the data once (``original``).

A failure message must name the damaged file (``Damage.names``: a renamed or copied file, or a file
replaced by an intact gzip or zip form, by its old or its new name; a cut gzip or zip by its own name). Reference builds are cached by a content hash of the input folder.

    python -m tcd_pipeline_tests.damage --seed 17 [--seed 18 ...]   # reproduce cases alone
    python -m tcd_pipeline_tests.damage --cases 228 --json out.json  # the whole campaign
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import os
import random
import re
import shutil
import time
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

YEARS = (2001, 2002, 2003)  # three BACI years; ICIO 2001-2002
KINDS = ("truncate_plain", "truncate_gzip", "truncate_zip", "cell_nan", "cell_inf", "cell_neg_inf", "cell_huge",
         "cell_negative", "cell_empty", "cell_text", "code_too_long", "delete_file", "rename_unknown",
         "rename_upper_csv", "duplicate_name", "duplicate_subfolder", "remove_baci_year", "gzip_intact", "zip_intact")
CELL_VALUES = {"cell_nan": "NaN", "cell_inf": "inf", "cell_neg_inf": "-inf", "cell_huge": "1e300", "cell_text": "bad!",
               "cell_empty": ""}
DEFAULT_CASES = 30  # seeds 0-29 run in the test suite; the campaign runs more
BACI_RELEASE_ZIP = "BACI_HS92_V202401b.zip"
RTOL = 1e-12

# Columns damaged per layout (file-name prefix -> header line, column -> role). Roles: ``code`` (text code),
# ``ncode`` (numeric code), ``number`` (a required number), ``missing_ok`` (a number, empty = missing).
# ``*year*`` stands for the WDI bulk file's year columns; ICIO files are described by ``_icio_cells``.
ROLES = {
    "BACI_": (0, {"t": "number", "i": "ncode", "j": "ncode", "k": "code", "v": "number", "q": "missing_ok"}),
    "country_codes_": (0, {"country_code": "ncode", "country_iso3": "code"}),
    "product_codes_": (0, {"code": "code"}),
    "API_": (4, {"Country Code": "code", "Indicator Code": "code", "*year*": "missing_ok"}),
    "wdi_long": (0, {"iso3": "code", "indicator_code": "code", "year": "number", "value": "missing_ok"}),
    "US_TradeServCatTotal": (0, {"Year": "number", "Economy": "ncode", "Flow": "code", "Category": "code",
                                 "US$ at current prices in millions": "missing_ok"}),
    "JobID-": (0, {"Reporter_ISO_N": "ncode", "Year": "number", "ProductCode": "code", "Min_Rate": "missing_ok",
                   "Max_Rate": "missing_ok", "SimpleAverage": "missing_ok", "Nbr_Free_Lines": "missing_ok",
                   "TotalNoOfLines": "number"}),
    "dist_cepii": (0, {"iso_o": "code", "iso_d": "code", "contig": "missing_ok", "dist": "missing_ok",
                       "distcap": "missing_ok", "distw": "missing_ok"}),
}
# codes with a fixed form, made too long by _damaged_value (services' Economy is not: 4-digit codes are groups)
TOO_LONG = {("BACI_", "i"), ("BACI_", "j"), ("BACI_", "k"), ("country_codes_", "country_code"),
            ("country_codes_", "country_iso3"), ("product_codes_", "code"), ("API_", "Country Code"),
            ("wdi_long", "iso3"), ("US_TradeServCatTotal", "Flow"), ("dist_cepii", "iso_o"), ("dist_cepii", "iso_d"),
            ("ICIO", "label"), ("JobID-", "Reporter_ISO_N"), ("JobID-", "ProductCode")}


@dataclass
class Damage:
    seed: int
    kind: str
    file: str  # the damaged file (after the damage), relative to the input folder
    detail: str
    names: tuple[str, ...]  # a failure message must contain one of these
    equivalent: str  # "none" | "original" | "damaged"


# --- generators ------------------------------------------------------------------------------------------

def input_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def make_damage(seed: int, inputs: Path) -> Damage:
    """Apply the damage of ``seed`` to the folder ``inputs`` (in place) and describe it."""
    rng = random.Random(seed)
    kind = KINDS[seed % len(KINDS)]
    files = input_files(inputs)
    if kind.startswith("cell_") or kind == "code_too_long":
        files = [f for f in files if _cells(inputs / f, kind)]
    elif kind == "remove_baci_year":
        files = [f for f in files if Path(f).name.startswith("BACI_")]
    elif kind in ("truncate_zip", "zip_intact"):
        files = files + ["<BACI years>"]
    rel = rng.choice(files)
    path = inputs / rel
    file, detail, names, equivalent = _GENERATORS[kind](rng, inputs, path, kind)
    return Damage(seed, kind, file, detail, tuple(names), equivalent)


def _truncate_plain(rng, inputs, path, kind):
    data = path.read_bytes()
    cut = rng.randrange(0, len(data))
    path.write_bytes(data[:cut])
    boundary = cut > 0 and (data[cut - 1:cut] == b"\n" or (cut == len(data) - 1 and data.endswith(b"\n")))
    where = "a line boundary" if boundary else "mid-line" if cut else "empty file"
    return _rel(inputs, path), f"cut at byte {cut} of {len(data)} ({where})", [path.name], \
        "damaged" if boundary else "none"


def _gzip(rng, inputs, path, kind):
    packed = gzip.compress(path.read_bytes(), mtime=0)
    target = path.with_name(path.name + ".gz")
    cut = rng.randrange(0, len(packed)) if kind == "truncate_gzip" else len(packed)
    target.write_bytes(packed[:cut])
    path.unlink()
    detail = f"gzipped to {target.name}" + (f", cut at byte {cut} of {len(packed)}" if cut < len(packed) else "")
    names = [target.name] if cut < len(packed) else [target.name, path.name]  # intact: replaces the plain file
    return _rel(inputs, target), detail, names, "none" if cut < len(packed) else "original"


def _zip(rng, inputs, path, kind):
    if path.name == "<BACI years>":
        members = sorted(p for p in (inputs / "baci").glob("BACI_HS92_Y*.csv"))
        target = inputs / "baci" / BACI_RELEASE_ZIP
    else:
        members, target = [path], path.with_suffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.writestr(zipfile.ZipInfo(member.name, date_time=(2024, 1, 1, 0, 0, 0)), member.read_bytes(),
                             compress_type=zipfile.ZIP_DEFLATED)
    packed = buffer.getvalue()
    cut = rng.randrange(0, len(packed)) if kind == "truncate_zip" else len(packed)
    for member in members:
        member.unlink()
    target.write_bytes(packed[:cut])
    detail = f"zipped {', '.join(m.name for m in members)} into {target.name}" + (
        f", cut at byte {cut} of {len(packed)}" if cut < len(packed) else "")
    names = [target.name] if cut < len(packed) else [target.name, *(m.name for m in members)]
    return _rel(inputs, target), detail, names, "none" if cut < len(packed) else "original"


def _cell(rng, inputs, path, kind):
    lines = path.read_bytes().decode("utf-8").split("\n")
    number, (start, end, quoted), column, role = rng.choice(_cells(path, kind))
    line = lines[number]
    old = line[start:end].strip('"')
    new = _damaged_value(kind, old, column, path.name)
    lines[number] = line[:start] + (f'"{new}"' if quoted else new) + line[end:]
    path.write_bytes("\n".join(lines).encode("utf-8"))
    equivalent = "damaged" if kind == "cell_empty" and role == "missing_ok" else "none"
    return _rel(inputs, path), f"line {number + 1}, column {column!r}: {old!r} -> {new!r}", [path.name], equivalent


def _damaged_value(kind: str, old: str, column: str, name: str) -> str:
    if kind in CELL_VALUES:
        return CELL_VALUES[kind]
    value = old.strip()
    if kind == "cell_negative":
        return "-1" if float(value) == 0 else "-" + value.lstrip("+")
    if name.startswith("ICIO"):  # KAZ_B05_06 -> KAZZ_B05_06
        region, industry = value.split("_", 1)
        return f"{region}{region[-1]}_{industry}"
    if value.isdigit() and len(value) <= 3 and column not in ("Flow",):  # country codes 0-999 -> five digits
        return value + "1" * (5 - len(value))
    return value + value[-1]  # 270900 -> 2709000, KAZ -> KAZZ, 02 -> 022


def _delete(rng, inputs, path, kind):
    path.unlink()
    return _rel(inputs, path), "deleted", [path.name], "none"


def _rename(rng, inputs, path, kind):
    new = path.with_name(path.name + ".bak") if kind == "rename_unknown" else path.with_name(
        path.name[: -len(path.suffix)] + path.suffix.upper())
    path.rename(new)
    return _rel(inputs, new), f"renamed {path.name} -> {new.name}", [path.name, new.name], "original"


def _duplicate(rng, inputs, path, kind):
    stem, suffix = path.stem, path.suffix
    if kind == "duplicate_subfolder":
        copy = path.parent / "backup" / path.name
        copy.parent.mkdir(exist_ok=True)
    else:
        copy = path.with_name(rng.choice([f"Copy of {path.name}", f"{stem} (1){suffix}", f"{stem}_copy{suffix}"]))
    shutil.copy2(path, copy)
    return _rel(inputs, copy), f"copied {path.name} to {_rel(inputs, copy)}", [path.name, copy.name], "original"


_GENERATORS = {"truncate_plain": _truncate_plain, "truncate_gzip": _gzip, "gzip_intact": _gzip,
               "truncate_zip": _zip, "zip_intact": _zip, "delete_file": _delete, "remove_baci_year": _delete,
               "rename_unknown": _rename, "rename_upper_csv": _rename, "duplicate_name": _duplicate,
               "duplicate_subfolder": _duplicate, **{k: _cell for k in KINDS if k.startswith("cell_")},
               "code_too_long": _cell}


def _rel(inputs: Path, path: Path) -> str:
    return path.relative_to(inputs).as_posix()


def _fields(line: str) -> list[tuple[int, int, bool]]:
    """(start, end, quoted) of each comma-separated field of one CSV line."""
    spans, start, quoted, inside = [], 0, False, False
    for i, ch in enumerate(line + ","):
        if ch == '"':
            inside, quoted = not inside, True
        elif ch == "," and not inside:
            spans.append((start, i, quoted))
            start, quoted = i + 1, False
    return spans


def _cells(path: Path, kind: str) -> list[tuple[int, tuple[int, int, bool], str, str]]:
    """(line index, field span, column, role) of every non-empty cell ``kind`` may damage."""
    if path.suffix != ".csv":
        return []
    lines = path.read_bytes().decode("utf-8").split("\n")
    if path.name.startswith("ICIO"):
        candidates = _icio_cells(lines)
    else:
        prefix = next((p for p in ROLES if path.name.startswith(p)), None)
        if prefix is None:
            return []
        header_line, roles = ROLES[prefix]
        header = [lines[header_line][a:b].strip('"').lstrip("\ufeff") for a, b, _ in _fields(lines[header_line])]
        candidates = []
        for number in range(header_line + 1, len(lines)):
            for column, span in zip(header, _fields(lines[number]) if lines[number] else []):
                key = "*year*" if prefix == "API_" and column.isdigit() else column
                if key in roles and (kind != "code_too_long" or (prefix, key) in TOO_LONG):
                    candidates.append((number, span, column, roles[key]))
    out = []
    for number, (a, b, quoted), column, role in candidates:
        value = lines[number][a:b].strip('"').strip()
        if not value or (kind == "cell_negative" and not _is_number(value)):
            continue
        if kind == "code_too_long" and column != "label" and role not in ("code", "ncode"):
            continue
        out.append((number, (a, b, quoted), column, role))
    return out


def _icio_cells(lines: list[str]):
    """Label and used numeric cells of an OECD ICIO file: industry rows x (Z, final demand, OUT), and
    the TLS, VA and OUT rows x the Z columns (the reader ignores their other cells)."""
    header = [lines[0][a:b].strip('"') for a, b, _ in _fields(lines[0])]
    labels = {line.split(",", 1)[0] for line in lines[1:] if re.match(r"^[A-Z]{3}_", line)}
    z_columns = {k for k, h in enumerate(header) if h in labels}
    cells = []
    for number, line in enumerate(lines[1:], start=1):
        spans = _fields(line) if line else []
        if not spans:
            continue
        industry = line[spans[0][0]:spans[0][1]] in labels
        if industry:
            cells.append((number, spans[0], "label", "code"))
        for k, span in enumerate(spans[1:], start=1):
            if industry or k in z_columns:
                cells.append((number, span, header[k], "number"))
    return cells


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# --- the oracle: tables compared row for row ------------------------------------------------------------

def read_tables(db: Path, schemas: tuple[str, ...], extra: tuple[str, ...] = ()) -> dict[str, tuple]:
    """``schema.table -> (columns with types, rows sorted)`` for every table of ``schemas`` and ``extra``."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [f"{s}.{t}" for s, t in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN (SELECT unnest(?)) ORDER BY 1, 2",
            [list(schemas)]).fetchall()] + list(extra)
        out = {}
        for name in names:
            relation = con.sql(f"SELECT * FROM {name}")
            columns = tuple(zip(relation.columns, map(str, relation.types)))
            out[name] = (columns, sorted(relation.fetchall(), key=_row_key))
        return out


def _row_key(row):
    def key(v):
        if v is None:
            return (0, 0)
        if isinstance(v, float):
            return (1, 0) if math.isnan(v) else (2, float(f"{v:.9g}"))
        if isinstance(v, (int, bool)):
            return (2, v)
        return (3, str(v))
    return tuple(key(v) for v in row)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=RTOL, abs_tol=RTOL)
    return a == b


def diff_tables(found: dict[str, tuple], expected: dict[str, tuple], limit: int = 3) -> list[str]:
    """What differs, table by table (empty when equal: same tables, columns, and rows to 1e-12)."""
    problems = [f"{t}: missing" for t in sorted(set(expected) - set(found))]
    problems += [f"{t}: unexpected table" for t in sorted(set(found) - set(expected))]
    for table in sorted(set(found) & set(expected)):
        (cols, rows), (want_cols, want_rows) = found[table], expected[table]
        if cols != want_cols:
            problems.append(f"{table}: columns {cols} != {want_cols}")
            continue
        bad = [(r, w) for r, w in zip(rows, want_rows) if not all(_same(a, b) for a, b in zip(r, w))]
        if len(rows) != len(want_rows) or bad:
            example = f"; e.g. {bad[0][0]} instead of {bad[0][1]}" if bad else ""
            if len(rows) != len(want_rows):
                extra = [r for r in rows if r not in want_rows][:1] or [w for w in want_rows if w not in rows][:1]
                example = f"; e.g. {'extra' if len(rows) > len(want_rows) else 'missing'} {extra[0] if extra else ''}"
            problems.append(f"{table}: {len(rows)} rows vs {len(want_rows)} expected, {len(bad)} differ{example}")
    return problems[:limit * 4]


def folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for rel in input_files(folder):
        digest.update(rel.encode() + b"\0" + (folder / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


# --- the campaign ---------------------------------------------------------------------------------------

@dataclass
class CaseResult:
    seed: int
    kind: str
    file: str
    detail: str
    equivalent: str
    outcome: str = ""  # "a" | "b" | "violation"
    run: str = ""  # what the damaged refresh did: failed | succeeded | nothing to do | raised
    problems: list[str] = field(default_factory=list)  # why it is a violation
    messages: list[str] = field(default_factory=list)  # the refresh's failure messages
    jobs: list[str] = field(default_factory=list)  # the runs of the damaged refresh
    recovery: dict[str, str] = field(default_factory=dict)  # variant -> "ok (nothing to do)" | "ok (rebuilt)" | ...
    seconds: dict[str, float] = field(default_factory=dict)

    def report(self) -> str:
        lines = [f"seed {self.seed}: {self.kind} on {self.file} ({self.detail}); equivalent input: {self.equivalent}",
                 f"  run {self.run} ({', '.join(self.jobs) or 'no job'}); outcome {self.outcome}"]
        lines += [f"  VIOLATION: {p}" for p in self.problems]
        lines += [f"  message: {m[:600]}" for m in self.messages[:4]]
        lines += [f"  recovery {v}: {r}" for v, r in self.recovery.items()]
        env = "TCD_CAMPAIGN=1 " if self.seed >= DEFAULT_CASES else ""
        lines.append(f"  reproduce: {env}pytest tcd_pipeline_tests/pipeline/test_damage_campaign.py -k seed_{self.seed:03d}  or  "
                     f"python -m tcd_pipeline_tests.damage --seed {self.seed}")
        return "\n".join(lines)


class Campaign:
    """A good world built once, then placed at one path (``work/world``) for every case; reference
    builds cached by content.

    The plan republishes a published file that is not the very file the warehouse last wrote (path,
    size, mtime, inode), so a plain copy of a world would rebuild every mart on its first refresh. The
    good world is therefore built at ``work/world`` and moved to ``work/good`` (a rename keeps the
    inode); each case copies it back to ``work/world`` with its published file *hard-linked* (same
    inode, path, size and mtime) and everything else copied with ``shutil.copy2``. Publication
    replaces the file (a new inode), so the good file is never written; its digest is checked anyway.
    """

    def __init__(self, work: Path):
        from tcd_pipeline_tests.harness import World
        from tcd_pipeline_tests.tiny_world import write_tiny_world

        self.World, self.work = World, Path(work)
        self.stage, self.good, self.failed = self.work / "world", self.work / "good", self.work / "failed"
        t0 = time.perf_counter()
        world = World(self.stage, inputs=write_tiny_world(self.stage / "inputs", years=YEARS))
        report = world.refresh()
        assert report.success, f"the good tiny world does not build: {report.problems}"
        self.good_seconds = time.perf_counter() - t0
        self.good_marts = read_tables(world.published, ("marts",))
        self.good_tables = self._warehouse_tables(world.warehouse)
        self.stage.rename(self.good)
        self.good_published = file_digest(self.good / "published" / "tcd.duckdb")
        self.references = {folder_hash(self.good / "inputs"): (True, [], self.good_marts)}
        self.reference_builds: list[float] = []
        self.results: list[CaseResult] = []

    @staticmethod
    def _warehouse_tables(path: Path) -> dict[str, tuple]:
        return read_tables(path, ("clean",), extra=("raw.baci_flows",))

    def world(self, root: Path):
        return self.World(root, inputs=root / "inputs")

    def _place(self, source: Path, target: Path) -> None:
        """``source`` copied to ``target``: the published file hard-linked, the rest with ``shutil.copy2``."""
        def copy(src, dst):
            if Path(src).parent.name == "published" and Path(src).name == "tcd.duckdb":
                return os.link(src, dst)
            return shutil.copy2(src, dst)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, copy_function=copy)

    def reference(self, inputs: Path):
        """(success, problems, marts) of a clean build on a fresh copy of ``inputs``, cached by content."""
        key = folder_hash(inputs)
        if key not in self.references:
            t0 = time.perf_counter()
            root = self.work / f"reference_{key[:12]}"
            shutil.copytree(inputs, root / "inputs")
            world = self.world(root)
            report = world.refresh()
            marts = read_tables(world.published, ("marts",)) if report.success else None
            self.references[key] = (report.success, report.problems, marts)
            self.reference_builds.append(time.perf_counter() - t0)
            shutil.rmtree(root, ignore_errors=True)
        return self.references[key]

    def run_case(self, seed: int, keep: bool = False, fresh_recovery: bool = True) -> CaseResult:
        """Damage the good world, refresh, judge; recover a failed run (``fresh_recovery``: also with fresh
        modification times, which costs a rebuild of every mart). ``keep``: the case's world stays in
        ``work/seed_NNN``."""
        t0 = time.perf_counter()
        self._place(self.good, self.stage)
        world = self.world(self.stage)
        published_before = file_digest(world.published)
        if published_before != self.good_published:
            raise RuntimeError(f"{self.good}: the good world's published file was altered by a previous case")
        damage = make_damage(seed, world.inputs)
        result = CaseResult(seed, damage.kind, damage.file, damage.detail, damage.equivalent)
        t1 = time.perf_counter()
        try:
            report = world.refresh()
        except Exception as exc:  # a third outcome: no report at all
            report = None
            result.run, result.messages = "raised", [f"{type(exc).__name__}: {exc}"]
            result.problems.append(f"refresh raised {type(exc).__name__} instead of reporting a failure")
        result.seconds["damaged_run"] = time.perf_counter() - t1
        if report is not None:
            result.jobs = [f"{r.job}{'[' + r.partition + ']' if r.partition else ''}{'' if r.success else ' FAILED'}"
                           for r in report.runs]
        if report is not None and not report.success:
            result.run, result.messages = "failed", report.problems
            message = " ".join(report.problems)
            if not any(name in message for name in damage.names):
                result.problems.append(f"the failure message does not name {' or '.join(damage.names)}")
            if file_digest(world.published) != published_before:
                result.problems.append("the published file changed")
        elif report is not None:
            result.run = "nothing to do" if report.plan.nothing_to_do else "succeeded"
            t2 = time.perf_counter()
            result.problems += self._judge_success(damage, world)
            result.seconds["reference"] = time.perf_counter() - t2
        if keep:
            self._place(self.stage, self.work / f"seed_{seed:03d}")
        if result.run in ("failed", "raised"):
            t3 = time.perf_counter()
            if fresh_recovery:
                self._place(self.stage, self.failed)  # the failed state, for the second variant
            for variant in ("copy2", "fresh mtimes")[: 2 if fresh_recovery else 1]:
                t4 = time.perf_counter()
                if variant != "copy2":
                    self._place(self.failed, self.stage)
                result.recovery[variant] = self._recover(self.stage, keep_mtime=variant == "copy2")
                result.seconds[f"recovery {variant}"] = time.perf_counter() - t4
                if not result.recovery[variant].startswith("ok"):
                    result.problems.append(f"recovery ({variant}): {result.recovery[variant]}")
            result.seconds["recovery"] = time.perf_counter() - t3
        result.outcome = "violation" if result.problems else "a" if result.run in ("failed", "raised") else "b"
        result.seconds["total"] = time.perf_counter() - t0
        self.results.append(result)
        return result

    def _judge_success(self, damage: Damage, world) -> list[str]:
        found = read_tables(world.published, ("marts",))
        if damage.equivalent == "none":
            what = diff_tables(found, self.good_marts, limit=2)
            return ["the run succeeded on an input that has no correct equivalent (it must fail naming "
                    f"{damage.names[0]}); published marts vs the good ones: {'; '.join(what) or 'equal'}"]
        if damage.equivalent == "original":
            ok, problems, expected = True, [], self.good_marts
        else:
            ok, problems, expected = self.reference(world.inputs)
        if not ok:
            return [f"the run succeeded, but a clean build on the same input fails: {' '.join(problems)[:400]}"]
        what = diff_tables(found, expected)
        return [f"the run succeeded, published marts differ from the {damage.equivalent} input's clean build: "
                + "; ".join(what)] if what else []

    def _recover(self, root: Path, keep_mtime: bool) -> str:
        restore(root / "inputs", self.good / "inputs", keep_mtime)
        world = self.world(root)
        try:
            report = world.refresh()
        except Exception as exc:
            return f"refresh raised {type(exc).__name__}: {exc}"
        if not report.success:
            return "failed: " + " ".join(report.problems)[:600]
        problems = diff_tables(read_tables(world.published, ("marts",)), self.good_marts)
        problems += diff_tables(self._warehouse_tables(world.warehouse), self.good_tables)
        if problems:
            return "published marts or warehouse tables differ from the good world's: " + "; ".join(problems)
        jobs = ", ".join(f"{r.job}{'[' + r.partition + ']' if r.partition else ''}" for r in report.runs)
        return "ok (nothing to do)" if report.plan.nothing_to_do else f"ok (rebuilt: {jobs})"

    def summary(self) -> dict:
        by_kind: dict[str, Counter] = {}
        for r in self.results:
            by_kind.setdefault(r.kind, Counter())[r.outcome] += 1
        seconds = Counter()
        for r in self.results:
            seconds.update(r.seconds)
        n = len(self.results) or 1
        return {
            "cases": len(self.results),
            "outcomes": dict(Counter(r.outcome for r in self.results)),
            "by_kind": {k: dict(c) for k, c in sorted(by_kind.items())},
            "recoveries": dict(Counter(f"{v}: {_recovery_label(r)}" for c in self.results for v, r in c.recovery.items())),
            "line_boundary_truncations": sum("(a line boundary)" in r.detail for r in self.results),
            "good_world_seconds": round(self.good_seconds, 2),
            "reference_builds": len(self.reference_builds),
            "reference_build_seconds": round(sum(self.reference_builds), 2),
            "mean_seconds_per_case": {k: round(v / n, 2) for k, v in seconds.items()},
            "total_seconds": round(seconds["total"], 1),
            "cases_list": [f"{r.seed} {r.kind} {r.file}: {r.outcome} ({r.run})" for r in self.results],
            "violations": [asdict(r) for r in self.results if r.outcome == "violation"],
        }


def _recovery_label(text: str) -> str:
    return "nothing to do" if text.startswith("ok (nothing") else "rebuilt" if text.startswith("ok") else "VIOLATION"


def restore(inputs: Path, good: Path, keep_mtime: bool) -> None:
    """Make ``inputs`` hold the good files again: extra files removed, damaged or missing ones copied back
    (``shutil.copy2``: modification times restored; else fresh ones)."""
    wanted = set(input_files(good))
    for rel in input_files(inputs):
        if rel not in wanted:
            (inputs / rel).unlink()
    for folder in sorted((p for p in inputs.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()) and not (good / folder.relative_to(inputs)).exists():
            folder.rmdir()
    for rel in sorted(wanted):
        src, dst = good / rel, inputs / rel
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copy2 if keep_mtime else shutil.copyfile)(src, dst)


def format_summary(summary: dict) -> str:
    lines = [f"damage campaign: {summary['cases']} cases, outcomes {summary['outcomes']}, "
             f"{summary['total_seconds']} s (good world {summary['good_world_seconds']} s, "
             f"{summary['reference_builds']} reference builds {summary['reference_build_seconds']} s)",
             f"  line-boundary truncations: {summary['line_boundary_truncations']}; recoveries: {summary['recoveries']}",
             f"  mean seconds per case: {summary['mean_seconds_per_case']}",
             f"  {'kind':<22} {'a':>4} {'b':>4} {'violation':>10}"]
    for kind, counts in summary["by_kind"].items():
        lines.append(f"  {kind:<22} {counts.get('a', 0):>4} {counts.get('b', 0):>4} {counts.get('violation', 0):>10}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    parser = argparse.ArgumentParser(prog="python -m tcd_pipeline_tests.damage", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, action="append", help="run this seed (repeatable)")
    parser.add_argument("--cases", type=int, default=30, help="without --seed: seeds 0 .. CASES-1")
    parser.add_argument("--json", help="write the summary here")
    parser.add_argument("--keep", action="store_true", help="keep each case's world (under a temporary folder)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tcd_damage_"))
    campaign = Campaign(work)
    for seed in args.seed or range(args.cases):
        result = campaign.run_case(seed, keep=args.keep)
        print(result.report() if result.outcome == "violation" or args.seed else
              f"seed {seed}: {result.kind} {result.file}: {result.outcome}", flush=True)
    summary = campaign.summary()
    print(format_summary(summary))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1, default=str))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"worlds kept under {work}")
    return 1 if summary["outcomes"].get("violation") else 0


if __name__ == "__main__":
    raise SystemExit(main())
