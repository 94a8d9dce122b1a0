"""Reference implementations that only the tests use: independent constructions the pipeline is checked against.

Each module states what it implements, after which source, and which tests use it:

- :mod:`.spells_polars`: export spells built in polars from the definition in
  :mod:`tcd_pipeline.core.spells` (Besedes and Prusa 2006; METHODS.md section 4); the DuckDB
  statements of ``sql/survival/spells/`` must give the same spells row for row
  (``defs/survival/test_spells.py``, ``defs/survival/test_marts_survival.py``); it also feeds the
  lifelines comparisons of ``core/test_survival.py`` and ``core/test_survival_real.py``.
- :mod:`.spell_counts`: identical spells collapsed into weights with DuckDB's relational API, the
  check of ``spells.survival_counts`` (``defs/survival/test_spells.py``), and ``read_spells``.
- :mod:`.leontief_explicit`: the explicit Leontief inverses B = (I - A)^-1 and L_ss and the
  matrix diag(v) B diag(e), after pymrio's ``iomath.calc_L`` and Miller and Blair (2009) and
  decompr's ``decomp(method = "leontief")``; they check the LU path of
  :mod:`tcd_pipeline.core.tiva` (``core/test_tiva.py``, ``core/test_tiva_real.py``,
  ``sources/test_icio_sources.py``).

Nothing in ``tcd_pipeline/`` or ``benchmarks/`` imports this package (``test_boundary.py`` checks
it, and that the package never imports lifelines, a dev dependency).
"""
