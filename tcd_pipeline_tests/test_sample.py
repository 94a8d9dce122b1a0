"""The synthetic sample world: real file layouts, determinism, and the realism later work relies on.

Expected layouts are copied from the real files staged in ../shared/data (BACI V2024 lists,
World Bank bulk downloads of 2025-04-15, CEPII GeoDist); expected model properties from the
brief of tcd_pipeline.sample (flows.py docstring).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.sample import DEFAULT_SEED, generate_sample
from tcd_pipeline.sample.__main__ import main as cli_main
from tcd_pipeline.sample.__main__ import parse_years
from tcd_pipeline.sample.world import section_of

FULL_YEARS = range(2000, 2019)
SHORT_YEARS = range(2000, 2005)
WDI_FILES = {
    "NY.GDP.MKTP.CD": "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_391573.csv",
    "NY.GDP.PCAP.CD": "API_NY.GDP.PCAP.CD_DS2_en_csv_v2_391545.csv",
    "SP.POP.TOTL": "API_SP.POP.TOTL_DS2_en_csv_v2_391465.csv",
    "BX.KLT.DINV.CD.WD": "API_BX.KLT.DINV.CD.WD_DS2_en_csv_v2_390497.csv",
}
CEPII_TO_ISO = {"ROM": "ROU", "ZAR": "COD", "PAL": "PSE", "TMP": "TLS", "YUG": "SRB"}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> tuple[Path, dict]:
    """The default sample (2000-2018, default seed)."""
    out = tmp_path_factory.mktemp("world")
    return out, generate_sample(out, years=FULL_YEARS)


@pytest.fixture(scope="module")
def world_flows(world) -> pl.DataFrame:
    return read_flows(world[0], FULL_YEARS)


@pytest.fixture(scope="module")
def short(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("short")
    return out, generate_sample(out, years=SHORT_YEARS)


def baci_name(year: int) -> str:
    return f"BACI_HS92_Y{year}_V202401b.csv"


def read_flows(root: Path, years) -> pl.DataFrame:
    frames = [pl.read_csv(root / "baci" / baci_name(y), schema_overrides={"k": pl.String, "q": pl.String})
              for y in years]
    return pl.concat(frames).with_columns(
        pl.col("q").str.strip_chars().replace("NA", None).cast(pl.Float64).alias("q"))


def read_wide(path: Path) -> pl.DataFrame:
    lines = path.read_text(encoding="utf-8-sig").splitlines()[4:]
    return pl.read_csv(io.StringIO("\n".join(lines)), infer_schema=False)


def iso_of(root: Path) -> dict[int, str]:
    codes = pl.read_csv(root / "baci" / "country_codes_V202401b.csv")
    return dict(zip(codes["country_code"], codes["country_iso3"]))


def spearman(a: pl.Series, b: pl.Series) -> float:
    return float(np.corrcoef(a.rank().to_numpy(), b.rank().to_numpy())[0, 1])


# --- manifest and layouts ----------------------------------------------------------------------

def test_manifest_lists_every_file_and_sample_volume(world):
    root, manifest = world
    assert manifest["countries"] == 42
    assert 590 <= manifest["products"] <= 610
    assert sorted(manifest["rows_per_year"]) == list(FULL_YEARS)
    assert all(40_000 <= n <= 100_000 for n in manifest["rows_per_year"].values())
    assert len(manifest["files"]) == len(set(manifest["files"])) == 19 + 2 + 4 + 4 + 1 + 1 + 1 + 2 + 5 + 19  # WDI bulk + metadata, services, ICIO, tariffs (one a year)
    assert all((root / f).is_file() for f in manifest["files"])
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert on_disk == set(manifest["files"])
    for year, n in manifest["rows_per_year"].items():
        assert sum(1 for _ in open(root / "baci" / baci_name(year), "rb")) == n + 1


def test_sample_has_icio_tables_for_chapter_3(world, short):
    from tcd_pipeline.sample.generate import ICIO_YEARS
    from tcd_pipeline.sources import scan_inputs

    root, manifest = world
    assert [f for f in manifest["files"] if f.startswith("icio/")] == [f"icio/ICIO2023_{y}.csv" for y in ICIO_YEARS]
    assert sorted(scan_inputs(root).icio) == list(ICIO_YEARS)
    assert not (short[0] / "icio").exists()  # 2000-2004: no ICIO year requested


def test_baci_flow_lines_have_the_published_layout(short):
    root, _ = short
    lines = (root / "baci" / baci_name(2003)).read_text(encoding="ascii").split("\n")
    assert lines[0] == "t,i,j,k,v,q"
    assert lines[-1] == ""  # final newline
    row = re.compile(r"^2003,\d{1,3},\d{1,3},\d{6},\d+\.\d{3},(?P<q> *(\d+\.\d{3}|NA))$")
    for line in lines[1:-1]:
        m = row.match(line)
        assert m, line
        assert len(m["q"]) >= 13 and (len(m["q"]) == 13 or not m["q"].startswith(" ")), line


def test_baci_keys_values_and_codes(short):
    root, _ = short
    flows = read_flows(root, SHORT_YEARS)
    countries = pl.read_csv(root / "baci" / "country_codes_V202401b.csv")
    products = pl.read_csv(root / "baci" / "product_codes_HS92_V202401b.csv", schema_overrides={"code": pl.String})
    assert flows.select("t", "i", "j", "k").is_duplicated().sum() == 0
    assert flows["v"].min() > 0
    assert (flows["i"] != flows["j"]).all()
    assert set(flows["i"]) | set(flows["j"]) <= set(countries["country_code"])
    assert set(flows["k"]) <= set(products["code"])
    assert flows["k"].str.len_chars().unique().to_list() == [6]
    for year in SHORT_YEARS:
        one = flows.filter(pl.col("t") == year).select("i", "j", "k")
        assert one.equals(one.sort("i", "j", "k")), year
    share_missing = flows["q"].is_null().mean()
    assert 0.01 <= share_missing <= 0.03
    assert flows["q"].min() > 0


def test_code_lists_have_the_v2024_layout(world):
    root, _ = world
    lines = (root / "baci" / "country_codes_V202401b.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "country_code,country_name,country_iso2,country_iso3"
    assert len(lines) == 1 + 42
    codes = {row["country_iso3"]: int(row["country_code"]) for row in csv.DictReader(lines)}
    # BACI's own numeric codes, not ISO 3166's (France 250, Norway 578, Switzerland 756, India 356, USA 840)
    assert {k: codes[k] for k in ("FRA", "NOR", "CHE", "IND", "USA", "KAZ")} == {
        "FRA": 251, "NOR": 579, "CHE": 757, "IND": 699, "USA": 842, "KAZ": 398}
    products = (root / "baci" / "product_codes_HS92_V202401b.csv").read_text(encoding="utf-8").splitlines()
    assert products[0] == "code,description"
    assert '010111,"Horses, live pure-bred breeding"' in products
    assert "270900,\"Petroleum oils, oils from bituminous minerals, crude\"" in products
    codes_k = [line.split(",", 1)[0] for line in products[1:]]
    assert all(re.fullmatch(r"\d{6}", c) for c in codes_k) and codes_k == sorted(codes_k)
    assert {section_of(int(c[:2])) for c in codes_k} == set(range(1, 22))  # all 21 HS sections
    assert {"270900", "271111", "271121", "740311", "720241", "284420", "100190"} <= set(codes_k)


def test_wdi_bulk_files_have_the_world_bank_layout(world):
    root, _ = world
    header = ('"Country Name","Country Code","Indicator Name","Indicator Code",'
              + ",".join(f'"{y}"' for y in range(1960, 2025)) + ",")
    for code, name in WDI_FILES.items():
        raw = (root / "wdi" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        lines = raw[3:].decode("utf-8").split("\r\n")
        assert lines[:5] == ['"Data Source","World Development Indicators",', "",
                             '"Last Updated Date","2025-04-15",', "", header]
        assert lines[-1] == "" and all(line.endswith('",') for line in lines[5:-1])
        table = read_wide(root / "wdi" / name)
        assert table.height == 42 + 2
        assert {"WLD", "EUU"} <= set(table["Country Code"]) and set(table["Indicator Code"]) == {code}
        assert (table["1999"] == "").all() and (table["2019"] == "").all()
        assert table["Country Code"].to_list() == sorted(table["Country Code"])


def test_wdi_country_metadata_files_have_the_world_bank_layout(world):
    """One Metadata_Country file beside each bulk file, byte-identical (as in the bulk download); the sample's
    economies carry the World Bank's classification of June 2025, e.g. KAZ Europe & Central Asia, upper
    middle income; RUS high income since July 2024; VNM lower middle income; aggregates have neither."""
    from tcd_pipeline.sample.wdi import metadata_name
    from tcd_pipeline.sources import SourceFile
    from tcd_pipeline.sources.wdi_metadata import read_country_metadata

    root, _ = world
    paths = sorted(root / "wdi" / metadata_name(code) for code in WDI_FILES)  # the first by name is read
    raw = paths[0].read_bytes()
    assert all(p.read_bytes() == raw for p in paths[1:])
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0] == '"Country Code","Region","IncomeGroup","SpecialNotes","TableName",'
    assert lines[-1] == "" and all(line.endswith('",') for line in lines[1:-1])
    metadata = read_country_metadata([SourceFile(p) for p in paths])
    assert metadata.source == SourceFile(paths[0]) and metadata.duplicates == [SourceFile(p) for p in paths[1:]]
    rows = {r["iso3"]: (r["wb_region"], r["income_group"], r["table_name"]) for r in metadata.frame.iter_rows(named=True)}
    assert len(rows) == 42 + 2
    assert rows["KAZ"] == ("Europe & Central Asia", "Upper middle income", "Kazakhstan")
    assert rows["RUS"][1] == "High income" and rows["VNM"][1] == "Lower middle income"
    assert rows["USA"][0] == "North America" and rows["IND"][0] == "South Asia"
    assert rows["WLD"][:2] == rows["EUU"][:2] == (None, None)


def test_derived_income_groups_follow_the_world_bank_thresholds():
    """Economies outside the sample's 42 (larger scales): income group from GDP per capita by the FY2025
    thresholds (low <= 1,145; lower middle <= 4,515; upper middle <= 14,005 USD), region from the continent."""
    from tcd_pipeline.sample.wdi import classification, income_group

    assert [income_group(x) for x in (1145.0, 1145.01, 4515.0, 14005.0, 14005.01)] == [
        "Low income", "Lower middle income", "Lower middle income", "Upper middle income", "High income"]
    assert classification("NGA", "Africa", 2000.0) == ("Sub-Saharan Africa", "Lower middle income")
    assert classification("EGY", "Africa", 3500.0) == ("Middle East & North Africa", "Lower middle income")
    assert classification("KAZ", "Asia", 100.0) == ("Europe & Central Asia", "Upper middle income")  # the real one


def test_wdi_values_consistent_and_plausible(world):
    root, _ = world
    gdp, pc, pop, fdi = (read_wide(root / "wdi" / WDI_FILES[c]) for c in WDI_FILES)
    years = [str(y) for y in FULL_YEARS]
    as_np = lambda t: t.select(years).with_columns(pl.all().replace("", None).cast(pl.Float64)).to_numpy()  # noqa: E731
    assert gdp["Country Code"].equals(pc["Country Code"]) and gdp["Country Code"].equals(pop["Country Code"])
    g, y, p = as_np(gdp), as_np(pc), as_np(pop)
    assert not np.isnan(g).any()
    np.testing.assert_allclose(g, y * p, rtol=1e-12)
    np.testing.assert_array_equal(p, np.round(p))
    kaz = pc["Country Code"].to_list().index("KAZ")
    assert 1000 < y[kaz, 0] < 1500 and 8000 < y[kaz, -1] < 10500  # ~1,200 in 2000, ~9,000 in 2018
    assert y[kaz, years.index("2008")] > y[kaz, years.index("2009")]  # the 2009 oil-price dip
    assert y[kaz, years.index("2013")] > y[kaz, years.index("2016")]  # the 2015-16 fall
    world_row = pc["Country Code"].to_list().index("WLD")
    assert np.all(np.diff(g[world_row]) > -0.1 * g[world_row, :-1])
    f = as_np(fdi)
    ratio = f / g
    assert np.nanmedian(ratio) > 0.005 and np.nanmax(np.abs(ratio)) < 0.5


def test_wdi_long_trade_file(world):
    root, _ = world
    path = root / "wdi" / "wdi_long_trade.csv"
    assert path.read_text(encoding="utf-8").split("\n", 1)[0] == \
        "country_name,iso3,indicator_name,indicator_code,year,value"
    long = pl.read_csv(path)
    assert set(long["indicator_code"]) == {"NE.TRD.GNFS.ZS"} and set(long["indicator_name"]) == {"Trade (% of GDP)"}
    assert long.select("iso3", "year").is_duplicated().sum() == 0
    assert long.filter(pl.col("iso3") == "KAZ").height == len(FULL_YEARS)
    assert set(long["year"]) == set(FULL_YEARS)
    assert long["value"].min() >= 20 and long["value"].max() <= 150


def test_geodist_layout_and_distances(world):
    root, _ = world
    path = root / "geo" / "dist_cepii.csv"
    assert path.read_text(encoding="utf-8").split("\n", 1)[0] == (
        "iso_o,iso_d,contig,comlang_off,comlang_ethno,colony,comcol,curcol,col45,smctry,dist,distcap,distw,distwces")
    geo = pl.read_csv(path)
    assert geo.height == 42 * 42 and geo.select("iso_o", "iso_d").is_duplicated().sum() == 0
    assert "ROM" in set(geo["iso_o"]) and "ROU" not in set(geo["iso_o"])  # CEPII's code, like the real file
    pair = lambda o, d: geo.filter((pl.col("iso_o") == o) & (pl.col("iso_d") == d)).row(0, named=True)  # noqa: E731
    # real GeoDist: KAZ-RUS distcap 2270.788, dist 3104.607; ESP-MEX comlang_off 1, colony 1
    assert pair("KAZ", "RUS")["distcap"] == pytest.approx(2270.788, rel=0.005)
    assert pair("KAZ", "RUS")["dist"] == pytest.approx(3104.607, rel=0.005)
    assert pair("ESP", "MEX")["comlang_off"] == 1.0 and pair("ESP", "MEX")["colony"] == 1.0
    assert pair("KAZ", "KAZ")["dist"] == pytest.approx(620.0156, rel=1e-6)  # internal distance
    assert pair("FRA", "DEU")["distcap"] == pytest.approx(pair("DEU", "FRA")["distcap"])


# --- determinism -------------------------------------------------------------------------------

def test_same_seed_byte_identical_other_seed_different(short, tmp_path):
    root, manifest = short
    again = generate_sample(tmp_path / "again", years=SHORT_YEARS, seed=DEFAULT_SEED)
    assert again == manifest
    for name in manifest["files"]:
        assert (tmp_path / "again" / name).read_bytes() == (root / name).read_bytes(), name
    other = generate_sample(tmp_path / "other", years=[2002], seed=DEFAULT_SEED + 1)
    for name in ("baci/" + baci_name(2002), "truth/planted_quality.csv", "wdi/" + WDI_FILES["NY.GDP.PCAP.CD"]):
        assert (tmp_path / "other" / name).read_bytes() != (root / name).read_bytes(), name
    assert other["rows_per_year"][2002] != manifest["rows_per_year"][2002]


def test_a_year_does_not_depend_on_the_other_years_written(world, short):
    assert (short[0] / "baci" / baci_name(2004)).read_bytes() == (world[0] / "baci" / baci_name(2004)).read_bytes()


def test_zipped_member_is_the_plain_csv(short, tmp_path):
    root, _ = short
    manifest = generate_sample(tmp_path, years=[2003], zipped=True)
    assert "baci/BACI_HS92_Y2003_V202401b.zip" in manifest["files"]
    assert not (tmp_path / "baci" / baci_name(2003)).exists()
    with zipfile.ZipFile(tmp_path / "baci" / "BACI_HS92_Y2003_V202401b.zip") as archive:
        assert archive.namelist() == [baci_name(2003)]
        assert archive.read(baci_name(2003)) == (root / "baci" / baci_name(2003)).read_bytes()
    first = (tmp_path / "baci" / "BACI_HS92_Y2003_V202401b.zip").read_bytes()
    generate_sample(tmp_path, years=[2003], zipped=True)
    assert (tmp_path / "baci" / "BACI_HS92_Y2003_V202401b.zip").read_bytes() == first


# --- realism the later work relies on ----------------------------------------------------------

def test_kazakhstan_is_a_resource_exporter_dominated_by_oil(world_flows):
    flows = world_flows
    kaz = flows.filter(pl.col("i") == 398).group_by("t", "k").agg(pl.col("v").sum())
    kaz = kaz.with_columns((pl.col("v") / pl.col("v").sum().over("t")).alias("share")).sort(
        ["t", "share"], descending=[False, True])
    by_year = kaz.group_by("t", maintain_order=True).agg(
        pl.col("k").first().alias("top"), pl.col("share").head(5).sum().alias("top5"))
    assert by_year["top"].to_list() == ["270900"] * len(FULL_YEARS)
    assert by_year["top5"].min() > 0.60
    oil = flows.filter((pl.col("i") == 398) & (pl.col("k") == "270900")).group_by("t").agg(pl.col("v").sum()).sort("t")
    v = dict(zip(oil["t"], oil["v"]))
    assert v[2008] > v[2009] < v[2011] and v[2013] > v[2016] and v[2008] > 3 * v[2000]  # the oil price cycle


def test_spells_enter_exit_and_reenter(world_flows):
    flows = world_flows.select("i", "j", "k", "t").sort("i", "j", "k", "t")
    gap = (pl.col("t") - pl.col("t").shift(1).over("i", "j", "k")).fill_null(0)
    spells = flows.with_columns((gap != 1).cum_sum().over("i", "j", "k").alias("spell")).group_by(
        "i", "j", "k", "spell").agg(pl.len().alias("duration"), pl.col("t").min().alias("first"),
                                    pl.col("t").max().alias("last"))
    lengths = set(spells["duration"])
    assert lengths == set(range(1, 20))  # every length 1..19
    one_year = spells.filter(pl.col("first") > 2000)["duration"].eq(1).mean()
    assert 0.3 < one_year < 0.7  # many one-year spells
    assert spells.filter(pl.col("first") == 2000).height > 0 and spells.filter(pl.col("last") == 2018).height > 0
    reentered = spells.filter(pl.col("spell") > 1)
    assert reentered.height > 1000  # relations that come back after a gap
    # whole new products for an exporter, in every later year
    first_year = world_flows.group_by("i", "k").agg(pl.col("t").min().alias("first"))
    assert set(first_year["first"]) == set(FULL_YEARS)


def test_planted_quality_covers_traded_pairs_and_is_recoverable(world, world_flows):
    root, _ = world
    truth = pl.read_csv(root / "truth" / "planted_quality.csv", schema_overrides={"hs6": pl.String})
    assert truth.columns == ["exporter_iso3", "hs6", "quality"]
    iso = iso_of(root)
    flows = world_flows.with_columns(
        pl.col("i").replace_strict(iso).alias("exporter_iso3"), pl.col("j").replace_strict(iso).alias("importer"),
        pl.col("k").alias("hs6"))
    traded = flows.select("exporter_iso3", "hs6").unique()
    assert traded.join(truth, on=["exporter_iso3", "hs6"], how="anti").height == 0

    # an estimator in the spirit of Henn et al. (2017): ln uv on product-year effects, exporter
    # ln GDP per capita and ln distance; quality = mean residual of the exporter-product pair
    pc = read_wide(root / "wdi" / WDI_FILES["NY.GDP.PCAP.CD"]).unpivot(
        index="Country Code", on=[str(y) for y in FULL_YEARS], variable_name="t", value_name="y").select(
        pl.col("Country Code").alias("exporter_iso3"), pl.col("t").cast(pl.Int64),
        pl.col("y").cast(pl.Float64).log().alias("ln_y"))
    geo = pl.read_csv(root / "geo" / "dist_cepii.csv").select(
        pl.col("iso_o").replace(CEPII_TO_ISO).alias("exporter_iso3"),
        pl.col("iso_d").replace(CEPII_TO_ISO).alias("importer"), pl.col("distcap").log().alias("ln_d"))
    uv = flows.filter(pl.col("q").is_not_null()).with_columns((pl.col("v") * 1000 / pl.col("q")).log().alias("ln_uv"))
    uv = uv.join(pc, on=["exporter_iso3", "t"]).join(geo, on=["exporter_iso3", "importer"])
    assert uv.height > 0.97 * flows["q"].is_not_null().sum()
    demeaned = uv.with_columns((pl.col(c) - pl.col(c).mean().over("k", "t")).alias(c + "_w")
                               for c in ("ln_uv", "ln_y", "ln_d"))
    x, y = demeaned.select("ln_y_w", "ln_d_w").to_numpy(), demeaned["ln_uv_w"].to_numpy()
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    assert 0.2 < coef[0] < 0.8 and 0.0 < coef[1] < 0.4  # planted beta 0.45, gamma 0.15
    pairs = demeaned.with_columns(pl.Series("res", y - x @ coef)).group_by("exporter_iso3", "hs6").agg(
        pl.col("res").mean().alias("estimate"), pl.col("ln_uv").mean().alias("raw")).join(
        truth, on=["exporter_iso3", "hs6"])
    recovered, raw = spearman(pairs["estimate"], pairs["quality"]), spearman(pairs["raw"], pairs["quality"])
    assert recovered >= 0.8
    assert raw < recovered - 0.3


# --- command line and full scale ---------------------------------------------------------------

def test_parse_years():
    assert parse_years("2000-2003") == [2000, 2001, 2002, 2003]
    assert parse_years("2005") == [2005]
    assert parse_years("2000,2005-2006") == [2000, 2005, 2006]


def test_cli_writes_and_reports(tmp_path, capsys):
    assert cli_main(["--out", str(tmp_path), "--years", "2003", "--zip"]) == 0
    printed = capsys.readouterr().out
    assert "baci/BACI_HS92_Y2003_V202401b.zip" in printed and "flow rows over 1 year(s)" in printed
    with pytest.raises(SystemExit):
        cli_main(["--out", str(tmp_path), "--years", "1990"])


@pytest.mark.skipif(os.environ.get("TCD_SAMPLE_FULL") != "1",
                    reason="full-scale world (~10 million rows, ~20 s, ~2 GB): set TCD_SAMPLE_FULL=1 to run")
def test_full_scale_one_year(tmp_path):
    manifest = generate_sample(tmp_path, scale="full", years=[2005])
    assert manifest["countries"] > 200 and manifest["products"] > 5000
    assert 7_000_000 < manifest["rows_per_year"][2005] < 13_000_000
