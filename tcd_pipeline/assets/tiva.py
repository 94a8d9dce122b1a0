"""Inter-country input-output tables (raw ICIO/WIOD, asset group ``tiva``) and TiVA marts (chapter 3)."""

RAW_ASSETS: list = []  # raw and clean input-output tables (ingested with the reference job)
ASSETS: list = []  # decompositions and marts
