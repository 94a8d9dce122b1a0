"""What the report holds: sections, and in each its figures and tables with the marts they read.

The interface between the report's parts: :mod:`tables` fills a :class:`Report` from the published file,
:mod:`html` and :mod:`workbook` render it. Every item has a report table ``report.<name>`` (the figure's or
table's data) built by ``sql/report/<name>.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Item:
    """One figure or table of the report."""

    name: str  # report table name and SQL file stem, e.g. "table1_exports_by_sector"
    kind: str  # "figure" or "table"
    number: str  # as printed: "Table 1", "Figure 12"
    title: str
    section: str  # section id, one of SECTIONS
    marts: tuple[str, ...]  # the published tables it reads, e.g. ("marts.exports_by_sector",)
    unit: str = ""
    missing: str = ""  # what data would fill it when its inputs are absent


SECTIONS: tuple[tuple[str, str], ...] = (
    ("findings", "Key findings"),
    ("orientation", "Orientation and growth"),
    ("diversification", "Diversification"),
    ("quality", "Quality and sophistication"),
    ("survival", "Survival"),
    ("value_added", "Value added"),
)


@dataclass
class Report:
    """A report's data: every item's frame (possibly empty), with notes for what is missing."""

    focus: str
    comparators: tuple[str, ...]
    names: dict[str, str]  # ISO3 -> country name (dim.countries)
    items: tuple[Item, ...]
    tables: dict[str, pl.DataFrame]  # item name -> frame
    notes: dict[str, str] = field(default_factory=dict)  # item name -> why it is empty / caveat
    findings: dict[str, list[str]] = field(default_factory=dict)  # section id -> sentences
    version: str = ""  # meta.publication.version of the published file read
    settings: dict[str, str] = field(default_factory=dict)  # meta.settings setting -> value
