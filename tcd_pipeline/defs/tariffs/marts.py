"""Declarations of the tariff marts (report section 3.2: trade policy, tariffs by end use).

Built from ``raw.tariffs`` (MFN applied and other schedules at HS6, WITS/UNCTAD TRAINS; rates in
percent, summarised over the reporter's national tariff lines of each HS6 product), the end use of
each HS92 product (``tcd_pipeline/reference/hs92_bec4_end_use.csv``: HS92 -> BEC rev.4 -> the SNA
basic classes capital, intermediate, consumption) and the reporter's imports by HS6 from
``clean.flows``. METHODS terms: for reporter c, year t, duty type d and a set of HS6 products P
(an end-use class, or all products)::

    simple average   = (1 / |P_t|) sum_{k in P_t} tau_ckt            tau_ckt: the HS6 simple average of
                                                                     the product's national lines
    weighted average = sum_k tau_ckt m_ck,t-1 / sum_k m_ck,t-1       m_ck,t-1: c's imports of k in t-1

over the products with an ad valorem rate (or equivalent) in the schedule, and for the weighted
average those of them that c imported in t - 1. Weights are **the previous year's imports**: the
imports of year t respond to the tariffs of year t (a prohibitive rate gets a weight near zero), so
weights of t - 1 are less endogenous to the schedule they weight, and at a tariff reform (the
customs union in 2010) they give the change of the rates on the pre-reform import basket. The first
year of the BACI panel has no weights (NULL).
"""

from tcd_pipeline.warehouse.contracts import ISO3, NON_NEGATIVE, PERCENT, Mart, Range
from tcd_pipeline.warehouse.contracts import Column as C

CHAPTER = "3.2 Tariffs"
END_USES = ("all", "capital", "intermediate", "consumption")
DUTY_TYPES = ("MFN", "AHS", "BND")
WEIGHTS = ("the reporter's imports of the product in year - 1 (clean.flows, BACI, current USD): previous-year "
           "weights, less endogenous to the year's own rates than same-year imports, and at a reform they weigh the "
           "new rates by the pre-reform import basket")

COUNTRY = C("country", "VARCHAR", "ISO3", "Reporting (importing) country whose tariff schedule the row summarises",
            nullable=False, pattern=ISO3)
DUTY_TYPE = C("duty_type", "VARCHAR", "WITS duty type",
              "MFN = most-favoured-nation applied rates (TRAINS AVEMFN), AHS = effectively applied, BND = bound",
              nullable=False, values=DUTY_TYPES)
END_USE = C("end_use", "VARCHAR", "end-use class",
            "all = every HS6 product of the schedule; capital, intermediate, consumption = the products of that SNA "
            "basic class by BEC rev.4 (tcd_pipeline/reference/hs92_bec4_end_use.csv: capital = BEC 41, 521; "
            "intermediate = 111, 121, 21, 22, 31, 322, 42, 53; consumption = 112, 122, 522, 61, 62, 63; 321, 51, 7 "
            "and products whose BEC codes disagree are in 'all' only)",
            nullable=False, values=END_USES)
RATE = Range(0)

TARIFF_AVERAGES = Mart(
    name="tariff_averages", chapter=CHAPTER,
    grain="country x year x duty type x end use (every reporter-year-duty type of raw.tariffs)",
    description="Average tariffs, simple and import-weighted, with the count of lines and the share of duty-free "
                "lines, overall and by end use (capital, intermediate, consumption goods).",
    key=("country", "year", "duty_type", "end_use"), min_rows=0,
    columns=(
        COUNTRY, C("year", "SMALLINT", "year", "Tariff year", nullable=False), DUTY_TYPE, END_USE,
        C("n_products", "BIGINT", "count", "HS6 products of the schedule in the class with an ad valorem rate or "
          "equivalent (those the averages are over)", nullable=False, range=NON_NEGATIVE),
        C("n_lines", "BIGINT", "count", "National tariff lines of the class's HS6 products (TRAINS TotalNoOfLines; "
          "WITS Nbr of Total Lines), with or without an ad valorem rate", nullable=False, range=NON_NEGATIVE),
        C("duty_free_lines_pct", "DOUBLE", "percent", "Duty-free national lines / n_lines x 100 (NULL when a product "
          "of the class does not say how many of its lines are free: WITS query files with mixed lines)",
          range=PERCENT),
        C("simple_average_pct", "DOUBLE", "percent", "Simple average over the class's HS6 products of their simple "
          "average ad valorem rate (each product's own average over its national lines, TRAINS SimpleAverage); "
          "NULL without a rated product", range=RATE),
        C("weighted_average_pct", "DOUBLE", "percent", "Import-weighted average of the same product rates, weights: "
          f"{WEIGHTS}; over rated products imported in year - 1; NULL without any", range=RATE),
        C("weights_year", "SMALLINT", "year", "The year of the import weights (year - 1)", nullable=False),
        C("weights_usd", "DOUBLE", "current USD", "Sum of the weights: the reporter's imports in weights_year of the "
          "rated products of the class", range=NON_NEGATIVE),
        C("min_rate_pct", "DOUBLE", "percent", "Lowest national line rate of the class (TRAINS Min_Rate)", range=RATE),
        C("max_rate_pct", "DOUBLE", "percent", "Highest national line rate of the class (TRAINS Max_Rate)", range=RATE),
    ),
    example=("SELECT year, end_use, simple_average_pct, weighted_average_pct, duty_free_lines_pct\n"
             "FROM marts.tariff_averages WHERE country = 'KAZ' AND duty_type = 'MFN' AND year BETWEEN 2008 AND 2012\n"
             "ORDER BY end_use, year"),
)

TARIFF_CHANGES = Mart(
    name="tariff_changes", chapter=CHAPTER,
    grain="country x duty type x end use x period (the growth periods, settings.growth_periods, and the event "
          "year's (settings.event_year - 1, settings.event_year))",
    description="Change of the average tariffs between two years, overall and by end use (the customs union's "
                "effect on the focus country's schedule).",
    key=("country", "duty_type", "end_use", "year_start", "year_end"), min_rows=0,
    columns=(
        COUNTRY, DUTY_TYPE, END_USE,
        C("year_start", "SMALLINT", "year", "First year of the period", nullable=False),
        C("year_end", "SMALLINT", "year", "Last year of the period", nullable=False),
        C("simple_average_start_pct", "DOUBLE", "percent", "simple_average_pct in year_start (marts.tariff_averages)",
          range=RATE),
        C("simple_average_end_pct", "DOUBLE", "percent", "simple_average_pct in year_end", range=RATE),
        C("simple_average_change_pp", "DOUBLE", "percentage points", "simple_average_end_pct - simple_average_start_pct"),
        C("simple_average_growth_pct", "DOUBLE", "percent", "(simple_average_end_pct / simple_average_start_pct - 1) "
          "x 100; NULL when the start is 0", range=Range(-100)),
        C("weighted_average_start_pct", "DOUBLE", "percent", "weighted_average_pct in year_start (weights of "
          "year_start - 1)", range=RATE),
        C("weighted_average_end_pct", "DOUBLE", "percent", "weighted_average_pct in year_end (weights of year_end - 1)",
          range=RATE),
        C("weighted_average_change_pp", "DOUBLE", "percentage points",
          "weighted_average_end_pct - weighted_average_start_pct"),
    ),
    example=("SELECT end_use, year_start, year_end, simple_average_start_pct, simple_average_end_pct,\n"
             "       simple_average_growth_pct FROM marts.tariff_changes\n"
             "WHERE country = 'KAZ' AND duty_type = 'MFN' ORDER BY year_start, end_use"),
)

MARTS = [TARIFF_AVERAGES, TARIFF_CHANGES]
