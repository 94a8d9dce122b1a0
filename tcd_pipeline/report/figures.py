"""The report's figures, drawn with matplotlib (Agg backend) from the report tables, returned as inline SVG.

One function per kind of figure (lines over time, scatter, stacked shares, bars, Kaplan-Meier step curves with
their intervals, heatmap); :data:`DRAWERS` maps each figure of :data:`tcd_pipeline.report.spec.ITEMS` to its
drawing. The focus country is drawn in a strong colour and a thicker line, comparators in muted colours; text
stays text in the SVG (``svg.fonttype = none``) so the file is small and searchable.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from tcd_pipeline.report.spec import Item, Report  # noqa: E402

FOCUS = "#c0392b"
MUTED = ("#4e79a7", "#59a14f", "#9c755f", "#b07aa1", "#76b7b2", "#edc948", "#8c8c8c", "#ff9da7", "#bab0ac")
SERIES = ("#1f4e79", "#e07b39", "#4a9a5b", "#8e6bb8", "#c9a227", "#4bb3c4", "#a05a3c", "#7f7f7f", "#d16ba5",
          "#2f8f83", "#b8b8b8")
LALL = ("PP", "RB1", "RB2", "LT1", "LT2", "MT1", "MT2", "MT3", "HT1", "HT2", "UNC")
LALL_NAMES = {"PP": "Primary products", "RB1": "Resource-based: agro", "RB2": "Resource-based: other",
              "LT1": "Low tech: textiles", "LT2": "Low tech: other", "MT1": "Medium tech: automotive",
              "MT2": "Medium tech: process", "MT3": "Medium tech: engineering", "HT1": "High tech: electronics",
              "HT2": "High tech: other", "UNC": "Unclassified"}
MARGINS = (("intensive", "Intensive (same products, same markets)", "#1f4e79"),
           ("old_product_served_market", "Old products to markets already served", "#6b9bc3"),
           ("old_product_new_market", "Old products, new markets", "#4a9a5b"),
           ("new_product_old_market", "New products, old markets", "#c9a227"),
           ("new_product_new_market", "New products, new markets", "#e07b39"),
           ("extinction", "Extinction (relationships that ended)", "#c0392b"))

plt.rcParams.update({
    "svg.fonttype": "none", "font.family": "sans-serif", "font.size": 9, "axes.titlesize": 10,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#e3e3e3",
    "grid.linewidth": 0.6, "axes.axisbelow": True, "legend.frameon": False, "legend.fontsize": 8,
    "figure.constrained_layout.use": True,  # lays out legends and labels once (bbox_inches="tight" draws twice)
})


def _tick(value: float, _pos: object = None) -> str:
    """Axis numbers: thousands separated (40,000), small ones as short as they go (0.25, 2.5)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _svg(fig: plt.Figure, salt: str) -> str:
    """The figure as an ``<svg>`` element: no XML prolog or DOCTYPE, ids salted per figure, scales to its box."""
    for ax in fig.axes:  # value axes are y (x holds years or categories, or is set where it is not)
        if ax.get_yscale() == "linear" and isinstance(ax.yaxis.get_major_formatter(), matplotlib.ticker.ScalarFormatter):
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_tick))
    buf = io.StringIO()
    with plt.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    # matplotlib names every group (figure_1, axes_1 ...): keep only the ids the drawing refers to (clip paths,
    # markers), which the salt makes unique across the page's figures
    refs = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', text))
    text = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in refs else "", text)
    text = re.sub(r'(<svg[^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"',
                  r'\1 width="100%" style="max-width:\2pt;height:auto"', text, count=1)
    return text


def _countries(frame: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(country, name, role) in report order (focus first)."""
    rows = frame.select("country", "country_name", "role", "country_order").unique().sort("country_order")
    return [(r[0], r[1], r[2]) for r in rows.iter_rows()]


def _style(role: str, k: int) -> dict:
    if role == "focus":
        return {"color": FOCUS, "linewidth": 2.8, "zorder": 5}
    return {"color": MUTED[k % len(MUTED)], "linewidth": 1.3, "alpha": 0.9, "zorder": 3}


def _line_panel(ax: plt.Axes, frame: pl.DataFrame, x: str, y: str, ylabel: str, title: str = "") -> None:
    k = 0
    for country, name, role in _countries(frame):
        part = frame.filter(pl.col("country") == country).drop_nulls(y).sort(x)
        if part.is_empty():
            continue
        ax.plot(part[x].to_numpy(), part[y].to_numpy(), label=name, marker="o" if part.height < 8 else None,
                markersize=3, **_style(role, k))
        k += role != "focus"
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    ax.xaxis.get_major_locator().set_params(integer=True)


def lines(frame: pl.DataFrame, y: str, ylabel: str, x: str = "year", zero: bool = False) -> str:
    fig, ax = plt.subplots(figsize=(8, 4))
    _line_panel(ax, frame, x, y, ylabel)
    if zero:
        ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xlabel("Year")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(fig, y)


def panels(frame: pl.DataFrame, specs: list[tuple[str, str, str]], ncols: int, salt: str) -> str:
    """Small multiples of lines over time: (column, panel title, y label) each."""
    nrows = -(-len(specs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.7 * nrows), squeeze=False)
    for ax, (col, title, ylabel) in zip(axes.flat, specs, strict=False):
        _line_panel(ax, frame, "year", col, ylabel, title)
    for ax in list(axes.flat)[len(specs):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 8 if ncols >= 3 else 4))
    return _svg(fig, salt)


def openness_scatter(frame: pl.DataFrame) -> str:
    """Openness against log GDP per capita, every country of the year's regression, and the expected openness
    at the countries' mean log population (the mart's fit: trade % of GDP on log GDP per capita and log
    population; its coefficients are recovered exactly from the predicted values, which the fit makes linear)."""
    fig, ax = plt.subplots(figsize=(8, 4.6))
    x = frame["gdp_per_capita_usd"].to_numpy()
    y = frame["trade_pct_gdp"].to_numpy()
    other = (frame["role"] == "other").to_numpy()
    ax.scatter(x[other], y[other], s=18, color="#b5b5b5", label="Other countries", zorder=2)
    comp = (frame["role"] == "comparator").to_numpy()
    ax.scatter(x[comp], y[comp], s=30, color=MUTED[0], label="Comparators", zorder=3)
    foc = (frame["role"] == "focus").to_numpy()
    ax.scatter(x[foc], y[foc], s=70, color=FOCUS, label="Focus country", zorder=4, edgecolor="white")
    if len(x) >= 3:
        log_pop = np.log(frame["population"].cast(pl.Float64).to_numpy())
        X = np.column_stack([np.ones(len(x)), np.log(x), log_pop])
        b, *_ = np.linalg.lstsq(X, frame["openness_predicted_pct"].to_numpy(), rcond=None)
        grid = np.linspace(np.log(x.min()), np.log(x.max()), 50)
        ax.plot(np.exp(grid), b[0] + b[1] * grid + b[2] * log_pop.mean(), color="#555555", linestyle="--",
                linewidth=1, label="Expected at mean population\n(OLS on log GDP per capita\nand log population)")
    for row in frame.filter(pl.col("role") != "other").iter_rows(named=True):
        ax.annotate(row["country_name"], (row["gdp_per_capita_usd"], row["trade_pct_gdp"]), fontsize=8,
                    xytext=(4, 3), textcoords="offset points",
                    color=FOCUS if row["role"] == "focus" else "#333333",
                    fontweight="bold" if row["role"] == "focus" else "normal")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("GDP per capita, current USD (log scale)")
    ax.set_ylabel("Trade, % of GDP")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(fig, "scatter")


def heatmaps(frame: pl.DataFrame) -> str:
    """Sector x region shares (% of the year's exports), one panel per year."""
    years = sorted(frame["year"].unique().to_list())
    sectors = frame.select("sector", "sector_order").unique().sort("sector_order", "sector")["sector"].to_list()
    regions = frame.select("region", "region_order").unique().sort("region_order", "region")["region"].to_list()
    fig, axes = plt.subplots(1, len(years), figsize=(5.2 * len(years), 0.42 * len(sectors) + 1.8), squeeze=False)
    vmax = max(float(frame["share_pct"].max() or 1), 1)
    for ax, year in zip(axes[0], years, strict=True):
        grid = np.full((len(sectors), len(regions)), np.nan)
        for row in frame.filter(pl.col("year") == year).iter_rows(named=True):
            grid[sectors.index(row["sector"]), regions.index(row["region"])] = row["share_pct"]
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
        for (i, j), v in np.ndenumerate(grid):
            if not np.isnan(v):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7,
                        color="white" if v > vmax * 0.55 else "#222222")
        ax.set_xticks(range(len(regions)), regions, rotation=35, ha="right")
        ax.set_yticks(range(len(sectors)), sectors)
        ax.set_title(str(year), loc="left")
        ax.grid(False)
    return _svg(fig, "heatmap")


def margins(frame: pl.DataFrame) -> str:
    """Stacked bars of the margins' shares of export growth per country, the net change marked."""
    countries = _countries(frame)
    fig, ax = plt.subplots(figsize=(8, 4.4))
    pos = np.zeros(len(countries))
    neg = np.zeros(len(countries))
    for comp, label, color in MARGINS:
        vals = np.array([(frame.filter((pl.col("country") == c) & (pl.col("component") == comp))
                          ["share_of_growth_pct"].fill_null(0).sum()) for c, _, _ in countries], dtype=float)
        bottom = np.where(vals >= 0, pos, neg)
        ax.bar(range(len(countries)), vals, bottom=bottom, color=color, label=label, width=0.65)
        pos += np.where(vals >= 0, vals, 0)
        neg += np.where(vals < 0, vals, 0)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.axhline(100, color="#555555", linewidth=0.6, linestyle=":")
    ax.set_xticks(range(len(countries)), [n for _, n, _ in countries], rotation=20, ha="right")
    for tick, (_, _, role) in zip(ax.get_xticklabels(), countries, strict=True):
        if role == "focus":
            tick.set_color(FOCUS)
            tick.set_fontweight("bold")
    ax.set_ylabel("% of the change in exports")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(fig, "margins")


def lall_area(frame: pl.DataFrame) -> str:
    years = sorted(frame["year"].unique().to_list())
    classes = [c for c in LALL if c in set(frame["lall_class"].to_list())]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    stack = [[frame.filter((pl.col("year") == y) & (pl.col("lall_class") == c))["share_pct"].sum() for y in years]
             for c in classes]
    ax.stackplot(years, stack, labels=[LALL_NAMES.get(c, c) for c in classes],
                 colors=[SERIES[LALL.index(c) % len(SERIES)] for c in classes])
    ax.set_ylim(0, 100)
    ax.set_xlim(min(years), max(years))
    ax.set_ylabel("% of exports")
    ax.set_xlabel("Year")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(fig, "lall_area")


def lall_bars(frame: pl.DataFrame) -> str:
    countries = _countries(frame)
    classes = [c for c in LALL if c in set(frame["lall_class"].to_list())]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(countries) + 1.6))
    left = np.zeros(len(countries))
    for c in classes:
        vals = np.array([frame.filter((pl.col("country") == k) & (pl.col("lall_class") == c))["share_pct"].sum()
                         for k, _, _ in countries], dtype=float)
        ax.barh(range(len(countries)), vals, left=left, color=SERIES[LALL.index(c) % len(SERIES)],
                label=LALL_NAMES.get(c, c), height=0.7)
        left += vals
    ax.set_yticks(range(len(countries)), [n for _, n, _ in countries])
    ax.invert_yaxis()
    for tick, (_, _, role) in zip(ax.get_yticklabels(), countries, strict=True):
        if role == "focus":
            tick.set_color(FOCUS)
            tick.set_fontweight("bold")
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% of exports, {frame['year'].max()}")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(fig, "lall_bars")


def grouped_bars(frame: pl.DataFrame, category: str, order: str, value: str, xlabel: str, salt: str,
                 horizontal: bool = True, ref: float | None = None) -> str:
    """One bar per category and year (first and last year side by side)."""
    cats = frame.select(category, order).unique().sort(order, category)[category].to_list()
    years = sorted(frame["year"].unique().to_list())
    fig, ax = plt.subplots(figsize=(8, 0.36 * len(cats) * max(len(years), 1) + 1.4) if horizontal else (8, 4))
    width = 0.8 / max(len(years), 1)
    palette = ("#9db9d3", "#1f4e79", "#4a9a5b")
    for k, year in enumerate(years):
        vals = [frame.filter((pl.col(category) == c) & (pl.col("year") == year))[value].sum() for c in cats]
        at = np.arange(len(cats)) + (k - (len(years) - 1) / 2) * width
        (ax.barh if horizontal else ax.bar)(at, vals, width * 0.95, color=palette[k % len(palette)], label=str(year))
    labels = [c if len(str(c)) < 46 else str(c)[:44] + "…" for c in cats]
    if horizontal:
        ax.set_yticks(range(len(cats)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        if ref is not None:
            ax.axvline(ref, color="#555555", linestyle=":", linewidth=1)
    else:
        ax.set_xticks(range(len(cats)), labels, rotation=20, ha="right")
        ax.set_ylabel(xlabel)
    ax.legend(loc="lower right" if horizontal else "upper right")
    return _svg(fig, salt)


def country_bars(frame: pl.DataFrame, value: str, ylabel: str) -> str:
    countries = _countries(frame)
    vals = [frame.filter(pl.col("country") == c)[value].sum() for c, _, _ in countries]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    colors = [FOCUS if r == "focus" else MUTED[0] for _, _, r in countries]
    ax.bar(range(len(countries)), vals, color=colors, width=0.6)
    for k, v in enumerate(vals):
        ax.annotate(f"{v:.1f}", (k, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=8,
                    xytext=(0, 2 if v >= 0 else -2), textcoords="offset points")
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xticks(range(len(countries)), [n for _, n, _ in countries], rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    return _svg(fig, value)


def sector_bars(frame: pl.DataFrame, value: str, ylabel: str) -> str:
    frame = frame.sort("display_order", "sector")
    fig, ax = plt.subplots(figsize=(8, 3.6))
    vals = frame[value].to_numpy()
    ax.bar(range(frame.height), vals, color=[SERIES[k % len(SERIES)] for k in range(frame.height)], width=0.6)
    for k, v in enumerate(vals):
        ax.annotate(f"{v:.1f}", (k, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=8,
                    xytext=(0, 2 if v >= 0 else -2), textcoords="offset points")
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xticks(range(frame.height), frame["sector"].to_list(), rotation=15, ha="right")
    ax.set_ylabel(ylabel)
    return _svg(fig, "sector_" + value)


def direct_indirect(frame: pl.DataFrame) -> str:
    sectors = frame.select("sector", "sector_order").unique().sort("sector_order", "sector")["sector"].to_list()
    years = sorted(frame["year"].unique().to_list())
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / len(years)
    for k, year in enumerate(years):
        part = {r["sector"]: r for r in frame.filter(pl.col("year") == year).iter_rows(named=True)}
        d = np.array([part.get(s, {}).get("direct_dva_usd") or 0 for s in sectors]) / 1e6
        i = np.array([part.get(s, {}).get("indirect_dva_usd") or 0 for s in sectors]) / 1e6
        at = np.arange(len(sectors)) + (k - (len(years) - 1) / 2) * width
        ax.bar(at, d, width * 0.95, color=("#9db9d3", "#1f4e79")[k % 2], label=f"Direct, {year}")
        ax.bar(at, i, width * 0.95, bottom=d, color=("#f2c9a5", "#e07b39")[k % 2], label=f"Indirect, {year}")
    ax.set_xticks(range(len(sectors)), sectors, rotation=15, ha="right")
    ax.set_ylabel("USD million")
    ax.legend(loc="upper left")
    return _svg(fig, "direct_indirect")


def partners(frame: pl.DataFrame, value: str) -> str:
    """Shares of the partners, one stacked horizontal bar per year."""
    years = sorted(frame["year"].unique().to_list())
    ranks = frame.select("partner_rank", "partner_name").unique().sort("partner_rank")
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(years) + 1.6))
    left = np.zeros(len(years))
    for k, (rank, name) in enumerate(ranks.iter_rows()):
        vals = np.array([frame.filter((pl.col("year") == y) & (pl.col("partner_rank") == rank))["share_pct"].sum()
                         for y in years], dtype=float)
        color = "#d0d0d0" if rank >= 9 else SERIES[k % len(SERIES)]
        ax.barh(range(len(years)), vals, left=left, color=color, label=name, height=0.6)
        for j, v in enumerate(vals):
            if v >= 6:
                ax.text(left[j] + v / 2, j, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white"
                        if rank < 9 else "#333333")
        left += vals
    ax.set_yticks(range(len(years)), [str(y) for y in years])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the total")
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=5)
    return _svg(fig, value)


def km(frame: pl.DataFrame, group: str, salt: str) -> str:
    """Kaplan-Meier step curves with 95% bands; the focus country (or first group) drawn strongest."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    if group == "country":
        groups = [(c, n, r) for c, n, r in _countries(frame)]
    else:
        labels = frame[group].unique(maintain_order=True).to_list()
        groups = [(g, g, "group") for g in labels]
    for k, (key, label, role) in enumerate(groups):
        part = frame.filter(pl.col(group) == key).sort("t")
        t = part["t"].to_numpy()
        style = _style(role, k) if group == "country" else {"color": SERIES[k % len(SERIES)], "linewidth": 1.8}
        ax.step(t, part["survival"].to_numpy(), where="post", label=label, **style)
        ax.fill_between(t, part["ci_lower"].to_numpy(), part["ci_upper"].to_numpy(), step="post",
                        color=style["color"], alpha=0.15 if role != "comparator" else 0.08, linewidth=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # durations are whole years
    ax.set_xlabel("Years since the export relationship started")
    ax.set_ylabel("Probability of survival")
    ax.legend(loc="upper right", ncol=2 if len(groups) > 6 else 1)
    return _svg(fig, salt)


def industry_lines(frame: pl.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.4))
    inds = frame.select("industry", "industry_name", "industry_rank").unique().sort("industry_rank")
    for k, (ind, name, _) in enumerate(inds.iter_rows()):
        part = frame.filter(pl.col("industry") == ind).sort("year")
        label = name if len(name) < 40 else name[:38] + "…"
        ax.plot(part["year"].to_numpy(), part["dexfvapsh"].to_numpy(), marker="o", markersize=3,
                color=SERIES[k % len(SERIES)], linewidth=2.2 if k == 0 else 1.4, label=label)
    ax.set_xlabel("Year")
    ax.set_ylabel("Foreign value added, % of gross exports")
    ax.set_ylim(bottom=0)
    ax.set_xticks(sorted(frame["year"].unique().to_list()))  # the input-output years present
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(fig, "dexfvapsh")


DRAWERS: dict[str, Callable[[pl.DataFrame], str]] = {
    "fig01_trade_openness": lambda f: lines(f, "trade_pct_gdp", "Exports + imports, % of GDP"),
    "fig02_openness_vs_income": openness_scatter,
    "fig03_fdi_inflows": lambda f: lines(f, "fdi_net_inflows_pct_gdp", "FDI net inflows, % of GDP", zero=True),
    "fig04_diversification": lambda f: panels(f, [
        ("n_products", "Products exported (HS6)", "count"), ("n_markets", "Markets served", "count"),
        ("hhi_products", "HHI across products", "HHI (0-1)"), ("hhi_markets", "HHI across markets", "HHI (0-1)"),
        ("top5_product_share_pct", "Top-5 products' share", "% of exports"),
        ("top5_market_share_pct", "Top-5 markets' share", "% of exports")], 3, "diversification"),
    "fig05_sector_region_shares": heatmaps,
    "fig06_export_margins": margins,
    "fig07_lall_over_time": lall_area,
    "fig08_lall_comparators": lall_bars,
    "fig09_expy": lambda f: lines(f, "expy_usd", "EXPY, USD"),
    "fig10_eci": lambda f: lines(f, "eci", "ECI (standardised)", zero=True),
    "fig25_tariffs_by_end_use": lambda f: panels(f, [
        ("tariff_all_pct", "All products", "%"), ("tariff_capital_pct", "Capital goods", "%"),
        ("tariff_intermediate_pct", "Intermediate goods", "%"), ("tariff_consumption_pct", "Consumption goods", "%"),
    ], ncols=2, salt="tariffs"),
    "fig26_export_upstreamness": lambda f: lines(f, "export_upstreamness", "Upstreamness (stages)"),
    "fig11_export_quality": lambda f: lines(f, "quality", "Quality relative to the frontier (1 = frontier)"),
    "fig12_quality_by_sector": lambda f: grouped_bars(f, "sector", "sector_order", "quality",
                                                      "Quality relative to the frontier (1 = frontier)",
                                                      "quality_sector", ref=1.0),
    "fig13_survival_countries": lambda f: km(f, "country", "km_countries"),
    "fig14_survival_by_sector": lambda f: km(f, "group_label", "km_sector"),
    "fig15_survival_by_destination": lambda f: km(f, "group_label", "km_region"),
    "fig16_survival_before_after": lambda f: km(f, "group_label", "km_period"),
    "fig17_dva_growth_comparators": lambda f: country_bars(f, "cagr_pct", "DVA in exports, CAGR % per year"),
    "fig18_dva_contributions": lambda f: sector_bars(f, "contribution_pp", "Contribution to the % change, pp"),
    "fig19_direct_indirect_dva": direct_indirect,
    "fig20_dva_by_destination": lambda f: partners(f, "dva_usd"),
    "fig21_fva_by_source": lambda f: partners(f, "fva_usd"),
    "fig22_gvc_participation": lambda f: panels(f, [
        ("backward_pct", "Backward participation", "% of gross exports"),
        ("forward_pct", "Forward participation", "% of gross exports"),
        ("participation_pct", "GVC participation index", "% of gross exports"),
        ("position", "GVC position", "log points")], 2, "gvc"),
    "fig23_foreign_content": industry_lines,
    "fig24_dva_in_foreign_demand": lambda f: grouped_bars(f, "industry_name", "industry_rank", "ffd_dvash",
                                                          "% of the industry's value added", "ffd_dvash"),
}


def draw(report: Report, item: Item, frame: pl.DataFrame) -> str:
    """The figure of ``item`` as an ``<svg>`` element ('' when the frame is empty)."""
    if frame.is_empty() or item.name not in DRAWERS:
        return ""
    return DRAWERS[item.name](frame)
