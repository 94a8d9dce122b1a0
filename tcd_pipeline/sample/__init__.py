"""A deterministic synthetic "sample world" written in the real public file layouts.

``generate_sample(out_dir)`` writes BACI HS92 flows and code lists, WDI bulk and long files,
a CEPII GeoDist file and the planted truth (``truth/``) that estimators are tested against:

    baci/BACI_HS92_Y{year}_V202401b.csv (or .zip)   baci/country_codes_V202401b.csv
    baci/product_codes_HS92_V202401b.csv            wdi/API_{indicator}_DS2_en_csv_v2_{n}.csv
    wdi/wdi_long_trade.csv                          geo/dist_cepii.csv
    services/US_TradeServCatTotal.csv               tariffs/AVEMFN_H0_{year}_U2/JobID-{n}{year}.CSV (sample scale)
    truth/planted_quality.csv                       truth/parameters.json

``scale="sample"`` (42 countries, 600 HS92 codes, about 70,000 flows a year) feeds ``make run``
and the tests; ``scale="full"`` (226 countries, 5,037 codes, about 10 million flows a year) feeds
benchmarks. The model is documented in :mod:`tcd_pipeline.sample.flows` and
:mod:`tcd_pipeline.sample.macro` (MFN schedules and the customs union: :mod:`tcd_pipeline.sample.tariffs`); the reference tables in ``data/README.md``.
"""

from tcd_pipeline.sample.generate import DEFAULT_SEED, generate_sample

__all__ = ["DEFAULT_SEED", "generate_sample"]
