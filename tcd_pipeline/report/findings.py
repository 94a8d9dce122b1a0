"""Key findings: short sentences per margin, built from the report's frames (pure functions, no I/O).

Each sentence states a number read from a report table: the focus country's rank among itself and its
comparators (1 = highest), the direction of change over the period the table covers, and the largest movers.
Frames use the report tables' columns (``country``, ``role``, ``year`` ...); a finding whose frame is empty or
lacks the rows it needs is left out.
"""

from __future__ import annotations

import polars as pl

from tcd_pipeline.report.spec import Report


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_in_year(frame: pl.DataFrame, value: str, focus: str, year: int | None = None) -> tuple[int, int, int] | None:
    """(rank of ``focus`` by ``value``, 1 = highest; number of countries ranked; year) in ``year`` or the latest
    year in which the focus has a value."""
    if frame.is_empty() or value not in frame.columns:
        return None
    rows = frame.drop_nulls(value)
    if year is None:
        mine = rows.filter(pl.col("country") == focus)
        if mine.is_empty():
            return None
        year = int(mine["year"].max())
    rows = rows.filter(pl.col("year") == year).sort(value, descending=True)
    names = rows["country"].to_list()
    if focus not in names:
        return None
    return names.index(focus) + 1, len(names), year


def first_last(frame: pl.DataFrame, value: str, country: str) -> tuple[int, float, int, float] | None:
    """(first year, its value, last year, its value) of ``country``'s non-null series."""
    if frame.is_empty() or value not in frame.columns:
        return None
    rows = frame.filter(pl.col("country") == country).drop_nulls(value).sort("year")
    if rows.height < 2:
        return None
    return int(rows["year"][0]), float(rows[value][0]), int(rows["year"][-1]), float(rows[value][-1])


def _direction(a: float, b: float, tol: float = 1e-9) -> str:
    return "rose" if b > a + tol else "fell" if b < a - tol else "was unchanged"


def trend_sentence(frame: pl.DataFrame, value: str, focus: str, name: str, what: str, unit: str = "",
                   digits: int = 1) -> list[str]:
    """'<name>: <what> rose from X in Y0 to Z in Y1, the <k-th> highest of the N countries compared in Y1.'"""
    span = first_last(frame, value, focus)
    rank = rank_in_year(frame, value, focus)
    if span is None:
        return []
    y0, v0, y1, v1 = span
    text = (f"{name}: {what} {_direction(v0, v1)} from {v0:,.{digits}f}{unit} in {y0} "
            f"to {v1:,.{digits}f}{unit} in {y1}")
    if rank and rank[1] > 1:
        k, n = rank[0], rank[1]
        place = "the highest" if k == 1 else "the lowest" if k == n else f"the {ordinal(k)} highest"
        text += f", {place} of the {n} countries compared in {rank[2]}"
    return [text + "."]


def openness_sentence(frame: pl.DataFrame, focus: str, name: str) -> list[str]:
    """Figure 2: 'In Y, <name> traded X% of GDP, Z points less than expected given its income and
    population (the k-th percentile of the N countries of the regression).'"""
    row = frame.filter(pl.col("country") == focus) if "openness_residual_pp" in frame.columns else frame.clear()
    if row.is_empty():
        return []
    r = row.row(0, named=True)
    gap = r["openness_residual_pp"]
    side = "less" if gap < 0 else "more"
    return [f"In {r['year']}, {name} traded {r['trade_pct_gdp']:.0f}% of GDP, {abs(gap):.0f} percentage points "
            f"{side} than expected given its GDP per capita and population (the {ordinal(round(r['openness_percentile']))} "
            f"percentile of the {r['openness_fit_countries']} countries of the regression)."]


def growth_table_sentences(frame: pl.DataFrame, key: str, what: str, total: str = "Total",
                           noun: str = "sector") -> list[str]:
    """Tables 1-3: the total's CAGR in both periods, the largest share in the last year, the fastest grower."""
    if frame.is_empty():
        return []
    out = []
    tot = frame.filter(pl.col(key) == total)
    if not tot.is_empty():
        r = tot.row(0, named=True)
        if r["cagr_1_pct"] is not None and r["cagr_2_pct"] is not None:
            out.append(f"{what} grew {r['cagr_1_pct']:.1f}% a year in {r['period_1']} and "
                       f"{r['cagr_2_pct']:.1f}% a year in {r['period_2']}.")
    rest = frame.filter(pl.col(key) != total)
    label = "category_label" if "category_label" in frame.columns else key
    top = rest.drop_nulls("share_3_pct").sort("share_3_pct", descending=True)
    if not top.is_empty():
        r = top.row(0, named=True)
        out.append(f"{r[label]} was the largest {noun}, {r['share_3_pct']:.1f}% of the total in {r['year_3']} "
                   f"({r['share_1_pct'] or 0:.1f}% in {r['year_1']}).")
    fast = rest.drop_nulls("cagr_2_pct").sort("cagr_2_pct", descending=True)
    if fast.height > 1:
        a, z = fast.row(0, named=True), fast.row(-1, named=True)
        out.append(f"In {a['period_2']} {a[label]} grew fastest ({a['cagr_2_pct']:.1f}% a year) and "
                   f"{z[label]} slowest ({z['cagr_2_pct']:.1f}%).")
    return out


def margins_sentences(frame: pl.DataFrame, focus: str, name: str) -> list[str]:
    """Export margins: the intensive margin's and the new products' shares of growth, extinction."""
    mine = frame.filter(pl.col("country") == focus) if not frame.is_empty() else frame
    if mine.is_empty():
        return []
    share = dict(zip(mine["component"].to_list(), mine["share_of_growth_pct"].to_list(), strict=True))
    new = sum(share.get(c) or 0.0 for c in ("new_product_old_market", "new_product_new_market"))
    y0, y1 = int(mine["year_start"][0]), int(mine["year_end"][0])
    return [f"Of the change in {name}'s exports over {y0}-{y1}, {share.get('intensive') or 0:.1f}% came from "
            f"existing products in existing markets, {new:.1f}% from new products, and extinction of "
            f"relationships subtracted {-(share.get('extinction') or 0):.1f}%."]


def survival_sentences(summary: pl.DataFrame, focus: str, name: str) -> list[str]:
    if summary.is_empty():
        return []
    rows = summary.filter(pl.col("group_type") == "exporter")
    mine = rows.filter(pl.col("country") == focus)
    if mine.is_empty():
        return []
    r = mine.row(0, named=True)
    out = [f"{r['survival_1'] * 100:.0f}% of {name}'s export relationships survive their first year and "
           f"{(r['survival_10'] or 0) * 100:.0f}% reach ten years (median duration {r['median_duration']:.0f} "
           f"years)."]
    others = rows.filter(pl.col("country") != focus).drop_nulls("survival_1")
    if not others.is_empty():
        med = float(others["survival_1"].median())
        word = "above" if r["survival_1"] > med else "below" if r["survival_1"] < med else "at"
        out.append(f"First-year survival is {word} the comparators' median ({med * 100:.0f}%).")
    groups = summary.filter((pl.col("group_type") == "exporter_sector") & (pl.col("country") == focus))
    groups = groups.drop_nulls("survival_5").sort("survival_5", descending=True)
    if groups.height > 1:
        a, z = groups.row(0, named=True), groups.row(-1, named=True)
        out.append(f"By sector, five-year survival is highest in {a['group_label']} ({a['survival_5'] * 100:.0f}%)"
                   f" and lowest in {z['group_label']} ({z['survival_5'] * 100:.0f}%).")
    return out


def logrank_sentences(frame: pl.DataFrame, alpha: float = 0.05) -> list[str]:
    if frame.is_empty():
        return []
    ba = frame.filter(pl.col("test") == "before_after")
    if ba.is_empty():
        return []
    p = float(ba["p_value"][0])
    verdict = "differs significantly" if p < alpha else "does not differ significantly"
    return [f"Survival of relationships started before and after the event year {verdict} "
            f"(log-rank p = {p:.3f})."]


def dva_sentences(table4: pl.DataFrame, comparators: pl.DataFrame, focus: str, name: str) -> list[str]:
    out = []
    if not table4.is_empty():
        tot = table4.filter(pl.col("sector") == "Total")
        rest = table4.filter(pl.col("sector") != "Total").drop_nulls("contribution_pct")
        if not tot.is_empty() and not rest.is_empty():
            t = tot.row(0, named=True)
            top = rest.sort("contribution_pct", descending=True).row(0, named=True)
            out.append(f"Domestic value added in {name}'s exports grew {t['cagr_pct']:.1f}% a year in "
                       f"{t['year_start']}-{t['year_end']}; {top['sector']} contributed the most "
                       f"({top['contribution_pct']:.1f}% of the change).")
    if not comparators.is_empty() and comparators.height > 1:
        ranked = comparators.drop_nulls("cagr_pct").sort("cagr_pct", descending=True)["country"].to_list()
        if focus in ranked:
            out.append(f"That growth ranks {ordinal(ranked.index(focus) + 1)} of the {len(ranked)} "
                       f"countries compared.")
    return out


def key_findings(report: Report) -> dict[str, list[str]]:
    """Section id -> sentences, from the report's frames."""
    t, f = report.tables, report.focus
    name = report.names.get(f, f)
    empty = pl.DataFrame()
    get = lambda k: t.get(k, empty)  # noqa: E731
    return {
        "orientation": (openness_sentence(get("fig02_openness_vs_income"), f, name)
                        + trend_sentence(get("fig01_trade_openness"), "trade_pct_gdp", f, name,
                                         "trade openness (% of GDP)")
                        + growth_table_sentences(get("table1_exports_by_sector"), "sector", "Goods exports")
                        + growth_table_sentences(get("table2_exports_by_region"), "region", "Exports",
                                                 noun="destination")[1:2]
                        + growth_table_sentences(get("table3_services_exports"), "category", "Services exports",
                                                 total="S")[:1]),
        "diversification": (trend_sentence(get("fig04_diversification"), "n_products", f, name,
                                           "the number of products exported", digits=0)
                            + trend_sentence(get("fig04_diversification"), "n_markets", f, name,
                                             "the number of markets served", digits=0)
                            + trend_sentence(get("fig04_diversification"), "hhi_products", f, name,
                                             "concentration across products (HHI)", digits=2)
                            + margins_sentences(get("fig06_export_margins"), f, name)),
        "quality": (trend_sentence(get("fig09_expy"), "expy_usd", f, name, "EXPY", " USD", digits=0)
                    + trend_sentence(get("fig10_eci"), "eci", f, name, "the Economic Complexity Index", digits=2)
                    + trend_sentence(get("fig11_export_quality"), "quality", f, name,
                                     "export quality relative to the frontier", digits=2)),
        "survival": (survival_sentences(get("tableS2_survival_summary"), f, name)
                     + logrank_sentences(get("tableS1_survival_logrank"))),
        "value_added": (dva_sentences(get("table4_dva_growth"), get("fig17_dva_growth_comparators"), f, name)
                        + trend_sentence(get("fig22_gvc_participation"), "participation_pct", f, name,
                                         "GVC participation (% of gross exports)")),
    }
