"""Declarations of the survival marts (report section 2.4): grain key, columns, ranges (the gate's structure)."""

from tcd_pipeline.warehouse.contracts import NON_NEGATIVE, UNIT_INTERVAL, Mart, Range
from tcd_pipeline.warehouse.contracts import Column as C

CHAPTER = "2.4 Survival"
GROUP_TYPE = C("group_type", "VARCHAR", "", "exporter, exporter_sector, exporter_region (destination group) or exporter_period (spells starting before / from settings.event_year)")
GROUP = C("group_name", "VARCHAR", "", "The group: the exporting country's ISO3, then the sector, destination group or period, joined by ' / '")
COUNTRY = C("country", "VARCHAR", "ISO3", "Exporting country of the group")
SPELLS_NOTE = ("Spells of exporter x HS6 x destination (Besedes and Prusa 2006) from spells.export_spells; "
               "left-censored spells excluded unless settings.left_censored = keep.")

SURVIVAL_CURVES = Mart(
    name="survival_curves", chapter=CHAPTER, grain="group_type x group_name x t",
    description="Kaplan-Meier survival of export relationships with 95 % confidence intervals. " + SPELLS_NOTE,
    key=("group_type", "group_name", "t"),
    columns=(
        GROUP_TYPE, GROUP, COUNTRY,
        C("t", "DOUBLE", "years", "Duration; 0 is the start (S = 1)", range=NON_NEGATIVE),
        C("n_at_risk", "BIGINT", "spells", "Spells lasting at least t years", range=NON_NEGATIVE),
        C("n_events", "BIGINT", "spells", "Spells ending after exactly t years (right-censored spells excluded)"),
        C("survival", "DOUBLE", "probability", "S(t) = prod over t_i <= t of (1 - d_i / n_i) (Kaplan and Meier 1958)", range=UNIT_INTERVAL),
        C("ci_lower", "DOUBLE", "probability", "Lower 95 % bound, exponential Greenwood (log(-log)) interval, as lifelines", range=UNIT_INTERVAL),
        C("ci_upper", "DOUBLE", "probability", "Upper 95 % bound", range=UNIT_INTERVAL),
    ),
    example="SELECT t, survival, ci_lower, ci_upper FROM marts.survival_curves\nWHERE group_type = 'exporter' AND group_name = 'KAZ' ORDER BY t",
)
SURVIVAL_SUMMARY = Mart(
    name="survival_summary", chapter=CHAPTER, grain="group_type x group_name",
    description="Survival at 1, 3, 5 and 10 years and at the longest horizon (the numbers the report quotes). " + SPELLS_NOTE,
    key=("group_type", "group_name"),
    columns=(
        GROUP_TYPE, GROUP, COUNTRY,
        C("n_spells", "BIGINT", "spells", "Spells in the group", range=NON_NEGATIVE),
        C("n_events", "BIGINT", "spells", "Spells that ended"),
        C("survival_1", "DOUBLE", "probability", "S(1): share of relationships surviving their first year; NULL beyond the longest duration", range=UNIT_INTERVAL),
        C("survival_3", "DOUBLE", "probability", "S(3)", range=UNIT_INTERVAL),
        C("survival_5", "DOUBLE", "probability", "S(5)", range=UNIT_INTERVAL),
        C("survival_10", "DOUBLE", "probability", "S(10)", range=UNIT_INTERVAL),
        C("t_max", "DOUBLE", "years", "Longest observed duration"),
        C("survival_t_max", "DOUBLE", "probability", "S at the longest duration"),
        C("median_duration", "DOUBLE", "years", "Smallest t with S(t) <= 0.5; infinity when S stays above 0.5"),
    ),
    example="SELECT group_name, survival_1, survival_5 FROM marts.survival_summary\nWHERE group_type = 'exporter' ORDER BY survival_1",
)
SURVIVAL_LOGRANK = Mart(
    name="survival_logrank", chapter=CHAPTER, grain="test x country x compared groups",
    description="Log-rank tests of equal survival (Mantel 1966): the focus country against each comparator and all together, "
                "report sectors against each other, destination groups against each other, and before against after the event "
                "year, for every exporting country.",
    key=("test", "country", "group_a", "group_b"),
    columns=(
        C("test", "VARCHAR", "", "focus_vs_comparator, focus_and_comparators (multivariate), sector_pair (every pair of report sectors of the "
          "country), sectors (multivariate, all its sectors), region_pair, regions (multivariate), before_after",
          nullable=False, values=("focus_vs_comparator", "focus_and_comparators", "sector_pair", "sectors", "region_pair",
                                  "regions", "before_after")),
        C("country", "VARCHAR", "ISO3", "The exporting country whose spells are compared (NULL for tests across countries)"),
        C("group_a", "VARCHAR", "", "First group (NULL for multivariate tests)"),
        C("group_b", "VARCHAR", "", "Second group (NULL for multivariate tests)"),
        C("n_groups", "INTEGER", "count", "Groups compared", range=Range(2)),
        C("statistic", "DOUBLE", "chi-square", "Log-rank statistic", range=NON_NEGATIVE),
        C("df", "INTEGER", "count", "Degrees of freedom (n_groups - 1)"),
        C("p_value", "DOUBLE", "probability", "P-value of equal survival", range=UNIT_INTERVAL),
    ),
    example="SELECT group_a, group_b, statistic, p_value FROM marts.survival_logrank\nWHERE test = 'focus_vs_comparator' ORDER BY p_value",
)

MARTS = (SURVIVAL_CURVES, SURVIVAL_SUMMARY, SURVIVAL_LOGRANK)
