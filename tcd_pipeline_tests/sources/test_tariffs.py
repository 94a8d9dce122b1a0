"""Tariff schedules: the TRAINS bulk and WITS query layouts, their compressed forms, the inventory, the
sample writer and the HS92 -> BEC end-use table.

Layout references (see tcd_pipeline/sources/tariffs.py): TRAINS bulk CSV ``NomenCode, Reporter_ISO_N,
Year, ProductCode, Sum_Of_Rates, Min_Rate, Max_Rate, SimpleAverage, Nbr_NA_Lines, Nbr_Free_Lines,
Nbr_AVE_Lines, Nbr_Dutiable_Lines, TotalNoOfValidLines, TotalNoOfLines, EstCode`` in folders
``AVEMFN_<nomen>_<reporter>_<year>_U2``; WITS query result ``Selected Nomen, ..., Reporter, Product,
Partner, Tariff Year, DutyType, Simple Average, Weighted Average, Minimum Rate, Maximum Rate, Nbr of
Total Lines, ...``. Expected values are the files' own numbers, typed.
"""

from __future__ import annotations

import gzip
import zipfile

import polars as pl
import pytest

from tcd_pipeline.sample.tariffs import HEADER, end_uses, write_tariffs
from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.inventory import scan_inputs
from tcd_pipeline.sources.reference_tables import read_hs92_end_use
from tcd_pipeline.sources.tariffs import read_tariffs
from tcd_pipeline_tests.tiny_world import TARIFFS, TARIFFS_FILE

QUERY = """Selected Nomen,Native Nomen,Reporter,Reporter Name,Product,Product Name,Partner,Partner Name,Tariff Year,Trade Year,Trade Source,DutyType,Simple Average,Weighted Average,Standard Deviation,Minimum Rate,Maximum Rate,Nbr of Total Lines,Nbr of DomesticPeaks,Nbr of InternationalPeaks,Imports Value in 1000 USD
H0,H0,250,France,010110,Horses,000,World,2002,2002,Comtrade,AHS,3,2.5,3,0,6,2,0,0,12.5
H0,H0,250,France,270900,Crude oil,000,World,2002,2002,Comtrade,AHS,0,0,0,0,0,1,0,0,1500
H0,H0,250,France,740311,Copper cathodes,000,World,2002,2002,Comtrade,AHS,2,2,0,2,2,1,0,0,0
"""


def _trains(tmp_path, text=TARIFFS, name=TARIFFS_FILE):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_trains_layout_as_published(tmp_path):
    t = read_tariffs(_trains(tmp_path))
    assert t.columns == ["year", "reporter", "iso3", "duty_type", "nomenclature", "hs6", "simple_average_pct",
                         "min_rate_pct", "max_rate_pct", "n_lines", "n_free_lines", "layout", "source_file"]
    assert t.height == 6 and set(t["iso3"]) == {"KAZ"} and set(t["duty_type"]) == {"MFN"}
    row = t.filter((pl.col("year") == 2002) & (pl.col("hs6") == "740311")).row(0, named=True)
    # one line at 10 % and one without an ad valorem equivalent: TotalNoOfLines 2, SimpleAverage over the one
    assert (row["simple_average_pct"], row["min_rate_pct"], row["max_rate_pct"], row["n_lines"], row["n_free_lines"]) \
        == (10.0, 10.0, 10.0, 2, 0)
    assert t.filter(pl.col("hs6") == "270900")["n_free_lines"].to_list() == [1, 0]
    assert (row["reporter"], row["nomenclature"], row["layout"]) == ("398", "H0", "trains_bulk")


def test_compressed_forms_read_the_same(tmp_path):
    plain = read_tariffs(_trains(tmp_path)).drop("source_file")
    gz = tmp_path / "gz" / "AVEMFN_H0_KAZ_2001_U2" / "JobID-1001.csv.gz"
    gz.parent.mkdir(parents=True)
    gz.write_bytes(gzip.compress(TARIFFS.encode()))
    archive = tmp_path / "MFN_APPLIED_RATES.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("MFN/AVEMFN_H0_KAZ_2001_U2/JobID-1001.CSV", TARIFFS)
    assert read_tariffs(gz).drop("source_file").equals(plain)
    assert read_tariffs(SourceFile(archive, "MFN/AVEMFN_H0_KAZ_2001_U2/JobID-1001.CSV")).drop("source_file").equals(plain)


def test_wits_query_layout(tmp_path):
    path = tmp_path / "JobID-77_fra_ahs.csv"
    path.write_text(QUERY)
    t = read_tariffs(path)
    assert set(t["iso3"]) == {"FRA"} and set(t["duty_type"]) == {"AHS"} and set(t["layout"]) == {"wits_query"}
    # free lines are not a column of the query layout: all lines when the maximum is 0, none when the minimum
    # is above 0, unknown (NULL) for 010110 (0 to 6 %)
    assert dict(zip(t["hs6"], t["n_free_lines"])) == {"010110": None, "270900": 1, "740311": 0}
    assert dict(zip(t["hs6"], t["simple_average_pct"])) == {"010110": 3.0, "270900": 0.0, "740311": 2.0}


def test_reporter_as_iso3(tmp_path):
    t = read_tariffs(_trains(tmp_path, TARIFFS.replace(",398,", ",KAZ,")))
    assert set(t["iso3"]) == {"KAZ"} and set(t["reporter"]) == {"KAZ"}


@pytest.mark.parametrize(("old", "new", "says"), [
    ("H0,398,2001,010110,20,5,15,10", "H0,398,2001,010110,20,5,15,ten", "line 2: SimpleAverage 'ten' is not a number"),
    ("H0,398,2001,010110", "H0,999,2001,010110", "line 2: reporter '999' is neither an M49 code nor an ISO3 code"),
    ("H0,398,2001,010110", "H0,398,2001,01011", "line 2: product '01011' is not a 6-digit HS code"),
    ("H0,398,2002,740311", "H4,398,2002,740311", "line 7: nomenclature 'H4' (HS12) is not the configured vintage HS92"),
    ("H0,398,2002,740311", "H0,398,2002,270900", "line 7: KAZ 2002 MFN product 270900 appears more than once"),
    ("H0,398,2002,740311,10,10,10,10,1,0,1,1,1,2", "H0,398,2002,740311,10,10,10,10,1,0,1,1,1,",
     "line 7: n_lines is empty"),
    ("Max_Rate,", "Maximum,", "missing columns ['Max_Rate']"),
])
def test_bad_rows_name_the_file_and_line(tmp_path, old, new, says):
    assert old in TARIFFS
    path = _trains(tmp_path, TARIFFS.replace(old, new, 1))
    with pytest.raises(InputFileError, match="JobID-1001_KAZ.csv") as err:
        read_tariffs(path)
    assert says in str(err.value)


def test_refusals_of_the_layouts(tmp_path):
    with pytest.raises(InputFileError, match="TRAINS layout without its download's name"):
        read_tariffs(_trains(tmp_path, name="other/JobID-5.csv"))
    path = tmp_path / "JobID-6.csv"
    path.write_text(QUERY.replace(",000,World,2002", ",398,Kazakhstan,2002", 1))
    with pytest.raises(InputFileError, match="line 2: partner '398': only rates towards the World"):
        read_tariffs(path)
    path.write_text(QUERY.replace(",AHS,", ",PRF,", 1))
    with pytest.raises(InputFileError, match="line 2: duty type 'PRF' is none of MFN, AHS, BND"):
        read_tariffs(path)
    path.write_text(TARIFFS.rstrip("\n")[:-3])  # cut inside the last line
    with pytest.raises(InputFileError, match="truncated"):
        read_tariffs(path)


def test_inventory_finds_the_downloads(tmp_path):
    _trains(tmp_path)
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "DataJobID-9_query.csv").write_text(QUERY)
    pref = tmp_path / "AVEPref_H0_KAZ_2001_U2" / "JobID-3.CSV"
    pref.parent.mkdir()
    pref.write_text("NomenCode,Reporter_ISO_N,Year,ProductCode,Partner\n")
    inv = scan_inputs(tmp_path)
    assert sorted(s.name for s in inv.tariffs) == ["DataJobID-9_query.csv", "JobID-1001_KAZ.csv"]
    assert dict(inv.ignored)[str(pref)].startswith("TRAINS preferential rates (AVEPref)")


def test_sample_writer_layout_determinism_and_the_customs_union(tmp_path):
    # two years around the event year 2010, on the sample's 42 countries and 600 products
    paths = write_tariffs(tmp_path, years=[2009, 2010])
    assert [p.parent.name for p in paths] == ["AVEMFN_H0_2009_U2", "AVEMFN_H0_2010_U2"]
    assert paths[0].read_text().splitlines()[0] == ",".join(HEADER)
    again = write_tariffs(tmp_path / "again", years=[2009, 2010])
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    t = pl.concat([read_tariffs(p) for p in paths])
    t = t.with_columns(pl.Series("end_use", end_uses(t["hs6"].to_list())))
    avg = {(r["iso3"], r["year"], r["end_use"]): r["s"] for r in t.group_by("iso3", "year", "end_use").agg(
        pl.col("simple_average_pct").mean().alias("s")).iter_rows(named=True)}
    # KAZ adopts Russia's schedule in 2010: identical to RUS's, and higher than its own of 2009, capital goods
    # the most (x 1 / 0.3 before rounding and the 1.5 % a year decline), intermediates the least (x 1 / 0.86)
    for use in ("capital", "intermediate", "consumption"):
        assert avg[("KAZ", 2010, use)] == avg[("RUS", 2010, use)]
    rise = {use: avg[("KAZ", 2010, use)] / avg[("KAZ", 2009, use)] for use in ("capital", "intermediate", "consumption")}
    assert rise["capital"] > 3 > rise["consumption"] > rise["intermediate"] > 1.1
    assert rise["capital"] == pytest.approx(0.985 / 0.3, rel=0.05)
    assert rise["intermediate"] == pytest.approx(0.985 / 0.86, rel=0.05)


def test_bec_end_use_of_known_products():
    table = {r["hs6"]: (r["bec4"], r["end_use"]) for r in read_hs92_end_use().iter_rows(named=True)}
    # UN HS 1992 -> BEC rev.4 correspondence (R package concordance, table hs0_bec4) and the SNA basic classes of
    # the BEC rev.4 manual (UN Statistical Papers M 53 Rev.4): 41 and 521 capital, 31 and 22 intermediate,
    # 62 consumption, 51 (passenger cars) not classified
    assert table["842952"] == ("41", "capital")  # self-propelled excavators
    assert table["870421"] == ("521", "capital")  # diesel goods vehicles up to 5 tonnes
    assert table["270900"] == ("31", "intermediate")  # crude petroleum oils
    assert table["740311"] == ("22", "intermediate")  # refined copper cathodes
    assert table["620520"] == ("62", "consumption")  # men's cotton shirts
    assert table["870323"] == ("51", "not classified")  # passenger cars, 1,500-3,000 cc
    # split over two BEC codes: one class when they agree, else not classified
    assert table["120710"] == ("111;21", "intermediate")
    assert table["300490"] == ("21;63", "not classified")
    classes = pl.Series([e for _, e in table.values()]).value_counts().sort("")
    assert dict(classes.iter_rows()) == {"capital": 629, "consumption": 1165, "intermediate": 2998,
                                         "not classified": 151}
    assert end_uses(["842952", "010110"]) == ["capital", "not classified"]  # 010110 is not in the table
