"""Declarations of the trade-in-value-added marts (report chapter 3).

Built from one family of inter-country input-output tables per warehouse (OECD ICIO, the WIOD
2013 release or the long-run WIOD: ``raw_inputs.io_tables`` / ``$TCD_IO_TABLES``; one table per
year, values in million current USD; the marts give them in current USD, x 1e6) by :mod:`tcd_pipeline.core.tiva`, with the conventions of
the settings ``tiva_taxes`` (``$TCD_TIVA_TAXES``, default ``value_added``) and ``tiva_output``
(``$TCD_TIVA_OUTPUT``, default ``published``); the comments below say what each choice does, and
``tiva.tables`` in the warehouse records the family, source and conventions of every year. See
METHODS.md section 5 for every formula. The columns are those of
:class:`tcd_pipeline.core.tiva.TivaResult` (the tables ``tiva.*``) in the published vocabulary: the
country a row is about is ``country``, money ends ``_usd`` (current USD), shares and rates ``_pct``
(percent); the OECD codes ``exgr_dvash``, ``dexfvapsh``, ``ffd_dvash`` keep their names (percent).
"""

from tcd_pipeline.warehouse.contracts import NON_NEGATIVE, Mart, Range
from tcd_pipeline.warehouse.contracts import Column as C

TIVA = "3 Trade in value added"
USD = "current USD"
TAXES = ("taxes less subsidies on intermediate products (OECD ICIO TLS; long-run WIOD international margins) go where "
         "setting tiva_taxes ($TCD_TIVA_TAXES) says: value_added (default) counts them as value added of the industry "
         "that pays them, in its own country, so EXGR_DVA + EXGR_FVA = EXGR; separate reports their content as "
         "EXGR_TLS, so EXGR_DVA + EXGR_FVA + EXGR_TLS = EXGR (WIOD 2013 has no tax row: EXGR_TLS = 0 either way)")
TAXES_NOTE = TAXES[0].upper() + TAXES[1:]
OUTPUT = ("gross output x as setting tiva_output ($TCD_TIVA_OUTPUT) says: published (default; the OUT column of "
          "OECD ICIO, WIOD gross output, checked against the row sums within the release's rounding: 0.01 + 1e-6 x, "
          "0.5 million USD per stored column for WIOD 2013, in the tables' unit) or row_sums (row sums of Z and final demand)")

COUNTRY = C("country", "VARCHAR", "ISO3", "Country (region code of the input-output table: OECD ICIO CN1/CN2 and MX1/MX2 computed as regions and summed into CHN and MEX; WIOD ROM read as ROU; ROW = rest of the world)",
            nullable=False)
INDUSTRY = C("industry", "VARCHAR", "IO industry", "Industry code of the input-output table (OECD ICIO e.g. B05_06, C10T12; WIOD 2013 c1 ... c35; long-run WIOD AtB ... LtQ), mapped to report sectors by tcd_pipeline/reference/icio_sectors.csv", nullable=False)
YEAR = C("year", "SMALLINT", "year", "Year of the input-output table", nullable=False)
COUNTRY_OF_EXPORTS = C("country", "VARCHAR", "ISO3", "Exporting country (region code of the input-output table, split regions merged)",
             nullable=False)

TIVA_INDICATORS = Mart(
    name="tiva_indicators", chapter=TIVA, grain="country x industry x year", key=("country", "industry", "year"),
    description=("OECD TiVA-style decomposition of gross exports by exporting industry, with value added absorbed "
                 "at home and abroad. Values in current USD (the tables' million USD x 1e6). " + TAXES_NOTE + "; " + OUTPUT + "."),
    columns=(
        COUNTRY, INDUSTRY, YEAR,
        C("output_usd", "DOUBLE", USD, "Gross output x (" + OUTPUT + ")", range=NON_NEGATIVE),
        C("va_usd", "DOUBLE", USD, "Value added the decomposition distributes, v x: with tiva_taxes = value_added v = 1 - column sum of A (published VA plus TLS; WIOD 2013: x - column sums of Z), with separate v = published VA / x (" + TAXES + ")"),
        C("exgr_usd", "DOUBLE", USD, "Gross exports EXGR of the industry: intermediate and final sales to every other country"),
        C("exgr_dva_usd", "DOUBLE", USD, "Domestic value added in gross exports, V_s B_ss diag(E_s) (block of the global inverse); EXGR_DDC + EXGR_IDC + EXGR_RIM"),
        C("exgr_ddc_usd", "DOUBLE", USD, "Direct domestic value added: the exporting industry's own value added, v_j l_jj e_j (local inverse L_ss)"),
        C("exgr_idc_usd", "DOUBLE", USD, "Indirect domestic value added: other domestic industries' value added embodied in the exports, sum_{i != j} v_i l_ij e_j"),
        C("exgr_rim_usd", "DOUBLE", USD, "Re-imported domestic value added: V_s (B_ss - L_ss) e_j, domestic value added that went abroad and came back in imported inputs"),
        C("exgr_fva_usd", "DOUBLE", USD, "Foreign value added in gross exports, sum over t != s of V_t B_ts e_j; EXGR_DVA + EXGR_FVA + EXGR_TLS = EXGR"),
        C("exgr_tls_usd", "DOUBLE", USD, "Tax content of gross exports, t B e_j with t = taxes less subsidies per unit of output of every country, when tiva_taxes = separate; 0 with value_added (" + TAXES + ")"),
        C("iv_usd", "DOUBLE", USD, "Indirect value added exports (forward GVC participation, Koopman et al. 2010): value added of the industry in intermediate exports that the importer re-exports to third countries, by the industry that adds the value"),
        C("dfd_dva_usd", "DOUBLE", USD, "Domestic value added of the industry absorbed by domestic final demand, v_i (B Y_s)_i"),
        C("ffd_dva_usd", "DOUBLE", USD, "Domestic value added of the industry absorbed by final demand abroad, v_i sum_{r != s} (B Y_r)_i"),
        C("exgr_dvash", "DOUBLE", "percent", "Domestic value added share of gross exports (OECD EXGR_DVASH): 100 x exgr_dva_usd / exgr_usd (NULL when exgr_usd = 0)"),
        C("dexfvapsh", "DOUBLE", "percent", "Foreign value added share of gross exports (OECD DEXFVAPSH): 100 x exgr_fva_usd / exgr_usd (NULL when exgr_usd = 0)"),
        C("ffd_dvash", "DOUBLE", "percent", "Share of the industry's value added absorbed abroad (OECD FFD_DVASH): 100 x ffd_dva_usd / va_usd (NULL when va_usd = 0)"),
    ),
    example=("SELECT industry, exgr_usd, exgr_dva_usd, exgr_dvash FROM marts.tiva_indicators\n"
             "WHERE country = 'KAZ' AND year = 2018 ORDER BY exgr_usd DESC LIMIT 10"),
)

TIVA_FVA_BY_SOURCE = Mart(
    name="tiva_fva_by_source", chapter=TIVA, grain="country x source country x year", key=("country", "source_country", "year"),
    description="Foreign value added in gross exports by the country where it was added. " + TAXES_NOTE + ".",
    columns=(
        COUNTRY_OF_EXPORTS,
        C("source_country", "VARCHAR", "ISO3", "Country whose value added is embodied in the country's gross exports (every country but the exporting one)",
          nullable=False),
        YEAR,
        C("fva_usd", "DOUBLE", USD, "Foreign value added of the source country in the country's gross exports, V_t B_ts E_s", nullable=False),
        C("share_pct", "DOUBLE", "percent", "100 x fva_usd / the country's EXGR_FVA; sums to 100 over source countries (NULL when EXGR_FVA = 0)"),
        C("share_of_exgr_pct", "DOUBLE", "percent", "100 x fva_usd / the country's gross exports"),
    ),
    example=("SELECT source_country, fva_usd, share_pct FROM marts.tiva_fva_by_source\n"
             "WHERE country = 'KAZ' AND year = 2018 ORDER BY share_pct DESC LIMIT 10"),
)

TIVA_DVA_BY_DESTINATION = Mart(
    name="tiva_dva_by_destination", chapter=TIVA, grain="country x destination x year",
    key=("country", "destination", "year"),
    description="Domestic value added in gross exports by the country the exports go to. " + TAXES_NOTE + ".",
    columns=(
        COUNTRY_OF_EXPORTS,
        C("destination", "VARCHAR", "ISO3", "Importing country (every country but the exporting one)", nullable=False),
        YEAR,
        C("exgr_usd", "DOUBLE", USD, "Bilateral gross exports E_sr (intermediate and final)"),
        C("dva_usd", "DOUBLE", USD, "Domestic value added in the bilateral gross exports, V_s B_ss E_sr", nullable=False),
        C("share_pct", "DOUBLE", "percent", "100 x dva_usd / the country's EXGR_DVA; sums to 100 over destinations (NULL when EXGR_DVA = 0)"),
    ),
    example=("SELECT destination, dva_usd, share_pct FROM marts.tiva_dva_by_destination\n"
             "WHERE country = 'KAZ' AND year = 2018 ORDER BY dva_usd DESC LIMIT 10"),
)

GVC_PARTICIPATION = Mart(
    name="gvc_participation", chapter=TIVA, grain="country x year", key=("country", "year"),
    description="Global value chain participation and position (Koopman et al. 2010). " + TAXES_NOTE + ".",
    columns=(
        COUNTRY, YEAR,
        C("exgr_usd", "DOUBLE", USD, "Gross exports E of the country (sum over its industries)"),
        C("exgr_fva_usd", "DOUBLE", USD, "Foreign value added in gross exports FV"),
        C("iv_usd", "DOUBLE", USD, "Indirect value added exports IV (value added re-exported by the importer to third countries)"),
        C("backward_pct", "DOUBLE", "percent", "Backward participation 100 x FV / E (NULL when E <= 0)"),
        C("forward_pct", "DOUBLE", "percent", "Forward participation 100 x IV / E (NULL when E <= 0)"),
        C("participation_pct", "DOUBLE", "percent", "GVC participation: backward_pct + forward_pct"),
        C("position", "DOUBLE", "log points", "GVC position: ln(1 + IV/E) - ln(1 + FV/E); positive = upstream (supplies inputs to others' exports)"),
    ),
    example=("SELECT country, backward_pct, forward_pct, participation_pct, position FROM marts.gvc_participation\n"
             "WHERE country IN ('KAZ', 'RUS', 'AZE', 'CHL', 'IDN', 'MEX', 'THA', 'VNM') AND year = 2018"),
)

SECTOR = C("sector", "VARCHAR", "report sector", "Report sector (Agriculture, Mining, Manufacturing, Utilities and construction, Services) of the input-output industries, from tcd_pipeline/reference/icio_sectors.csv (the rows of the tables' classification: oecd_icio, wiod2013 or wiod_lr)",
           nullable=False)

DVA_GROWTH = Mart(
    name="dva_growth", chapter=TIVA, grain="country x sector x period", key=("country", "sector", "year_start", "year_end"),
    description=("Growth of domestic value added in gross exports (EXGR_DVA) by report sector between the "
                 "configured growth periods (settings.growth_periods; periods with a year without an input-output "
                 "table are skipped). " + TAXES_NOTE + "."),
    columns=(
        COUNTRY, SECTOR,
        C("year_start", "SMALLINT", "year", "First year of the period (a configured growth period)"),
        C("year_end", "SMALLINT", "year", "Last year of the period"),
        C("value_start_usd", "DOUBLE", USD, "EXGR_DVA of the sector in year_start (0 when the sector has none)"),
        C("value_end_usd", "DOUBLE", USD, "EXGR_DVA of the sector in year_end"),
        C("share_start_pct", "DOUBLE", "percent", "100 x value_start_usd / total_start_usd; sums to 100 per country and period"),
        C("share_end_pct", "DOUBLE", "percent", "100 x value_end_usd / total_end_usd"),
        C("cagr_pct", "DOUBLE", "percent per year", "Compound annual growth: 100 [(value_end_usd / value_start_usd)^(1/(year_end - year_start)) - 1]; NULL unless value_start_usd > 0 and value_end_usd >= 0",
          range=Range(-100)),
        C("contribution_pct", "DOUBLE", "percent", "Share of the total change: 100 (value_end_usd - value_start_usd) / (total_end_usd - total_start_usd); sums to 100 per country and period (NULL when the total did not change)"),
        C("contribution_pp", "DOUBLE", "percentage points", "Contribution to total growth: 100 (value_end_usd - value_start_usd) / total_start_usd; sums to the total growth in percent"),
        C("total_start_usd", "DOUBLE", USD, "The country's EXGR_DVA in year_start (all sectors)"),
        C("total_end_usd", "DOUBLE", USD, "The country's EXGR_DVA in year_end"),
        C("total_cagr_pct", "DOUBLE", "percent per year", "Compound annual growth of the country's EXGR_DVA"),
    ),
    example=("SELECT sector, share_start_pct, share_end_pct, cagr_pct, contribution_pct FROM marts.dva_growth\n"
             "WHERE country = 'KAZ' AND year_start = 2012 AND year_end = 2018 ORDER BY contribution_pct DESC"),
)

POSITION = ("computed on the world table as one closed system (every country x industry of the input-output table; "
            "final use = every final-use category of every destination, inventories included) by "
            "tcd_pipeline.core.upstreamness, with the net-inventory correction of Antràs, Chor, Fally and Hillberry (2012): "
            "each Z_ij and the non-inventory final use F_i - N_i are scaled by x_i / (x_i - N_i), N_i the net change in "
            "inventories of i's output (OECD ICIO INVNT, WIOD INVEN, long-run WIOD xINV; rows with x_i - N_i <= 0 "
            "uncorrected); split regions (CN1/CN2, MX1/MX2) merged with gross-output weights; " + OUTPUT)
STAGES = "production stages"
# U >= 1 and D >= 1 hold exactly in the algebra (Delta >= 0); 1e-9 leaves room for the solve's rounding
AT_LEAST_ONE = Range(1 - 1e-9)

TIVA_UPSTREAMNESS = Mart(
    name="tiva_upstreamness", chapter=TIVA, grain="country x industry x year", key=("country", "industry", "year"),
    description=("Position of each country-industry in global value chains (Antràs and Chor 2018, 'On the measurement "
                 "of upstreamness and downstreamness in global value chains'): upstreamness (distance from final use), "
                 "downstreamness (distance from primary factors), and the final-use and value-added shares of gross "
                 "output; on WIOD 2013 these are Antràs and Chor's GVC_Ui, GVC_Di, GVC_FUGOi and GVC_VAGOi (reproduced on the "
                 "release rounded to whole million USD with tiva_output = row_sums to a median absolute difference of "
                 "0.003-0.005 stages, correlation 0.992-0.999 per year: docs/benchmarks.md). Measures "
                 + POSITION + "."),
    columns=(
        COUNTRY, INDUSTRY, YEAR,
        C("output_usd", "DOUBLE", USD, "Gross output x (" + OUTPUT + ")", range=NON_NEGATIVE),
        C("inventories_usd", "DOUBLE", USD, "Net change in inventories N of the industry's output (all destinations; can be negative)"),
        C("final_use_usd", "DOUBLE", USD, "Final use of the industry's output net of inventories, F - N (all destinations and categories; uncorrected)"),
        C("upstreamness", "DOUBLE", STAGES, "Upstreamness U (Antràs and Chor's GVC_Ui; Fally's distance from final use; Miller and Temurshoev's output upstreamness): U = (I - Delta)^-1 1 with Delta_ij = Z_ij / (x_i - N_i), i.e. U_i = 1 + sum_j Delta_ij U_j; 1 = sold only to final use (1 when output is 0)",
          nullable=False, range=AT_LEAST_ONE),
        C("downstreamness", "DOUBLE", STAGES, "Downstreamness D (Antràs and Chor's GVC_Di; Fally's number of production stages; Miller and Temurshoev's input downstreamness): D = (I - A~')^-1 1 with A~_ij = Z~_ij / x_j the technical coefficients of the corrected table, i.e. D_j = 1 + sum_i A~_ij D_i; 1 = no intermediate inputs (1 when output is 0)",
          nullable=False, range=AT_LEAST_ONE),
        C("fugo_pct", "DOUBLE", "percent", "Final use to gross output (Antràs and Chor's GVC_FUGOi, x 100): 100 (F - N) / (x - N); with x = row sums, fugo_pct / 100 + sum_j Delta_ij = 1 (NULL when output is 0)"),
        C("vago_pct", "DOUBLE", "percent", "Value added to gross output (Antràs and Chor's GVC_VAGOi, x 100): 100 (1 - sum_i A~_ij), value added net of the corrected purchases (taxes and margins count as value added; can fall below 0 where the correction scales up a column's inputs; NULL when output is 0)"),
        C("output_convention", "VARCHAR", "", "Gross output convention the measures were computed with (setting tiva_output: published or row_sums)",
          nullable=False, values=("published", "row_sums")),
    ),
    example=("SELECT industry, upstreamness, downstreamness, fugo_pct, vago_pct FROM marts.tiva_upstreamness\n"
             "WHERE country = 'KAZ' AND year = 2018 ORDER BY upstreamness DESC"),
)

EXPORT_WEIGHTS = ("weights: gross exports E_i of each industry as the TiVA chapter defines them (intermediate and final "
                  "sales to every other country, marts.tiva_indicators.exgr_usd), taken by region before split regions "
                  "are merged")

TIVA_EXPORT_UPSTREAMNESS = Mart(
    name="tiva_export_upstreamness", chapter=TIVA, grain="country x year", key=("country", "year"),
    description=("Upstreamness and downstreamness of each country's exports (Antràs, Chor, Fally and Hillberry 2012, "
                 "upstreamness of trade flows): the averages of marts.tiva_upstreamness over the country's industries, "
                 + EXPORT_WEIGHTS + "; beside them the gross-output weighted averages (the country's production). "
                 "Measures " + POSITION + "."),
    columns=(
        COUNTRY, YEAR,
        C("exgr_usd", "DOUBLE", USD, "Gross exports E of the country (sum over its industries; the weights)", range=NON_NEGATIVE),
        C("export_upstreamness", "DOUBLE", STAGES, "Export upstreamness: sum_i E_i U_i / sum_i E_i over the country's industries (" + EXPORT_WEIGHTS + "); NULL when E = 0",
          range=AT_LEAST_ONE),
        C("export_downstreamness", "DOUBLE", STAGES, "Export downstreamness: sum_i E_i D_i / sum_i E_i (" + EXPORT_WEIGHTS + "); NULL when E = 0",
          range=AT_LEAST_ONE),
        C("output_upstreamness", "DOUBLE", STAGES, "Production upstreamness: sum_i x_i U_i / sum_i x_i over the country's industries (gross-output weights, Antràs and Chor 2018 section 2.3); NULL when output is 0",
          range=AT_LEAST_ONE),
        C("output_downstreamness", "DOUBLE", STAGES, "Production downstreamness: sum_i x_i D_i / sum_i x_i; NULL when output is 0", range=AT_LEAST_ONE),
        C("fugo_pct", "DOUBLE", "percent", "Final use to gross output of the country: 100 sum (F~) / sum x (the gross-output weighted average of the industries' fugo_pct)"),
        C("vago_pct", "DOUBLE", "percent", "Value added to gross output of the country: the gross-output weighted average of the industries' vago_pct"),
        C("output_convention", "VARCHAR", "", "Gross output convention (setting tiva_output: published or row_sums)",
          nullable=False, values=("published", "row_sums")),
    ),
    example=("SELECT year, export_upstreamness, output_upstreamness FROM marts.tiva_export_upstreamness\n"
             "WHERE country = 'KAZ' ORDER BY year"),
)

MARTS: tuple[Mart, ...] = (TIVA_INDICATORS, TIVA_FVA_BY_SOURCE, TIVA_DVA_BY_DESTINATION, GVC_PARTICIPATION, DVA_GROWTH,
                           TIVA_UPSTREAMNESS, TIVA_EXPORT_UPSTREAMNESS)
