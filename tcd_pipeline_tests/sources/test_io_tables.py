"""Input-output families as pipeline inputs: what the inventory recognises, which family it selects,
what it refuses (naming folder, files and setting), and what the plan fingerprints.

The tables are the tiny world's (tiny_world.py: the hand example of test_tiva.py) in the OECD ICIO
and WIOD 2013 layouts; long-run WIOD files are only named here (never read), the real ones are
read in test_tiva_pipeline_real.py.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from tcd_pipeline.lib.resources import RawInputs
from tcd_pipeline.sources import scan_inputs
from tcd_pipeline.sources.io_tables import read_io_table
from tcd_pipeline.sources.wiod import read_wiod_2013
from tcd_pipeline.warehouse.plan import current_fingerprints
from tcd_pipeline_tests.tiny_world import WIOD_OUTPUT_FILE, icio_text, write_tiny_wiod

SUPPORT = ("labels_rows.csv", "labels_final_cols.csv", WIOD_OUTPUT_FILE)


@pytest.fixture
def wiod_folder(tmp_path):
    return write_tiny_wiod(tmp_path / "inputs" / "wiod")


def test_wiod_2013_year_files_come_with_their_labels_and_output(wiod_folder):
    inv = scan_inputs(wiod_folder.parent)
    io = inv.io_tables
    assert (io.family, io.problem, sorted(io.years)) == ("wiod2013", None, [2001, 2002])
    assert inv.icio == {}
    src = io.years[2002]
    assert [f.name for f in src.files] == ["wiot2002_ZF_long.parquet", *SUPPORT]
    # every file read is fingerprinted: the two year files and the three shared ones, once each
    assert sorted(f.name for f in io.files) == sorted(["wiot2001_ZF_long.parquet", "wiot2002_ZF_long.parquet", *SUPPORT])
    table, direct = read_io_table(src), read_wiod_2013(wiod_folder, 2002)
    assert (table.source, table.classification) == ("WIOD 2013 release (wiot2002_ZF_long.parquet)", "wiod2013")
    for name in ("Z", "Y", "x", "va"):
        np.testing.assert_array_equal(getattr(table, name), getattr(direct, name))
    # the tiny table doubled in 2002 (tiny_world.ICIO_SCALE): x = 200, row sums exact
    np.testing.assert_array_equal(table.x, [200.0] * 4)
    assert table.balance_tolerance == (0.5 * (4 + 10), 0.0)  # 0.5 per stored column: 4 of Z, 10 final uses


def test_changing_a_label_file_changes_the_raw_icio_fingerprint(wiod_folder):
    before = current_fingerprints(scan_inputs(wiod_folder.parent))[0]["raw/icio"]
    labels = wiod_folder / "labels_final_cols.csv"
    labels.write_text(labels.read_text() + "\n")
    after = current_fingerprints(scan_inputs(wiod_folder.parent))[0]["raw/icio"]
    assert "labels_final_cols.csv" in before and before != after


@pytest.mark.parametrize("missing", SUPPORT)
def test_a_missing_wiod_file_is_named_with_its_folder(wiod_folder, missing):
    (wiod_folder / missing).unlink()
    io = scan_inputs(wiod_folder.parent).io_tables
    wanted = "wiot_output_*.parquet" if missing == WIOD_OUTPUT_FILE else missing
    assert io.problem == (f"WIOD 2013 release in {wiod_folder}: missing {wanted} (read with wiot2001_ZF_long.parquet "
                          f"and the other wiot{{YYYY}}_ZF_long.parquet files, from the same folder)")
    assert not io.years and len(io.files) == 2  # the year files still fingerprinted: adding the file reruns


def test_two_output_files_in_one_folder_are_refused(wiod_folder):
    (wiod_folder / "wiot_output_copy.parquet").write_bytes((wiod_folder / WIOD_OUTPUT_FILE).read_bytes())
    assert "several wiot_output_*.parquet files (wiot_output_2001_2002.parquet, wiot_output_copy.parquet)" in \
        scan_inputs(wiod_folder.parent).io_tables.problem


def test_several_families_under_auto_is_an_error_naming_files_and_setting(wiod_folder):
    root = wiod_folder.parent
    (root / "icio").mkdir()
    (root / "icio" / "ICIO2023_2001.csv").write_text(icio_text(2001))
    io = scan_inputs(root).io_tables
    assert io.family is None and not io.years
    assert io.problem == (
        f"several input-output table families under {root}: icio (OECD ICIO): 1 file in {root / 'icio'} "
        f"(ICIO2023_2001.csv); wiod2013 (WIOD 2013 release): 2 files in {wiod_folder} (wiot2001_ZF_long.parquet ... "
        f"wiot2002_ZF_long.parquet). One family per warehouse: set $TCD_IO_TABLES (raw_inputs.io_tables) to one of "
        f"icio, wiod2013")
    # choosing one family ignores the other with a note
    inv = scan_inputs(root, io_tables="icio")
    assert (inv.io_tables.family, sorted(inv.io_tables.years), inv.io_tables.problem) == ("icio", [2001], None)
    assert [f.name for f in inv.io_tables.files] == ["ICIO2023_2001.csv"]
    assert inv.notes == [f"ignored WIOD 2013 release files (2 files in {wiod_folder} (wiot2001_ZF_long.parquet ... "
                         f"wiot2002_ZF_long.parquet)): io_tables ($TCD_IO_TABLES) selects icio"]
    assert scan_inputs(root, io_tables="wiod2013").io_tables.family == "wiod2013"


def test_a_family_that_is_not_there_gives_no_tables(wiod_folder):
    io = scan_inputs(wiod_folder.parent, io_tables="wiod_long_run").io_tables
    assert (io.family, io.years, io.files, io.problem) == ("wiod_long_run", {}, (), None)


def test_long_run_files_are_recognised_by_name(tmp_path):
    for year in (1965, 2000):
        (tmp_path / f"WIODlr_WIOT_{year}.parquet").write_bytes(b"not read here")
    io = scan_inputs(tmp_path).io_tables
    assert (io.family, sorted(io.years), io.problem) == ("wiod_long_run", [1965, 2000], None)
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "WIODlr_WIOT_1965.parquet").write_bytes(b"")
    assert scan_inputs(tmp_path).io_tables.problem == (
        f"long-run WIOD year 1965 twice: {tmp_path / 'WIODlr_WIOT_1965.parquet'}, "
        f"{tmp_path / 'copy' / 'WIODlr_WIOT_1965.parquet'}")


def test_wiod_files_inside_a_zip_are_ignored_with_a_note(tmp_path):
    folder = write_tiny_wiod(tmp_path / "staging")
    archive = tmp_path / "inputs" / "wiod.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.iterdir()):
            z.write(path, path.name)
    inv = scan_inputs(archive.parent)
    assert (inv.io_tables.family, inv.io_tables.years) == (None, {})
    assert f"ignored {archive}!wiot2001_ZF_long.parquet: WIOD files are read as plain files, not from a zip " \
           f"(unzip it)" in inv.notes


def test_io_tables_setting(monkeypatch, wiod_folder):
    monkeypatch.delenv("TCD_IO_TABLES", raising=False)
    assert RawInputs(directory=str(wiod_folder.parent)).resolved_io_tables() == "auto"
    monkeypatch.setenv("TCD_IO_TABLES", "wiod_long_run")
    assert RawInputs(directory=str(wiod_folder.parent)).inventory().io_tables.family == "wiod_long_run"
    assert RawInputs(io_tables="wiod2013").resolved_io_tables() == "wiod2013"  # config beats the environment
    with pytest.raises(ValueError, match=r"setting raw_inputs.io_tables \(\$TCD_IO_TABLES\): one of auto, icio, "
                                         r"wiod2013, wiod_long_run; got 'oecd'"):
        RawInputs(io_tables="oecd").resolved_io_tables()
