"""Declarations of the trade-in-value-added marts (report chapter 3).

Built from one family of inter-country input-output tables per warehouse (OECD ICIO, the WIOD
2013 release or the long-run WIOD: ``raw_inputs.io_tables`` / ``$TCD_IO_TABLES``; one table per
year, values in million current USD) by :mod:`tcd_pipeline.core.tiva`, with the conventions of
the settings ``tiva_taxes`` (``$TCD_TIVA_TAXES``, default ``value_added``) and ``tiva_output``
(``$TCD_TIVA_OUTPUT``, default ``published``); the comments below say what each choice does, and
``tiva.tables`` in the warehouse records the family, source and conventions of every year. See
METHODS.md section 5 for every formula. The column names are those of
:class:`tcd_pipeline.core.tiva.TivaResult`.
"""

from tcd_pipeline.warehouse.contracts import NON_NEGATIVE, Mart, Range
from tcd_pipeline.warehouse.contracts import Column as C

TIVA = "3 Trade in value added"
MUSD = "million current USD"
TAXES = ("taxes less subsidies on intermediate products (OECD ICIO TLS; long-run WIOD international margins) go where "
         "setting tiva_taxes ($TCD_TIVA_TAXES) says: value_added (default) counts them as value added of the industry "
         "that pays them, in its own country, so EXGR_DVA + EXGR_FVA = EXGR; separate reports their content as "
         "EXGR_TLS, so EXGR_DVA + EXGR_FVA + EXGR_TLS = EXGR (WIOD 2013 has no tax row: EXGR_TLS = 0 either way)")
TAXES_NOTE = TAXES[0].upper() + TAXES[1:]
OUTPUT = ("gross output x as setting tiva_output ($TCD_TIVA_OUTPUT) says: published (default; the OUT column of "
          "OECD ICIO, WIOD gross output, checked against the row sums within the release's rounding: 0.01 + 1e-6 x, "
          "0.5 million USD per stored column for WIOD 2013) or row_sums (row sums of Z and final demand)")

COUNTRY = C("country", "VARCHAR", "ISO3", "Country (region code of the input-output table: OECD ICIO CN1/CN2 and MX1/MX2 computed as regions and summed into CHN and MEX; WIOD ROM read as ROU; ROW = rest of the world)",
            nullable=False)
INDUSTRY = C("industry", "VARCHAR", "IO industry", "Industry code of the input-output table (OECD ICIO e.g. B05_06, C10T12; WIOD 2013 c1 ... c35; long-run WIOD AtB ... LtQ), mapped to report sectors by tcd_pipeline/reference/icio_sectors.csv", nullable=False)
YEAR = C("year", "SMALLINT", "year", "Year of the input-output table", nullable=False)
EXPORTER = C("exporter", "VARCHAR", "ISO3", "Exporting country (region code of the input-output table, split regions merged)",
             nullable=False)

TIVA_INDICATORS = Mart(
    name="tiva_indicators", chapter=TIVA, grain="country x industry x year", key=("country", "industry", "year"),
    description=("OECD TiVA-style decomposition of gross exports by exporting industry, with value added absorbed "
                 "at home and abroad. Values in million USD. " + TAXES_NOTE + "; " + OUTPUT + "."),
    columns=(
        COUNTRY, INDUSTRY, YEAR,
        C("output", "DOUBLE", MUSD, "Gross output x (" + OUTPUT + ")", range=NON_NEGATIVE),
        C("va", "DOUBLE", MUSD, "Value added the decomposition distributes, v x: with tiva_taxes = value_added v = 1 - column sum of A (published VA plus TLS; WIOD 2013: x - column sums of Z), with separate v = published VA / x (" + TAXES + ")"),
        C("exgr", "DOUBLE", MUSD, "Gross exports EXGR of the industry: intermediate and final sales to every other country"),
        C("exgr_dva", "DOUBLE", MUSD, "Domestic value added in gross exports, V_s B_ss diag(E_s) (block of the global inverse); EXGR_DDC + EXGR_IDC + EXGR_RIM"),
        C("exgr_ddc", "DOUBLE", MUSD, "Direct domestic value added: the exporting industry's own value added, v_j l_jj e_j (local inverse L_ss)"),
        C("exgr_idc", "DOUBLE", MUSD, "Indirect domestic value added: other domestic industries' value added embodied in the exports, sum_{i != j} v_i l_ij e_j"),
        C("exgr_rim", "DOUBLE", MUSD, "Re-imported domestic value added: V_s (B_ss - L_ss) e_j, domestic value added that went abroad and came back in imported inputs"),
        C("exgr_fva", "DOUBLE", MUSD, "Foreign value added in gross exports, sum over t != s of V_t B_ts e_j; EXGR_DVA + EXGR_FVA + EXGR_TLS = EXGR"),
        C("exgr_tls", "DOUBLE", MUSD, "Tax content of gross exports, t B e_j with t = taxes less subsidies per unit of output of every country, when tiva_taxes = separate; 0 with value_added (" + TAXES + ")"),
        C("iv", "DOUBLE", MUSD, "Indirect value added exports (forward GVC participation, Koopman et al. 2010): value added of the industry in intermediate exports that the importer re-exports to third countries, by the industry that adds the value"),
        C("dfd_dva", "DOUBLE", MUSD, "Domestic value added of the industry absorbed by domestic final demand, v_i (B Y_s)_i"),
        C("ffd_dva", "DOUBLE", MUSD, "Domestic value added of the industry absorbed by final demand abroad, v_i sum_{r != s} (B Y_r)_i"),
        C("exgr_dvash", "DOUBLE", "percent", "Domestic value added share of gross exports: 100 x exgr_dva / exgr (NULL when exgr = 0)"),
        C("dexfvapsh", "DOUBLE", "percent", "Foreign value added share of gross exports (OECD DEXFVAPSH): 100 x exgr_fva / exgr (NULL when exgr = 0)"),
        C("ffd_dvash", "DOUBLE", "percent", "Share of the industry's value added absorbed abroad: 100 x ffd_dva / va (NULL when va = 0)"),
    ),
    example=("SELECT industry, exgr, exgr_dva, exgr_dvash FROM marts.tiva_indicators\n"
             "WHERE country = 'KAZ' AND year = 2018 ORDER BY exgr DESC LIMIT 10"),
)

TIVA_FVA_BY_SOURCE = Mart(
    name="tiva_fva_by_source", chapter=TIVA, grain="exporter x source country x year", key=("exporter", "source", "year"),
    description="Foreign value added in gross exports by the country where it was added. " + TAXES_NOTE + ".",
    columns=(
        EXPORTER,
        C("source", "VARCHAR", "ISO3", "Country whose value added is embodied in the exporter's gross exports (every country but the exporter)",
          nullable=False),
        YEAR,
        C("value", "DOUBLE", MUSD, "Foreign value added of the source country in the exporter's gross exports, V_t B_ts E_s", nullable=False),
        C("share", "DOUBLE", "percent", "100 x value / the exporter's EXGR_FVA; sums to 100 over sources (NULL when EXGR_FVA = 0)"),
        C("share_of_exgr", "DOUBLE", "percent", "100 x value / the exporter's gross exports"),
    ),
    example=("SELECT source, value, share FROM marts.tiva_fva_by_source\n"
             "WHERE exporter = 'KAZ' AND year = 2018 ORDER BY share DESC LIMIT 10"),
)

TIVA_DVA_BY_DESTINATION = Mart(
    name="tiva_dva_by_destination", chapter=TIVA, grain="exporter x destination x year",
    key=("exporter", "destination", "year"),
    description="Domestic value added in gross exports by the country the exports go to. " + TAXES_NOTE + ".",
    columns=(
        EXPORTER,
        C("destination", "VARCHAR", "ISO3", "Importing country (every country but the exporter)", nullable=False),
        YEAR,
        C("exgr", "DOUBLE", MUSD, "Bilateral gross exports E_sr (intermediate and final)"),
        C("value", "DOUBLE", MUSD, "Domestic value added in the bilateral gross exports, V_s B_ss E_sr", nullable=False),
        C("share", "DOUBLE", "percent", "100 x value / the exporter's EXGR_DVA; sums to 100 over destinations (NULL when EXGR_DVA = 0)"),
    ),
    example=("SELECT destination, value, share FROM marts.tiva_dva_by_destination\n"
             "WHERE exporter = 'KAZ' AND year = 2018 ORDER BY value DESC LIMIT 10"),
)

GVC_PARTICIPATION = Mart(
    name="gvc_participation", chapter=TIVA, grain="country x year", key=("country", "year"),
    description="Global value chain participation and position (Koopman et al. 2010). " + TAXES_NOTE + ".",
    columns=(
        COUNTRY, YEAR,
        C("exgr", "DOUBLE", MUSD, "Gross exports E of the country (sum over its industries)"),
        C("exgr_fva", "DOUBLE", MUSD, "Foreign value added in gross exports FV"),
        C("iv", "DOUBLE", MUSD, "Indirect value added exports IV (value added re-exported by the importer to third countries)"),
        C("backward", "DOUBLE", "fraction", "Backward participation FV / E (NULL when E <= 0)"),
        C("forward", "DOUBLE", "fraction", "Forward participation IV / E (NULL when E <= 0)"),
        C("participation", "DOUBLE", "fraction", "GVC participation: backward + forward"),
        C("position", "DOUBLE", "log points", "GVC position: ln(1 + IV/E) - ln(1 + FV/E); positive = upstream (supplies inputs to others' exports)"),
    ),
    example=("SELECT country, backward, forward, participation, position FROM marts.gvc_participation\n"
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
        C("value_start", "DOUBLE", MUSD, "EXGR_DVA of the sector in year_start (0 when the sector has none)"),
        C("value_end", "DOUBLE", MUSD, "EXGR_DVA of the sector in year_end"),
        C("share_start", "DOUBLE", "percent", "100 x value_start / total_start; sums to 100 per country and period"),
        C("share_end", "DOUBLE", "percent", "100 x value_end / total_end"),
        C("cagr", "DOUBLE", "percent per year", "Compound annual growth: 100 [(value_end / value_start)^(1/(year_end - year_start)) - 1]; NULL unless value_start > 0 and value_end >= 0",
          range=Range(-100)),
        C("contribution", "DOUBLE", "percent", "Share of the total change: 100 (value_end - value_start) / (total_end - total_start); sums to 100 per country and period (NULL when the total did not change)"),
        C("contribution_pp", "DOUBLE", "percentage points", "Contribution to total growth: 100 (value_end - value_start) / total_start; sums to the total growth in percent"),
        C("total_start", "DOUBLE", MUSD, "The country's EXGR_DVA in year_start (all sectors)"),
        C("total_end", "DOUBLE", MUSD, "The country's EXGR_DVA in year_end"),
        C("total_cagr", "DOUBLE", "percent per year", "Compound annual growth of the country's EXGR_DVA"),
    ),
    example=("SELECT sector, share_start, share_end, cagr, contribution FROM marts.dva_growth\n"
             "WHERE country = 'KAZ' AND year_start = 2012 AND year_end = 2018 ORDER BY contribution DESC"),
)

MARTS: tuple[Mart, ...] = (TIVA_INDICATORS, TIVA_FVA_BY_SOURCE, TIVA_DVA_BY_DESTINATION, GVC_PARTICIPATION, DVA_GROWTH)
