"""The loaders on REAL published files staged in ../shared/data (skipped where absent).

Reference values below were read off the files with zcat/grep and are stated next to each test.
"""

import shutil

import duckdb
import pytest

from tcd_pipeline.sources import SourceFile, scan_inputs
from tcd_pipeline.sources.readers import load_baci_flows, read_country_codes, read_product_codes, read_wdi
from tcd_pipeline.warehouse.sql import load_sql


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(load_sql("ingest/raw/baci_flows.ddl"))
    yield con
    con.close()


def test_baci_2021_subset_loads_unchanged(shared_data, con):
    # BACI_HS92 V202301 subset (PROVENANCE.md): 71,192 rows, exporters 4 (3,070 rows) and 710 (68,122);
    # CRLF line ends, quoted header, q padded with spaces; 2,306 rows have q = "NA" (zcat | grep -c).
    src = SourceFile(shared_data / "baci_sample_afg_zaf" / "BACI_Y2021_i4_i710_subset.csv.gz")
    load_baci_flows(con, src, 2021)
    rows, afg, zaf, q_null, short_k = con.execute(
        "SELECT count(*), count(*) FILTER (i = 4), count(*) FILTER (i = 710), count(*) FILTER (q IS NULL),"
        " count(*) FILTER (length(k) <> 6) FROM raw.baci_flows"
    ).fetchone()
    assert (rows, afg, zaf) == (71_192, 3_070, 68_122)
    assert q_null == 2_306
    assert short_k == 0
    # first data line: 2021,4,24,382390,52.051,"       13.235"
    assert con.execute("SELECT t, i, j, k, v, q FROM raw.baci_flows LIMIT 1").fetchone() == (
        2021, 4, 24, "382390", 52.051, 13.235)


def test_baci_hs17_2020_restores_leading_zeros(shared_data, con):
    # 70,920 rows (PROVENANCE.md); the file writes k without its leading zero (e.g. 71120 -> 071120);
    # 2,368 rows have q "NA" (zcat | grep -c ' NA').
    src = SourceFile(shared_data / "baci_sample_afg_zaf" / "BACI_HS17_Y2020_i4_i710_subset.csv.gz")
    load_baci_flows(con, src, 2020)
    rows, q_null, k5 = con.execute(
        "SELECT count(*), count(*) FILTER (q IS NULL), count(*) FILTER (k = '071120') FROM raw.baci_flows"
    ).fetchone()
    assert rows == 70_920
    assert q_null == 2_368
    assert k5 >= 1


def test_code_lists_latin1_and_bom(shared_data):
    # country_codes_V202001.csv is latin-1 (PROVENANCE.md); V202201 in baci_codes is UTF-8 with a BOM.
    latin1 = read_country_codes(SourceFile(shared_data / "baci_sample_afg_zaf" / "country_codes_V202001.csv"))
    bom = read_country_codes(SourceFile(shared_data / "baci_codes" / "country_codes_V202201.csv"))
    # 239 lines: a header and 238 rows (PROVENANCE.md says 237: it counted newlines, and the last
    # line has none)
    assert bom.height == 238
    assert bom.columns[0] == "country_code"  # the BOM did not leak into the first name
    for frame in (latin1, bom):
        kaz = frame.filter(frame["country_code"] == 398).row(0, named=True)
        assert (kaz["iso3"], kaz["country_name"]) == ("KAZ", "Kazakhstan")
        assert frame.filter(frame["country_code"] == 251)["iso3"].to_list() == ["FRA"]
    # a latin-1 name decoded right: Côte d'Ivoire is code 384
    assert latin1.filter(latin1["country_code"] == 384)["country_name"].item().startswith("C\u00f4te")


def test_hs92_product_list(shared_data):
    # product_code_baci92_hs92.csv: 5,039 HS92 codes with "CODE","SHORTDESCRIPTION" headers
    frame = read_product_codes(SourceFile(shared_data / "baci_codes" / "product_code_baci92_hs92.csv"))
    assert frame.height == 5_039
    assert frame["code"].str.len_chars().unique().to_list() == [6]
    assert frame.filter(frame["code"] == "270900").height == 1


def test_wdi_bulk_and_long_files_agree(shared_data):
    # PROVENANCE.md check: KAZ 2019 GDP 181.7 bn USD, GDP pc 9,457 USD, population 19.21 m
    original = sorted((shared_data / "wdi_worldbank" / "original").glob("API_*.csv.gz"))
    wide = read_wdi([SourceFile(p) for p in original], [])
    long = read_wdi([], [SourceFile(shared_data / "wdi_worldbank" / "wdi_long_gdp_gdppc_pop_fdi.csv.gz")])
    assert wide.height == long.height == 57_443  # the long file is the melt of the same four files

    def kaz(frame, code):
        return frame.filter((frame["country_code"] == "KAZ") & (frame["year"] == 2019)
                            & (frame["indicator_code"] == code))["value"].item()

    assert kaz(wide, "NY.GDP.MKTP.CD") == pytest.approx(181.7e9, rel=1e-3)
    assert kaz(wide, "NY.GDP.PCAP.CD") == pytest.approx(9_457, rel=1e-3)
    assert kaz(wide, "SP.POP.TOTL") == pytest.approx(19.21e6, rel=1e-3)
    assert kaz(long, "NY.GDP.MKTP.CD") == kaz(wide, "NY.GDP.MKTP.CD")


def test_inventory_finds_real_layouts_and_ignores_other_vintages(shared_data, tmp_path):
    shutil.copy(shared_data / "baci_sample_afg_zaf" / "BACI_Y2021_i4_i710_subset.csv.gz",
                tmp_path / "BACI_HS92_Y2021_V202301.csv.gz")
    shutil.copy(shared_data / "baci_sample_afg_zaf" / "BACI_HS17_Y2020_i4_i710_subset.csv.gz",
                tmp_path / "BACI_HS17_Y2020_V202301.csv.gz")
    shutil.copy(shared_data / "baci_codes" / "country_codes_V202201.csv", tmp_path)
    inv = scan_inputs(tmp_path, hs="92")
    assert list(inv.baci_years) == [2021]
    assert inv.country_codes.name == "country_codes_V202201.csv"
    assert any("HS17 is not the configured vintage" in n for n in inv.notes)
