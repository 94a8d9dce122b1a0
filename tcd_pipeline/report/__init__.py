"""The Trade Competitiveness Diagnostic as a document: report tables read from the published file, figures,
one self-contained HTML file and an Excel workbook, for any focus country and comparators.

- :mod:`tcd_pipeline.report.spec`: what the report holds (sections, figures, tables, the marts they read);
- :mod:`tcd_pipeline.report.tables`: the report tables, one SQL file each (``sql/report/<name>.sql``);
- :mod:`tcd_pipeline.report.figures`, :mod:`tcd_pipeline.report.html`, :mod:`tcd_pipeline.report.findings`:
  the document;
- :mod:`tcd_pipeline.report.workbook`: the Excel workbook;
- :mod:`tcd_pipeline.report.render`: published file -> HTML + workbook (what the Dagster asset and
  ``python -m tcd_pipeline.report`` call).
"""
