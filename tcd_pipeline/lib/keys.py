"""Keys of assets that other chapters build on (the ingest layer, the publication, the report).

Chapters refer to each other's assets by key, never by importing the asset objects, so each
chapter folder of ``tcd_pipeline/defs`` loads on its own (``dg.load_from_defs_folder``).
"""

import dagster as dg

RAW_SERVICES = dg.AssetKey(["raw", "services"])
RAW_TARIFFS = dg.AssetKey(["raw", "tariffs"])
RAW_GEODIST = dg.AssetKey(["raw", "geodist"])
RAW_ICIO = dg.AssetKey(["raw", "icio"])
CLEAN_COUNTRIES = dg.AssetKey(["clean", "countries"])
CLEAN_PRODUCTS = dg.AssetKey(["clean", "products"])
CLEAN_MACRO = dg.AssetKey(["clean", "macro"])
CLEAN_FLOWS = dg.AssetKey(["clean", "flows"])

# the publication and the report rendered from it
PUBLISH_MARTS_FILE = dg.AssetKey(["publish", "marts_file"])
REPORT_DIAGNOSTIC = dg.AssetKey(["report", "diagnostic"])
