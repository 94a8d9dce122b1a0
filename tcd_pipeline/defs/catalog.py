"""Every mart of the project, by name: the tables BI tools read.

Each mart is declared once, in its chapter's ``marts.py`` (grain and key, columns, units,
definitions, nullability, ranges); the declaration creates the structural expectations of the
mart's gate, the DuckDB COMMENTs, the Dagster column schema and the data dictionary ``docs/marts.md``.
"""

from tcd_pipeline.defs.publication import dims
from tcd_pipeline.defs.survival import marts as survival
from tcd_pipeline.defs.tariffs import marts as tariffs
from tcd_pipeline.defs.tiva import marts as tiva
from tcd_pipeline.defs.trade_outcomes import marts as trade
from tcd_pipeline.warehouse.contracts import Mart

ALL: dict[str, Mart] = {m.name: m for m in (*trade.MARTS, *survival.MARTS, *tiva.MARTS, *tariffs.MARTS)}
# the dimension tables of the published file (schema dim), declared like the marts
DIMS: dict[str, Mart] = {m.name: m for m in dims.DIMS}
# every declared table of the published file, by table name ("marts.rca", "dim.countries")
DECLARED: dict[str, Mart] = {m.table: m for m in (*ALL.values(), *DIMS.values())}
