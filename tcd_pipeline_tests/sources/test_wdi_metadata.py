"""The WDI country metadata file (Metadata_Country_API_*.csv): layout, duplicates, conflicts, the inventory."""

from pathlib import Path

import pytest

from tcd_pipeline.sources import InputFileError, SourceFile, scan_inputs
from tcd_pipeline.sources.wdi_metadata import REGIONS, read_country_metadata, read_one
from tcd_pipeline_tests.tiny_world import COUNTRY_METADATA, METADATA_FILES, write_tiny_world

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "country_classifications" / \
    "worldbank_country_metadata_2025-06.csv"


def _write(path: Path, text: str) -> SourceFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return SourceFile(path)


def test_the_layout_is_read_with_aggregates_unclassified(tmp_path):
    """BOM, quoted fields, a trailing comma on every line, CRLF: five columns; empty strings are NULL."""
    rows = read_one(_write(tmp_path / "Metadata_Country_API_X_DS2_en_csv_v2_1.csv", COUNTRY_METADATA))
    assert rows.columns == ["iso3", "wb_region", "income_group", "table_name", "special_notes", "source_file"]
    assert rows.select("iso3", "wb_region", "income_group", "table_name").rows() == [
        ("AFG", "South Asia", "Low income", "Afghanistan"),
        ("FRA", "Europe & Central Asia", "High income", "France"),
        ("KAZ", "Europe & Central Asia", "Upper middle income", "Kazakhstan"),
        ("USA", "North America", "High income", "United States"),
        ("WLD", None, None, "World"),
    ]
    assert rows["special_notes"].to_list() == [None, None, None, None, "World aggregate."]


def test_identical_files_are_one_table_and_conflicting_ones_an_error_naming_both(tmp_path):
    a = _write(tmp_path / "a" / "Metadata_Country_API_A_DS2_en_csv_v2_1.csv", COUNTRY_METADATA)
    b = _write(tmp_path / "b" / "Metadata_Country_API_B_DS2_en_csv_v2_2.csv", COUNTRY_METADATA)
    read = read_country_metadata([b, a])
    assert read.source == a and read.duplicates == [b] and read.frame.height == 5
    # another release: KAZ's income group differs
    c = _write(tmp_path / "c" / "Metadata_Country_API_C_DS2_en_csv_v2_3.csv",
               COUNTRY_METADATA.replace('"KAZ","Europe & Central Asia","Upper middle income"',
                                        '"KAZ","Europe & Central Asia","High income"'))
    with pytest.raises(InputFileError) as failed:
        read_country_metadata([a, b, c])
    assert str(c) in str(failed.value) and str(a) in str(failed.value) and "'KAZ'" in str(failed.value)
    empty = read_country_metadata([])
    assert empty.source is None and empty.frame.height == 0


def test_a_wrong_header_is_named(tmp_path):
    bad = _write(tmp_path / "Metadata_Country_API_A_DS2_en_csv_v2_1.csv",
                 COUNTRY_METADATA.replace('"IncomeGroup"', '"Income Group"'))
    with pytest.raises(InputFileError, match="wrong header for a WDI country metadata file"):
        read_one(bad)


def test_the_inventory_reads_every_metadata_file_and_notes_when_there_is_none(tmp_path):
    with_files = scan_inputs(write_tiny_world(tmp_path / "with", country_metadata=True))
    assert sorted(f.name for f in with_files.wdi_country_metadata) == sorted(Path(n).name for n in METADATA_FILES)
    assert set(with_files.wdi_country_metadata) <= set(with_files.wdi_files) and not with_files.ignored
    assert not [n for n in with_files.notes if "country metadata" in n]
    indicator = tmp_path / "with" / "wdi" / "Metadata_Indicator_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv"
    indicator.write_text('"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\n')
    assert scan_inputs(tmp_path / "with").ignored == [
        (str(indicator), "WDI indicator metadata (definitions and sources of the indicator; not read)")]
    without = scan_inputs(write_tiny_world(tmp_path / "without"))
    assert without.wdi_country_metadata == []
    assert [n for n in without.notes if n.startswith("no WDI country metadata file (Metadata_Country_API_")]


@pytest.mark.skipif(not REAL.exists(), reason=f"{REAL} (the World Bank's file of June 2025) is not staged")
def test_the_world_banks_file_of_june_2025():
    """The World Bank classifies 217 economies in seven regions (the other 48 rows are aggregates, with an
    empty region); Venezuela has had no income group since July 2021 (no recent GNI data)."""
    rows = read_one(SourceFile(REAL))
    assert rows.height == 265
    economies = rows.filter(rows["wb_region"].is_not_null())
    assert economies.height == 217 and set(economies["wb_region"]) == set(REGIONS)
    kaz = rows.filter(rows["iso3"] == "KAZ").row(0, named=True)
    assert (kaz["wb_region"], kaz["income_group"]) == ("Europe & Central Asia", "Upper middle income")
    ven = rows.filter(rows["iso3"] == "VEN").row(0, named=True)
    assert ven["wb_region"] == "Latin America & Caribbean" and ven["income_group"] is None
