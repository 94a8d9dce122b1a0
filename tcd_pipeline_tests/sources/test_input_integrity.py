"""Integrity of every input container (gzip, zip, plain BACI file) and an inventory that accounts for
every file under the input folder (issue 10, items 1-2).

The damaged files are made here from small real ones: a gzip or zip cut at every byte (as an
interrupted download leaves it), a byte flipped inside a zip member, a plain file cut mid-line.
Without the checks, DuckDB reads 780 of the 2,735 cuts (offsets 10 to 2,744) of the 300-row gzip
below as their prefix, without error (duckdb 1.5.6, measured when the checks were written).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pytest

from tcd_pipeline.config import REPO_ROOT
from tcd_pipeline.sources import InputFileError, SourceFile, scan_inputs
from tcd_pipeline.sources.readers import load_baci_flows, read_country_codes
from tcd_pipeline.warehouse.sql import load_sql
from tcd_pipeline_tests.tiny_world import COUNTRIES, FLOWS, baci_text, write_tiny_world

# 300 rows in the published layout (q padded, some 'NA'): large enough for a gzip of several blocks
ROWS = [(2001, 4 + n % 7, 251 + n % 5, f"{10110 + 17 * n:06d}", 1.5 * n + 0.25, 8000.0 + n if n % 4 else None)
        for n in range(300)]
TEXT = baci_text(ROWS)
NAME = "BACI_HS92_Y2001_V202401b.csv"


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(load_sql("ingest/raw/baci_flows.ddl"))
    yield con
    con.close()


def loaded(con) -> int:
    return con.execute("SELECT count(*) FROM raw.baci_flows").fetchone()[0]


def refused(con, source: SourceFile, words: str) -> None:
    """Loading ``source`` raises an error naming it and containing ``words``, and loads no row."""
    with pytest.raises(InputFileError) as caught:
        load_baci_flows(con, source, 2001)
    assert str(caught.value).startswith(f"{source}: ") and words in str(caught.value), str(caught.value)
    assert loaded(con) == 0


# --- gzip -------------------------------------------------------------------------------------------------


def test_every_cut_of_a_gzip_year_file_is_refused_naming_the_file(tmp_path, con):
    data = gzip.compress(TEXT.encode(), mtime=0)
    path = tmp_path / f"{NAME}.gz"
    path.write_bytes(data)
    load_baci_flows(con, SourceFile(path), 2001)
    assert loaded(con) == 300
    con.execute("DELETE FROM raw.baci_flows")
    for cut in range(10, len(data)):
        path.write_bytes(data[:cut])
        refused(con, SourceFile(path), "damaged gzip stream: ")
    # the reason is Python's: cut before the trailer ends, or a CRC-32 that does not match the content
    path.write_bytes(data[:-1])
    refused(con, SourceFile(path), "damaged gzip stream: Compressed file ended before the end-of-stream marker "
                                   "was reached (truncated or corrupted download?)")
    crc = bytearray(data)
    crc[-5] ^= 0xFF  # the CRC-32 is bytes -8..-5 of the trailer
    path.write_bytes(bytes(crc))
    refused(con, SourceFile(path), "damaged gzip stream: CRC check failed")
    path.write_bytes(b"")
    refused(con, SourceFile(path), "damaged gzip stream: empty file (truncated or corrupted download?)")


def test_a_cut_gzip_inside_an_intact_zip_is_refused(tmp_path, con):
    # the zip's CRC is that of the cut gzip, so only the gzip check sees the cut
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"{NAME}.gz", gzip.compress(TEXT.encode(), mtime=0)[:-20])
    (source,) = scan_inputs(tmp_path).baci_years.values()
    refused(con, source, "damaged gzip stream: ")


def test_a_cut_gzip_code_list_is_refused(tmp_path):
    path = tmp_path / "country_codes_V202401b.csv.gz"
    path.write_bytes(gzip.compress(COUNTRIES.encode(), mtime=0)[:-3])
    with pytest.raises(InputFileError, match="damaged gzip stream: "):
        read_country_codes(SourceFile(path))


# --- zip --------------------------------------------------------------------------------------------------


def zipped(path: Path, members: dict[str, str], method=zipfile.ZIP_DEFLATED) -> bytes:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path.read_bytes()


def test_every_cut_of_a_zip_and_a_zero_byte_zip_are_errors_of_the_scan(tmp_path):
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    data = zipped(archive, {NAME: TEXT, "country_codes_V202401b.csv": COUNTRIES})
    assert list(scan_inputs(tmp_path).baci_years) == [2001]
    for cut in [0, *range(1, len(data))]:
        archive.write_bytes(data[:cut])
        with pytest.raises(InputFileError) as caught:
            scan_inputs(tmp_path)
        assert str(caught.value) == f"{archive}: damaged zip archive: File is not a zip file", cut


def member_data_offset(archive: Path, member: str) -> tuple[int, int]:
    """Where the member's (compressed) data starts in the archive, and its length (local header: 30 bytes
    + name + extra field, APPNOTE.TXT 4.3.7)."""
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo(member)
    raw = archive.read_bytes()
    name_len, extra_len = (int.from_bytes(raw[info.header_offset + k:info.header_offset + k + 2], "little")
                           for k in (26, 28))
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"])
def test_a_flipped_byte_in_a_zip_member_is_refused(tmp_path, con, method):
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    raw = bytearray(zipped(archive, {NAME: TEXT, "country_codes_V202401b.csv": COUNTRIES}, method))
    start, size = member_data_offset(archive, NAME)
    if method == zipfile.ZIP_STORED:
        at = start + TEXT.index("8001.000")  # a digit of q: still a valid CSV, only the CRC-32 sees it
        assert raw[at:at + 1] == b"8"
        raw[at] = ord("9")
    else:
        raw[start + size // 2] ^= 0x55
    archive.write_bytes(bytes(raw))
    inv = scan_inputs(tmp_path)  # the central directory is intact: the damage shows when the member is read
    refused(con, inv.baci_years[2001], "damaged zip archive: ")
    if method == zipfile.ZIP_STORED:
        refused(con, inv.baci_years[2001], f"damaged zip archive: Bad CRC-32 for file '{NAME}'")
    assert read_country_codes(inv.country_codes).height == 5  # the intact member reads


# --- plain BACI files: the final line break -------------------------------------------------------------


def test_a_plain_year_file_cut_mid_line_is_refused_and_cut_at_a_line_end_accepted(tmp_path, con):
    path = tmp_path / NAME
    last = TEXT.rstrip("\n").rsplit("\n", 1)[1]  # 2001,6,254,015193,448.750,     8299.000
    for cut in (TEXT[:-1], TEXT[:-5], TEXT[:len(TEXT) - len(last) + last.index("8299.") + 2]):  # q cut to '82'
        path.write_text(cut)
        refused(con, SourceFile(path), "does not end with a line break (truncated?)")
    path.write_text(TEXT[:TEXT.index("\n", 2000) + 1])  # cut right after a line: the complete lines load
    load_baci_flows(con, SourceFile(path), 2001)
    assert loaded(con) == TEXT[:TEXT.index("\n", 2000)].count("\n")
    con.execute("DELETE FROM raw.baci_flows")
    path.write_bytes(TEXT.replace("\n", "\r\n").encode())  # CRLF, as in real BACI files
    load_baci_flows(con, SourceFile(path), 2001)
    assert loaded(con) == 300


def test_a_zipped_year_file_without_final_line_break_is_refused(tmp_path, con):
    zipped(tmp_path / "BACI_HS92_V202401b.zip", {NAME: TEXT[:-3]})
    refused(con, scan_inputs(tmp_path).baci_years[2001], "does not end with a line break (truncated?)")


def test_a_code_list_without_final_line_break_reads(tmp_path):
    # the real country_codes_V202201.csv has no final line break: the rule is for BACI flow files only
    path = tmp_path / "country_codes_V202201.csv"
    path.write_text(COUNTRIES.rstrip("\n"))
    assert read_country_codes(SourceFile(path)).height == 5


# --- names ------------------------------------------------------------------------------------------------


def test_upper_case_extensions_are_read(tmp_path, con):
    write_tiny_world(tmp_path, years=())
    baci = tmp_path / "baci"
    (baci / "BACI_HS92_Y2001_V202401b.CSV").write_text(baci_text(FLOWS[2001]))
    (baci / "BACI_HS92_Y2002_V202401b.CSV.GZ").write_bytes(gzip.compress(baci_text(FLOWS[2002]).encode()))
    zipped(baci / "BACI_HS92_Y2003_V202401b.ZIP", {"BACI_HS92_Y2003_V202401b.csv": baci_text(FLOWS[2003])})
    inv = scan_inputs(tmp_path)
    assert {y: s.name for y, s in inv.baci_years.items()} == {
        2001: "BACI_HS92_Y2001_V202401b.CSV", 2002: "BACI_HS92_Y2002_V202401b.CSV.GZ",
        2003: "BACI_HS92_Y2003_V202401b.csv"}
    for year, source in inv.baci_years.items():
        load_baci_flows(con, source, year)
    assert con.execute("SELECT year, count(*) FROM raw.baci_flows GROUP BY year ORDER BY year").fetchall() == [
        (2001, 4), (2002, 3), (2003, 2)]
    assert not inv.ignored


# --- the inventory accounts for every file ----------------------------------------------------------------


def read_files(inv) -> set[str]:
    """Every file the inventory reads."""
    files = [*inv.baci_years.values(), inv.country_codes, inv.product_codes, *inv.wdi_files,
             *inv.services, *inv.tariffs, inv.geodist, *inv.io_tables.files]
    return {str(f) for f in files if f is not None}


def test_every_file_is_read_or_ignored_with_its_reason(tmp_path):
    root = write_tiny_world(tmp_path / "inputs")
    baci, geo = root / "baci", root / "geo"
    (root / "owid_trade.csv").write_text("Entity,Code,Year,Trade\nKazakhstan,KAZ,2001,90.5\n")
    (root / "README.md").write_text("notes\n")
    (root / "PROVENANCE.md").write_text("where from\n")
    (baci / ".DS_Store").write_bytes(b"\0")
    (baci / "BACI_HS17_Y2002_V202401b.csv").write_text(baci_text(FLOWS[2002]))
    (baci / "BACI_HS92_Y2002_V202301.csv").write_text(baci_text(FLOWS[2002]))
    (baci / "product_codes_HS17_V202401b.csv").write_text("code,description\n")
    (baci / "country_codes_V202301.csv").write_text(COUNTRIES)
    (geo / "dist_cepii_copy.csv").write_text((geo / "dist_cepii.csv").read_text())
    zipped(root / "extras.zip", {"Readme.txt": "x", "notes/": "", "data/other.csv": "a\n1\n"})
    zipped(root / "empty.zip", {})
    os.mkfifo(root / "pipe")
    outside = write_tiny_world(tmp_path / "elsewhere", years=())
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (baci / "BACI_HS92_Y2003_V202401b.csv").symlink_to(shutil.copy(
        baci / "BACI_HS92_Y2002_V202401b.csv", outside / "BACI_HS92_Y2003_V202401b.csv"))  # a symlinked file

    inv = scan_inputs(root)
    assert sorted(inv.baci_years) == [2001, 2002, 2003]  # the symlinked file is followed
    assert inv.ignored == sorted([
        (f"{root}/owid_trade.csv", "matches no known layout"),
        (f"{root}/README.md", "not a data file"),
        (f"{root}/PROVENANCE.md", "not a data file"),
        (f"{baci}/.DS_Store", "not a data file"),
        (f"{baci}/BACI_HS17_Y2002_V202401b.csv", "HS17 is not the configured vintage HS92"),
        (f"{baci}/BACI_HS92_Y2002_V202301.csv", "older BACI version; V202401b is used for 2002"),
        (f"{baci}/product_codes_HS17_V202401b.csv", "HS17 is not the configured vintage HS92"),
        (f"{baci}/country_codes_V202301.csv", "older country code list; V202401b is used"),
        (f"{geo}/dist_cepii_copy.csv", f"several GeoDist files; {geo}/dist_cepii.csv is used"),
        (f"{root}/extras.zip!Readme.txt", "not a data file"),
        (f"{root}/extras.zip!data/other.csv", "matches no known layout"),
        (f"{root}/empty.zip", "zip archive holds no files"),
        (f"{root}/pipe", "not a regular file"),
        (f"{root}/linked", "symlinked folder, not followed (link its files instead, e.g. cp -rs)"),
    ])
    # every file under the folder is accounted for (a zip by its members, the symlinked folder as one entry)
    ignored = {file for file, _ in inv.ignored}
    for folder, subfolders, names in os.walk(root):
        for name in [*names, *(sub for sub in subfolders if (Path(folder) / sub).is_symlink())]:
            path = Path(folder) / name
            if path.suffix == ".zip" and path.stat().st_size and zipfile.ZipFile(path).namelist():
                members = [f"{path}!{m}" for m in zipfile.ZipFile(path).namelist() if not m.endswith("/")]
            else:
                members = [str(path)]
            for member in members:
                assert (member in read_files(inv)) != (member in ignored), member


def test_io_files_of_the_family_not_selected_are_listed_each(tmp_path):
    root = write_tiny_world(tmp_path, io_tables="wiod2013")
    write_tiny_world(tmp_path, io_tables="icio")  # the same world with OECD ICIO files too
    (root / "icio" / "ICIO2022_2001.csv").write_text((root / "icio" / "ICIO2023_2001.csv").read_text())
    inv = scan_inputs(root, io_tables="icio")
    wiod = root / "wiod"
    reason = "WIOD 2013 release file; io_tables ($TCD_IO_TABLES) selects icio"
    assert inv.ignored == sorted([
        *((f"{wiod}/{name}", reason) for name in ("labels_final_cols.csv", "labels_rows.csv",
                                                   "wiot2001_ZF_long.parquet", "wiot2002_ZF_long.parquet",
                                                   "wiot_output_2001_2002.parquet")),
        (f"{root}/icio/ICIO2022_2001.csv", "older ICIO release; ICIO2023_2001.csv is used for 2001"),
    ])
    # selecting WIOD: its label and output files are read, the OECD files ignored
    inv = scan_inputs(root, io_tables="wiod2013")
    assert {f for f, _ in inv.ignored} == {f"{root}/icio/ICIO2022_2001.csv", f"{root}/icio/ICIO2023_2001.csv",
                                           f"{root}/icio/ICIO2023_2002.csv"}
    assert {f"{wiod}/labels_rows.csv", f"{wiod}/wiot_output_2001_2002.parquet"} <= read_files(inv)


# --- unreadable files and folders --------------------------------------------------------------------------


def test_a_broken_symlink_is_an_error_naming_it(tmp_path):
    write_tiny_world(tmp_path)
    (tmp_path / "baci" / "BACI_HS92_Y2003_V202401b.csv").symlink_to(tmp_path / "moved_away.csv")
    with pytest.raises(InputFileError) as caught:
        scan_inputs(tmp_path)
    assert str(caught.value) == (f"{tmp_path}/baci/BACI_HS92_Y2003_V202401b.csv: broken symbolic link "
                                 f"(to {tmp_path}/moved_away.csv): cannot be read")


# imports first, then drops to user nobody (the interpreter lives under root's private home), then scans
SCAN = """import os, sys
from tcd_pipeline.sources import scan_inputs
os.setgroups([]); os.setgid(65534); os.setuid(65534)
try:
    scan_inputs(sys.argv[1])
except Exception as e:
    print(e)
else:
    print("read")
"""


def scan_as_other_user(root: Path) -> str:
    """``scan_inputs(root)``'s outcome as a user the permissions apply to: this user if not root (root reads
    every file whatever its mode), else user ``nobody`` (65534), in a subprocess that drops root's rights."""
    if os.geteuid() != 0:
        try:
            scan_inputs(root)
        except InputFileError as exc:
            return str(exc)
        return "read"
    done = subprocess.run([sys.executable, "-c", SCAN, str(root)], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0 and "PermissionError" in done.stderr and "setuid" in done.stderr:
        pytest.skip(f"cannot drop to user nobody to test permissions: {done.stderr.splitlines()[-1]}")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_an_unreadable_file_or_folder_is_an_error_naming_it(what):
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:  # pytest's tmp_path is private to its user
        root = Path(tmp) / "inputs"
        write_tiny_world(root)
        for path in [Path(tmp), *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        assert scan_as_other_user(root) == "read"
        target = root / "baci" / "BACI_HS92_Y2001_V202401b.csv" if what == "file" else root / "wdi"
        target.chmod(0)
        try:
            message = scan_as_other_user(root)
        finally:
            target.chmod(0o755)
        if what == "file":
            assert message == f"{target}: cannot be read (permission denied?)"
        else:
            assert message == f"{target}: folder cannot be read: Permission denied"
