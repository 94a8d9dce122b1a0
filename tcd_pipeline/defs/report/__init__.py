"""The report: the diagnostic for the focus country, rendered from the published file (HTML and Excel)."""
