"""Services trade (Table 3): the UNCTADstat-layout reader, the sample writer and services_growth.

Layout reference: UNCTADstat bulk file US_TradeServCatTotal.csv ("Services (BPM6): Exports and
imports by service-category, trading partner world, annual"), columns Year, Economy, Economy
Label, Flow, Flow Label, Category, Category Label, "US$ at current prices in millions" (+ its
Footnote and Missing value columns); values in the test are hand computations.
"""

from __future__ import annotations

import polars as pl
import pytest

from tcd_pipeline.core.growth import services_growth
from tcd_pipeline.sample.services import HEADER, write_services
from tcd_pipeline.sources.files import InputFileError
from tcd_pipeline.sources.services import read_services

HEAD = ",".join(HEADER) + "\n"


@pytest.fixture(scope="module")
def services_file(tmp_path_factory):
    return write_services(tmp_path_factory.mktemp("services"))


def test_writer_layout_and_determinism(services_file, tmp_path):
    first = services_file.read_text(encoding="utf-8").splitlines()
    assert first[0] == ",".join(HEADER)
    assert services_file.name == "US_TradeServCatTotal.csv" and services_file.parent.name == "services"
    again = write_services(tmp_path)
    assert again.read_bytes() == services_file.read_bytes()
    other = write_services(tmp_path / "other", seed=1)
    assert other.read_bytes() != services_file.read_bytes()


def test_reader_on_the_sample(services_file):
    s = read_services(services_file)
    assert set(s["flow"].unique()) == {"exports", "imports"}
    assert s["year"].min() == 2005 and s["year"].max() == 2018
    assert s["iso3"].null_count() == 0 and "World" not in s["economy_label"].to_list()
    assert s.filter(pl.col("iso3") == "KAZ")["economy"].unique().to_list() == ["398"]
    assert set(s["category"].unique()) == {"S", *[f"S{c}" for c in "ABCDEFGHIJKL"]}
    # S is the sum of the 12 items where none is missing (each written with 3 decimals, in millions)
    wide = s.group_by("iso3", "year", "flow").agg(
        pl.col("value_usd").filter(pl.col("category") == "S").first().alias("total"),
        pl.col("value_usd").filter(pl.col("category") != "S").sum().alias("items"),
        pl.col("value_usd").filter(pl.col("category") != "S").null_count().alias("missing"))
    complete = wide.filter(pl.col("missing") == 0)
    assert complete.height > 0.5 * wide.height
    assert ((complete["total"] - complete["items"]).abs() <= 12 * 0.0005e6 + 1e-3).all()
    assert s["value_usd"].null_count() > 0  # some items are published as missing
    world = read_services(services_file, keep_groups=True).filter(pl.col("economy") == "0000")
    assert world.height > 0 and world["iso3"].null_count() == world.height


def tiny(rows: list[str]) -> str:
    return HEAD + "".join(r + "\n" for r in rows)


def test_reader_converts_millions_and_names_bad_lines(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(tiny(['2018,398,"Kazakhstan",02,"Exports",S,"Services",1234.5,,',
                          '2018,398,"Kazakhstan",02,"Exports",SC,"Transport",,,"Not available"',
                          '2018,0000,"World",02,"Exports",S,"Services",9.0,,']))
    s = read_services(good)
    assert s.height == 2 and s["value_usd"].to_list() == [1234.5e6, None] and s["iso3"][0] == "KAZ"
    for name, row, message in [
        ("value.csv", '2018,398,"Kazakhstan",02,"Exports",S,"Services",12x,,', r"line 2: value '12x'"),
        ("flow.csv", '2018,398,"Kazakhstan",03,"Re-exports",S,"Services",1,,', r"line 2: flow '03'"),
        ("year.csv", 'y2018,398,"Kazakhstan",02,"Exports",S,"Services",1,,', r"line 2: year 'y2018'"),
    ]:
        path = tmp_path / name
        path.write_text(tiny([row]))
        with pytest.raises(InputFileError, match=f"{name}: {message}"):
            read_services(path)
    dup = tmp_path / "dup.csv"
    dup.write_text(tiny(['2018,398,"Kazakhstan",02,"Exports",S,"Services",1,,'] * 2))
    with pytest.raises(InputFileError, match="appears more than once"):
        read_services(dup)
    short = tmp_path / "short.csv"
    short.write_text("Year,Economy,Flow\n2018,398,02\n")
    with pytest.raises(InputFileError, match="short.csv: missing columns"):
        read_services(short)


def test_services_growth_hand_computed():
    # KAZ exports: S 100 -> 150 (2010 -> 2015); transport 40 -> 90, travel 20 -> 30, one item missing
    rows = [("KAZ", 2010, "exports", "S", "Services", 100.0), ("KAZ", 2015, "exports", "S", "Services", 150.0),
            ("KAZ", 2010, "exports", "SC", "Transport", 40.0), ("KAZ", 2015, "exports", "SC", "Transport", 90.0),
            ("KAZ", 2010, "exports", "SD", "Travel", 20.0), ("KAZ", 2015, "exports", "SD", "Travel", 30.0),
            ("KAZ", 2010, "exports", "SJ", "Other business services", None),
            ("KAZ", 2015, "exports", "SJ", "Other business services", 25.0),
            ("KAZ", 2015, "exports", "SOX", "Other services", 99.0),  # an aggregate: not a row
            ("KAZ", 2015, "imports", "S", "Services", 500.0)]
    s = pl.DataFrame(rows, schema=["iso3", "year", "flow", "category", "category_label", "value_usd"], orient="row")
    out = {r["category_label"]: r for r in services_growth(s, [2010, 2015]).iter_rows(named=True)}
    assert set(out) == {"Transport", "Travel", "Other business services", "Total"}
    # shares of the published total S: 40/100 = 40 %, 90/150 = 60 %
    assert (out["Transport"]["share_2010"], out["Transport"]["share_2015"]) == (40.0, 60.0)
    # CAGR transport = (90/40)^(1/5) - 1 = 17.61 %; total = (150/100)^(1/5) - 1 = 8.45 %
    assert out["Transport"]["cagr_2010_2015"] == pytest.approx(((90 / 40) ** 0.2 - 1) * 100)
    assert out["Total"]["value_2015"] == 150.0
    assert out["Total"]["cagr_2010_2015"] == pytest.approx((1.5**0.2 - 1) * 100)
    assert out["Other business services"]["value_2010"] is None  # missing stays missing
    assert out["Other business services"]["cagr_2010_2015"] is None


def test_services_growth_on_the_sample(services_file):
    table = services_growth(read_services(services_file), [2005, 2012, 2018])
    assert table.filter(pl.col("category_label") == "Total")["share_2018"].to_list() == [100.0] * table["iso3"].n_unique()
    body = table.filter(pl.col("category_label") != "Total")
    sums = body.group_by("iso3").agg(pl.col("share_2018").sum())
    assert (sums["share_2018"] <= 100.0 + 1e-3).all()  # missing items make some sums fall short (rounding aside)
