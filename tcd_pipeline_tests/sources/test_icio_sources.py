"""Input readers for input-output tables: OECD ICIO CSV (three naming generations), a tiny WIOD
2013 directory, the sample world's ICIO, and hand-written bad files with the messages they give.

The small tables are written in this file from the two-country example worked by hand in
test_tiva.py; the ICIO 2016/2018 spellings follow the OECD mock files in pymrio's tests
(tests/mock_mrios/oecd_mock) and the 2023 spelling the OECD ICIO 2023 ReadMe (TLS, VA, OUT).
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.leontief import SingularLeontiefError, calc_A
from tcd_pipeline.core.tiva import identity_gaps, tiva_indicators
from tcd_pipeline.core.tiva_sectors import dva_growth
from tcd_pipeline.sample.icio import FD_CATEGORIES, INDUSTRIES, write_icio
from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.icio import icio_sources, read_icio, read_sector_map
from tcd_pipeline.sources.wiod import read_wiod_2013
from tcd_pipeline_tests.reference.leontief_explicit import calc_B

# Hand example of test_tiva.py as AUS/NZL x A01_02/C10T12, with TLS 5 per column: VA = x - Z - 5.
LABELS = ["AUS_A01_02", "AUS_C10T12", "NZL_A01_02", "NZL_C10T12"]
Z = np.array([[0, 20, 0, 0], [0, 0, 30, 0], [0, 10, 0, 0], [10, 0, 0, 0]], dtype=float)
Y = np.array([[50, 30], [40, 30], [20, 70], [10, 80]], dtype=float)  # to AUS, to NZL
X = np.full(4, 100.0)
TLS = np.full(4, 5.0)
VA = X - Z.sum(axis=0) - TLS  # 85, 65, 65, 95


def icio_lines(generation: str = "2023") -> list[list[str]]:
    """A valid ICIO grid (list of rows of cells) in one naming generation.

    Final demand of each cell: HFCE = Y - 1, GFCF = 3, INVNT = -2 (a negative inventory change),
    the other categories 0, so every destination's categories still sum to Y.
    """
    cats = {"2023": ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"),
            "2018": ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33"),
            "2016": ("HFCE", "NPS", "GGFC", "GFCF", "INV", "DIRP")}[generation]
    fd_labels = [f"{c}_{k}" if generation != "2016" else f"{k}_{c}" for c in ("AUS", "NZL") for k in cats]
    total = {"2023": "OUT", "2018": "TOTAL", "2016": "OUT"}[generation]
    rows = [[""] + LABELS + fd_labels + [total]]
    for i, label in enumerate(LABELS):
        fd = []
        for c in range(2):
            parts = {cats[0]: Y[i, c] - 1, cats[3]: 3.0, cats[4]: -2.0}
            fd += [parts.get(k, 0.0) for k in cats]
        rows.append([label] + list(Z[i]) + fd + [X[i]])
    empty_fd = [0.0] * len(fd_labels)
    if generation == "2023":
        rows += [["TLS"] + list(TLS) + empty_fd + [TLS.sum()], ["VA"] + list(VA) + empty_fd + [VA.sum()]]
    elif generation == "2018":  # taxes split by country of the tax: AUS_TAXSUB 3 + NZL_TAXSUB 2
        rows += [["AUS_TAXSUB"] + [3.0] * 4 + empty_fd + [12.0], ["NZL_TAXSUB"] + [2.0] * 4 + empty_fd + [8.0],
                 ["VALU"] + list(VA) + empty_fd + [VA.sum()]]
    else:  # 2016: value added including taxes in one row
        rows += [["VA+TAXSUB"] + list(VA + TLS) + empty_fd + [(VA + TLS).sum()]]
    rows.append([{"2023": "OUT", "2018": "OUTPUT", "2016": "OUT"}[generation]] + list(X) + empty_fd + [X.sum()])
    return [[c if isinstance(c, str) else f"{c:g}" for c in row] for row in rows]


def write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(f'"{c}"' if c == "" else c for c in row) for row in rows) + "\n")
    return path


@pytest.mark.parametrize("generation", ["2023", "2018", "2016"])
def test_every_naming_generation_reads_the_same_table(tmp_path, generation):
    tab = read_icio(write(tmp_path / f"ICIO{generation}_2018.csv", icio_lines(generation)))
    assert (tab.year, tab.regions, tab.industries, tab.countries) == (2018, ("AUS", "NZL"), ("A01_02", "C10T12"),
                                                                      ("AUS", "NZL"))
    assert tab.source == f"OECD ICIO{generation} (ICIO{generation}_2018.csv)"
    np.testing.assert_array_equal(tab.Z, Z)
    np.testing.assert_array_equal(tab.Y, Y)  # six categories summed per destination, INVNT -2 included
    np.testing.assert_array_equal(tab.x, X)
    if generation == "2016":  # one row for VA and taxes
        np.testing.assert_array_equal(tab.va + tab.tls, VA + TLS)
    else:
        np.testing.assert_array_equal(tab.tls, TLS)  # 2018: AUS_TAXSUB + NZL_TAXSUB
        np.testing.assert_array_equal(tab.va, VA)
    A = calc_A(tab.Z, tab.x)
    np.testing.assert_allclose(calc_B(A) @ (np.eye(4) - A), np.eye(4), atol=1e-12)
    res = tiva_indicators(tab)
    assert identity_gaps(res)["gap_total"].abs().max() < 1e-12
    # the hand computation of test_tiva.py: AUS_A01_02 exports 30 with DVA 27, AUS_C10T12 60 with 54.432990
    aus = res.indicators.filter(pl.col("country") == "AUS")
    np.testing.assert_allclose(aus["exgr_dva"].to_numpy(), [27, .88 / .97 * 60], rtol=1e-12)


def test_compressed_and_zipped_files(tmp_path):
    rows = icio_lines()
    text = "\n".join(",".join(r) for r in rows) + "\n"
    gz = tmp_path / "ICIO2023_2016.csv.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    with zipfile.ZipFile(tmp_path / "ICIO2023_2017-2018.zip", "w") as archive:
        archive.writestr("ICIO2023_2017.csv", text)
        archive.writestr("ICIO2023_2018.csv", text)
    sources = icio_sources(tmp_path)
    assert list(sources) == [2016, 2017, 2018]
    assert sources[2017] == SourceFile(tmp_path / "ICIO2023_2017-2018.zip", "ICIO2023_2017.csv")
    for year, src in sources.items():
        assert read_icio(src).year == year
    assert read_icio(write(tmp_path / "table.csv", rows), year=2010).year == 2010
    with pytest.raises(InputFileError, match="no year in the file name"):
        read_icio(tmp_path / "table.csv")


def test_output_choice(tmp_path):
    rows = icio_lines()
    rows[1][-1] = "100.004"  # within the default tolerance (0.01 + 1e-6 x output)
    path = write(tmp_path / "ICIO2023_2018.csv", rows)
    assert read_icio(path).x[0] == 100.004
    assert read_icio(path, output="row_sums").x[0] == 100.0
    assert read_icio(path, output="row_sums").notes[0] == "x = row sums of Z and final demand"


def _mutated(tmp_path: Path, change) -> Path:
    rows = icio_lines()
    change(rows)
    return write(tmp_path / "ICIO2023_2018.csv", rows)


BAD = {
    "non-square": (lambda r: [row.pop(4) for row in r],
                   r"intermediate block is not square: 4 rows x 3 columns \(labels on one side only: NZL_C10T12\)"),
    "bad row label": (lambda r: r[2].__setitem__(0, "AUS-C10T12"),
                      r"bad row label 'AUS-C10T12' \(line 3\)"),
    "unknown column": (lambda r: r[0].__setitem__(5, "Foo"), r"unknown column label 'Foo' \(column 6\)"),
    "inconsistent labels": (lambda r: (r[0].__setitem__(1, "AUS_C10T12"), r[0].__setitem__(2, "AUS_A01_02")),
                            r"inconsistent labels: row 1 of the intermediate block is 'AUS_A01_02' \(line 2\) "
                            r"but column 1 is 'AUS_C10T12'"),
    "regions list different industries": (
        lambda r: (r[0].__setitem__(4, "NZL_C29"), r[4].__setitem__(0, "NZL_C29")),
        r"inconsistent labels: region NZL does not list the industries of AUS in the same order \(at NZL_C29\)"),
    "negative output": (lambda r: r[4].__setitem__(-1, "-5"), r"negative output in rows NZL_C10T12 \(-5\)"),
    "output is not the row sum": (
        lambda r: r[1].__setitem__(-1, "101"),
        r"output differs from the row sum of Z and final demand by more than 0.01 \+ 1e-06 x output in 1 rows: "
        r"AUS_A01_02 \(output 101, row sum 100\)"),
    "output row is not the column sum": (
        lambda r: r[6].__setitem__(2, "66"),
        r"output row differs from the column sums of Z, TLS and VA in 1 columns: "
        r"AUS_C10T12 \(OUT row 100, Z \+ TLS \+ VA 101\)"),
    "non-numeric cell": (lambda r: r[2].__setitem__(3, "abc"),
                         r"non-numeric cell 'abc' in row 'AUS_C10T12' \(line 3\), column 'NZL_A01_02'"),
    "duplicate column": (lambda r: r[0].__setitem__(6, "AUS_HFCE"),
                         r"column label 'AUS_HFCE' appears twice \(second time in column 7\)"),
    "no final demand": (lambda r: [row.__delitem__(slice(5, 17)) for row in r],
                        r"no final-demand columns \(CCC_HFCE, CCC_GFCF, ...\)"),
    "wrong delimiter": (lambda r: r.__setitem__(0, [";".join(r[0])]), r"the header has 1 column\(s\) \(wrong delimiter"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_name_file_and_cell(tmp_path, case):
    change, message = BAD[case]
    path = _mutated(tmp_path, change)
    with pytest.raises(InputFileError, match=message) as err:
        read_icio(path)
    assert str(err.value).startswith(str(path))


def test_singular_table_is_read_then_refused(tmp_path):
    # AUS_C10T12 sells its whole output (100) to itself and nothing else: its row of I - A is zero.
    # It no longer sells 30 to NZL_A01_02, whose VA becomes 100 - 0 - 5 = 95; AUS_C10T12 buys
    # 20 + 100 + 10 = 130 of inputs and pays TLS 5, so its VA is 100 - 135 = -35 (the file balances).
    def change(r):
        r[2][1:5] = ["0", "100", "0", "0"]
        r[2][5:17] = ["0"] * 12
        r[6][2], r[6][3] = "-35", "95"

    tab = read_icio(_mutated(tmp_path, change))
    with pytest.raises(SingularLeontiefError, match=r"ICIO2023_2018.csv\), 2018: I - A is singular") as err:
        tiva_indicators(tab)
    assert "zero rows of I - A: AUS_C10T12" in str(err.value)
    assert "input coefficients sum to >= 1: AUS_C10T12" in str(err.value)


# --------------------------------------------------------------------------- the sample ICIO
@pytest.fixture(scope="module")
def sample_icio(tmp_path_factory) -> list[Path]:
    return write_icio(tmp_path_factory.mktemp("icio"), years=[2005, 2018])


def test_sample_icio_layout(sample_icio):
    assert [p.name for p in sample_icio] == ["ICIO2023_2005.csv", "ICIO2023_2018.csv"]
    header = sample_icio[0].read_text().split("\n", 1)[0].split(",")
    labels = pl.read_csv(sample_icio[0], columns=[0])[:, 0].to_list()
    assert header[0] == '""' and header[-1] == "OUT" and labels[-3:] == ["TLS", "VA", "OUT"]
    regions = list(dict.fromkeys(lab.split("_", 1)[0] for lab in labels[:-3]))
    assert regions[-5:] == ["ROW", "CN1", "CN2", "MX1", "MX2"] and "CHN" in regions and "MEX" in regions
    assert len(regions) == 47 and len(labels) == 47 * 20 + 3
    assert [lab.split("_", 1)[1] for lab in labels[:20]] == list(INDUSTRIES)
    assert header[1 + 940: 1 + 946] == [f"ARE_{k}" for k in FD_CATEGORIES]
    frame = pl.read_csv(sample_icio[0])
    invnt = frame.select(pl.col("^.*_INVNT$")).head(940).to_numpy()
    assert (invnt < 0).sum() > 1000  # negative inventory changes, as in the real tables
    chn = frame.filter(pl.col("").str.starts_with("CHN_") | pl.col("").str.starts_with("MEX_"))
    assert chn.height == 40 and (chn.select(pl.exclude("")).to_numpy() == 0).all()  # empty blocks


def test_sample_icio_reads_and_balances(sample_icio):
    for path in sample_icio:
        tab = read_icio(path)
        assert tab.countries[-1] == "ROW" and "CN1" not in tab.countries and len(tab.countries) == 43
        assert dict(zip(tab.regions, tab.region_country))["CN2"] == "CHN"
        A = calc_A(tab.Z, tab.x)
        assert A.sum(axis=0).max() < 0.9  # productive
        np.testing.assert_allclose(calc_B(A) @ (np.eye(tab.size) - A), np.eye(tab.size), atol=1e-9)
        assert (tab.va[tab.x > 0] > 0).all()
        res = tiva_indicators(read_icio(path, output="row_sums"))
        gaps = identity_gaps(res)
        assert gaps["gap_total"].abs().max() < 1e-9 and gaps["gap_dva"].abs().max() < 1e-9
        ind = res.indicators
        np.testing.assert_allclose((ind["dfd_dva"] + ind["ffd_dva"]).to_numpy(), ind["va"].to_numpy(),
                                   rtol=1e-9, atol=1e-6)


def test_sample_icio_kazakhstan_is_mining_heavy_and_upstream(sample_icio):
    for path in sample_icio:
        res = tiva_indicators(read_icio(path))
        kaz = res.indicators.filter(pl.col("country") == "KAZ")
        mining = kaz.filter(pl.col("industry").str.starts_with("B"))
        assert 0.15 < mining["va"].sum() / kaz["va"].sum() < 0.40
        assert mining["exgr"].sum() / kaz["exgr"].sum() > 0.4
        part = res.participation.sort("forward", descending=True)
        assert "KAZ" in part["country"].head(5).to_list()  # among the highest forward participation
        k = part.filter(pl.col("country") == "KAZ").row(0, named=True)
        assert k["forward"] > k["backward"] and k["position"] > 0
        assert part["backward"].is_between(0.0, 0.6).all()


def test_sample_icio_deterministic(tmp_path, sample_icio):
    again = write_icio(tmp_path / "a", years=[2018])
    assert again[0].read_bytes() == sample_icio[1].read_bytes()
    other = write_icio(tmp_path / "b", years=[2018], seed=1)
    assert other[0].read_bytes() != again[0].read_bytes()
    small = write_icio(tmp_path / "c", years=[2010], countries=["KAZ", "RUS", "CHN"])
    tab = read_icio(small[0])
    assert tab.regions == ("CHN", "KAZ", "RUS", "ROW", "CN1", "CN2") and tab.countries == ("CHN", "KAZ", "RUS", "ROW")
    with pytest.raises(ValueError, match="years must be within"):
        write_icio(tmp_path / "d", years=[1990])


def test_sector_map_and_dva_growth_on_sample(sample_icio):
    sectors = read_sector_map("oecd_icio")
    assert set(INDUSTRIES) <= set(sectors["industry"].to_list())
    icio2023 = ["A01_02", "A03", "B05_06", "B07_08", "B09", "C10T12", "C13T15", "C16", "C17_18", "C19", "C20", "C21",
                "C22", "C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30", "C31T33", "D", "E", "F", "G", "H49",
                "H50", "H51", "H52", "H53", "I", "J58T60", "J61", "J62_63", "K", "L", "M", "N", "O", "P", "Q", "R",
                "S", "T"]  # the 45 industries of the OECD ICIO 2023 ReadMe
    assert set(icio2023) <= set(sectors["industry"].to_list())
    frames = pl.concat([tiva_indicators(read_icio(p)).indicators for p in sample_icio])
    growth = dva_growth(frames, sectors, 2005, 2018, level="subsector")
    kaz = growth.filter(pl.col("country") == "KAZ")
    assert kaz["contribution"].sum() == pytest.approx(100.0)
    assert kaz["contribution_pp"].sum() == pytest.approx(100 * (kaz["total_end"][0] / kaz["total_start"][0] - 1))
    with pytest.raises(InputFileError, match="no industries for classification 'nace'"):
        read_sector_map("nace")


# --------------------------------------------------------------------------- a tiny WIOD directory
def wiod_dir(tmp_path: Path, cells: list[tuple[str, int, int, int]], output: list[int], year: int = 2000) -> Path:
    """WIOD 2013 staging layout for countries ROM and RoW x industries c1, c2."""
    pl.DataFrame({"row": range(4), "country": ["ROM", "ROM", "RoW", "RoW"], "industry": ["c1", "c2"] * 2}).write_csv(
        tmp_path / "labels_rows.csv")
    uses = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]
    pl.DataFrame({"col": range(10), "country": ["ROM"] * 5 + ["RoW"] * 5, "use": uses * 2}).write_csv(
        tmp_path / "labels_final_cols.csv")
    block, row, col, value = zip(*cells)
    pl.DataFrame({"block": block, "row": row, "col": col, "value": value},
                 schema={"block": pl.Categorical, "row": pl.Int16, "col": pl.Int16, "value": pl.Int32}).write_parquet(
        tmp_path / f"wiot{year}_ZF_long.parquet")
    pl.DataFrame({"year": [year] * 4, "row": range(4), "output": output},
                 schema={"year": pl.Int64, "row": pl.Int16, "output": pl.Int64}).write_parquet(
        tmp_path / "wiot_output_1995_2011.parquet")
    return tmp_path


# hand example again (ROU = H, ROW = F); final demand split: HFCE = Y - 2, GFCF 3, INVEN -1
WIOD_CELLS = [("Z", 0, 1, 20), ("Z", 1, 2, 30), ("Z", 2, 1, 10), ("Z", 3, 0, 10)] + [
    ("F", i, 5 * c + k, v) for i in range(4) for c in range(2)
    for k, v in ((0, int(Y[i, c]) - 2), (3, 3), (4, -1))]


def test_wiod_2013_reader(tmp_path):
    tab = read_wiod_2013(wiod_dir(tmp_path, WIOD_CELLS, [100, 100, 100, 100]), 2000)
    assert tab.regions == ("ROU", "ROW") and tab.industries == ("c1", "c2")
    A = calc_A(tab.Z, tab.x)
    np.testing.assert_allclose(calc_B(A) @ (np.eye(4) - A), np.eye(4), atol=1e-12)
    assert identity_gaps(tiva_indicators(tab))["gap_total"].abs().max() < 1e-12
    np.testing.assert_array_equal(tab.Z, Z)
    np.testing.assert_array_equal(tab.Y, Y)
    np.testing.assert_array_equal(tab.va, X - Z.sum(axis=0))
    assert tiva_indicators(tab).indicators["exgr_dva"][0] == pytest.approx(27.0)


def test_wiod_2013_output_choices_and_empty_rows(tmp_path):
    # published output 101 for ROU c1 (within the rounding bound of 0.5 x 14 columns = 7)
    tab = read_wiod_2013(wiod_dir(tmp_path, WIOD_CELLS, [101, 100, 100, 100]), 2000)
    assert tab.x[0] == 101 and tab.va[0] == 101 - 10
    rs = read_wiod_2013(tmp_path, 2000, output="row_sums")
    assert rs.x[0] == 100
    # ROW c2 with zero published output keeps an inventory change of -1: cleared, not an export
    cells = [c for c in WIOD_CELLS if c[1] != 3] + [("F", 3, 4, -1)]
    tab = read_wiod_2013(wiod_dir(tmp_path, cells, [100, 100, 100, 0]), 2000)
    assert tab.Y[3].sum() == 0 and "cleared the cells of 1 rows with zero published output: ROW_c2" in tab.notes


@pytest.mark.parametrize("case, output, cells, message", [
    ("negative", [100, 100, 100, -3], WIOD_CELLS, r"negative output in rows ROW_c2 \(-3\)"),
    ("off", [100, 120, 100, 100], WIOD_CELLS,
     r"published output differs from the row sum .* by more than 7 \(rounding bound\) in 1 rows: ROU_c2"),
    ("twice", [100] * 4, WIOD_CELLS + [("Z", 0, 1, 5)], r"block Z: cell \(row 0, col 1\) stored twice"),
    ("outside", [100] * 4, WIOD_CELLS + [("F", 0, 12, 5)], r"block F: cell \(row 0, col 12\) is outside 4 x 10"),
])
def test_wiod_2013_bad_files(tmp_path, case, output, cells, message):
    folder = wiod_dir(tmp_path, cells, output)
    with pytest.raises(InputFileError, match=message) as err:
        read_wiod_2013(folder, 2000)
    assert str(tmp_path) in str(err.value)


def test_wiod_2013_labels_must_be_contiguous(tmp_path):
    folder = wiod_dir(tmp_path, WIOD_CELLS, [100] * 4)
    pl.DataFrame({"row": range(4), "country": ["ROM", "RoW", "ROM", "RoW"], "industry": ["c1", "c1", "c2", "c2"]}
                 ).write_csv(folder / "labels_rows.csv")
    with pytest.raises(InputFileError, match=r"labels_rows.csv: inconsistent labels: rows of ROM are not contiguous"):
        read_wiod_2013(folder, 2000)
