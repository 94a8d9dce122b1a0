"""Reference mappings (tcd_pipeline/reference/*.csv) and core.classifications.

References: the dates in regions_by_year.csv (EU enlargements 2004/2007/2013 and Brexit 2020,
Customs Union 2010 and EEU 2015, ASEAN accessions), the HS chapter/heading rules of
report_sectors_hs.csv, and Lall (2000) Table 2 as transcribed in lall2000_sitc2.csv.
"""

from __future__ import annotations

import csv

import polars as pl
import pytest

from tcd_pipeline.core.classifications import (
    LALL_CLASSES,
    destination_regions,
    lall_classes,
    lall_shares,
    region_table,
    report_sectors,
    select_version,
)
from tcd_pipeline.sample.world import DATA_DIR
from tcd_pipeline.sources.reference_tables import (
    read_hs92_sitc2,
    read_lall2000,
    read_m49_iso3,
    read_regions,
    read_report_sectors,
)


@pytest.fixture(scope="module")
def regions() -> dict[tuple[str, int], str]:
    table = region_table(read_regions(), range(1995, 2027))
    return {(r["iso3"], r["year"]): r["region"] for r in table.iter_rows(named=True)}


@pytest.mark.parametrize("iso3, year, region", [
    ("POL", 2003, None), ("POL", 2004, "EU"), ("ROU", 2006, None), ("ROU", 2007, "EU"),
    ("HRV", 2012, None), ("HRV", 2013, "EU"), ("GBR", 2019, "EU"), ("GBR", 2020, None), ("DEU", 1995, "EU"),
    ("KAZ", 2009, "CIS"), ("KAZ", 2010, "EEU"), ("RUS", 2014, "EEU"), ("BLR", 2015, "EEU"),
    ("ARM", 2014, "CIS"), ("ARM", 2015, "EEU"), ("KGZ", 2014, "CIS"), ("KGZ", 2015, "EEU"),
    ("UZB", 2018, "CIS"), ("TKM", 2010, "CIS"), ("UKR", 2017, "CIS"), ("UKR", 2018, None),
    ("GEO", 2008, "CIS"), ("GEO", 2009, None), ("AZE", 2015, "CIS"),
    ("VNM", 1995, "ASEAN"), ("LAO", 1996, None), ("LAO", 1997, "ASEAN"), ("KHM", 1999, "ASEAN"),
    ("TLS", 2024, None), ("TLS", 2025, "ASEAN"), ("CHN", 2000, "China"), ("HKG", 2000, None),
    ("USA", 2018, "USA"),
])
def test_membership_by_year(regions, iso3, year, region):
    assert regions.get((iso3, year)) == region


def test_customs_union_can_be_left_out():
    table = region_table(read_regions(), [2012, 2015], customs_union_as_eeu=False)
    got = {(r["iso3"], r["year"]): r["region"] for r in table.iter_rows(named=True)}
    assert got[("KAZ", 2012)] == "CIS" and got[("KAZ", 2015)] == "EEU"


def test_one_region_per_country_year(regions):
    table = region_table(read_regions(), range(1995, 2027))
    assert table.select("iso3", "year").is_duplicated().sum() == 0


def test_destination_regions_default_to_rest_of_world():
    f = pl.DataFrame({"importer": ["FRA", "KAZ", "BRA", "GBR"], "year": [2018, 2018, 2018, 2020]})
    out = destination_regions(f, read_regions())
    assert out["region"].to_list() == ["EU", "EEU", "Rest of world", "Rest of world"]
    assert out.height == f.height


def test_report_sectors_heading_overrides_chapter():
    f = pl.DataFrame({"hs6": ["270900", "271121", "270112", "271600", "100190", "110100", "260300", "720241",
                              "710812", "711319", "020110", "220300", "080510", "150710", "284420", "847130"]})
    got = dict(report_sectors(f, read_report_sectors()).iter_rows())
    assert got == {
        "270900": "Oil and gas", "271121": "Oil and gas",  # chapter 27
        "270112": "Minerals", "271600": "Other",  # headings 2701 (coal) and 2716 (electricity) override
        "100190": "Cereals", "110100": "Cereals", "260300": "Minerals", "720241": "Metals",
        "710812": "Metals", "711319": "Other",  # gold is a metal, jewellery is not
        "020110": "Foodstuffs", "220300": "Foodstuffs", "080510": "Vegetable", "150710": "Vegetable",
        "284420": "Other", "847130": "Other",
    }


def test_sector_mapping_versions():
    mapping = pl.concat([read_report_sectors(), read_report_sectors().with_columns(pl.lit("2026.10").alias("version"))
                         .with_columns(pl.lit("Energy").alias("sector"))])
    assert select_version(mapping)["version"].unique().to_list() == ["2026.10"]  # 10 > 1, not string order
    f = pl.DataFrame({"hs6": ["270900"]})
    assert report_sectors(f, mapping, version="2026.1")["sector"][0] == "Oil and gas"
    with pytest.raises(ValueError, match="not found"):
        select_version(mapping, "1999")


def test_concordance_covers_every_hs92_code_and_lall_every_group():
    conc, lall = read_hs92_sitc2(), read_lall2000()
    with open(DATA_DIR / "hs92_products.csv", encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert codes <= set(conc["hs6"].to_list())  # the package's HS92 list (BACI legacy 2710xx codes included)
    assert conc["hs6"].is_unique().all() and (conc["sitc2"].str.len_chars() == 5).all()
    groups = set(conc["sitc2"].str.slice(0, 3).to_list())
    assert groups <= set(lall["sitc2_3d"].to_list())
    assert lall["sitc2_3d"].is_unique().all()
    assert set(lall["lall"].to_list()) == set(LALL_CLASSES)
    counts = dict(lall.group_by("lall").len().iter_rows())
    # group counts of the transcription of Lall (2000) (a guard against accidental edits of the file)
    assert counts == {"PP": 48, "RB1": 35, "RB2": 27, "LT1": 20, "LT2": 24, "MT1": 5, "MT2": 22, "MT3": 31,
                      "HT1": 11, "HT2": 7, "UNC": 9}


def test_lall_classes_match_public_sources():
    # Each group below is classed the same way by two public copies of Lall (2000) (see
    # tcd_pipeline/reference/trade_outcomes.md, "Check against public copies of the list"):
    # A = K. Van Rensselaer's Stata do-file (SITC Rev. 2 3-digit groups in five bands);
    # B = UNCTAD "SITC rev.3 products, by technological categories (Lall (2000))", as parsed in
    # github.com/JBrunoLLeao/brics-dashboard (pipeline/build_tech_map.py, commit 056443c5).
    # Every group chosen has the same content in SITC Rev. 2 and Rev. 3 (UN correlation), so B's
    # class applies to the Rev. 2 group unchanged. A gives only the band (PP, RB, LT, MT, HT, or
    # miscellaneous for UNC).
    cited = {
        "042": "PP", "057": "PP", "333": "PP",  # rice; fresh fruit and nuts; crude petroleum
        "112": "RB1", "122": "RB1",  # alcoholic beverages; manufactured tobacco
        "522": "RB2", "661": "RB2",  # inorganic chemical elements; lime, cement, building materials
        "611": "LT1", "655": "LT1",  # leather; knitted fabrics
        "666": "LT2", "691": "LT2",  # pottery; iron or steel structures
        "783": "MT1", "784": "MT1",  # road motor vehicles n.e.s.; motor vehicle parts
        "512": "MT2", "562": "MT2",  # alcohols and phenols; manufactured fertilizers
        "713": "MT3", "722": "MT3",  # piston engines; tractors
        "752": "HT1", "764": "HT1", "776": "HT1",  # computers; telecom equipment; valves, transistors
        "792": "HT2", "881": "HT2",  # aircraft; photographic apparatus
        "961": "UNC", "971": "UNC",  # coin (not gold); non-monetary gold
    }
    table = dict(read_lall2000().select("sitc2_3d", "lall").iter_rows())
    assert {code: table.get(code) for code in cited} == cited


def test_lall_classes_examples():
    f = pl.DataFrame({"hs6": ["270900", "271000", "870323", "854211", "300490", "620342", "720241", "999999"]})
    got = dict(lall_classes(f, read_hs92_sitc2(), read_lall2000()).select("hs6", "lall").iter_rows())
    assert got == {"270900": "PP", "271000": "RB2", "870323": "MT1", "854211": "HT1", "300490": "HT2",
                   "620342": "LT1", "720241": "MT2", "999999": "UNC"}


def test_lall_shares_hand_computed():
    # crude oil 60 (PP), cars 30 (MT1), medicaments 10 (HT2): shares 60, 30, 10 and 0 elsewhere
    f = pl.DataFrame({"exporter": ["KAZ"] * 3, "year": [2018] * 3, "hs6": ["270900", "870323", "300490"],
                      "value_usd": [60.0, 30.0, 10.0]})
    out = lall_shares(f, read_hs92_sitc2(), read_lall2000())
    assert out.columns == ["exporter", "year", "lall_class", "value_usd", "share_pct"]  # marts.lall_shares (its builder renames exporter to country)
    assert out.height == len(LALL_CLASSES) and out["share_pct"].sum() == pytest.approx(100.0)
    got = dict(out.select("lall_class", "share_pct").iter_rows())
    assert (got["PP"], got["MT1"], got["HT2"], got["LT1"]) == (60.0, 30.0, 10.0, 0.0)


def test_m49_table():
    m49 = read_m49_iso3()
    assert m49["m49"].is_unique().all() and (m49["m49"].str.len_chars() == 3).all()
    got = dict(m49.select("m49", "iso3").iter_rows())
    assert (got["398"], got["643"], got["840"], got["250"]) == ("KAZ", "RUS", "USA", "FRA")
