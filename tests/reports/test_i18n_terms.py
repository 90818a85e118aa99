"""What transforms/ and flows/ hand over as data or keys, worded in the report's language by reports/."""

from salespulse.reports.charts import pacing_chart, trend_chart, unit_label
from salespulse.reports.context import ReportContext
from salespulse.reports.i18n import gettext
from salespulse.reports.terms import lineage_key, scope_text
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.results import ScopeTerm
from tests.reports.contexts import ContextFactory


def test_goal_scope_in_words() -> None:
    terms = (ScopeTerm("product", "GTX Pro", best_seller=True), ScopeTerm("source", "web"), ScopeTerm("region", "N"))
    assert scope_text(terms, "es_ES") == (
        "producto GTX Pro (el más vendido en el año anterior al inicio), origen web, region N"
    )
    english = scope_text(terms, "en_US")
    assert english == "product GTX Pro (best seller in the year before the start), source web, region N"
    assert english == ", ".join(term.label for term in terms)  # the same words kpis.json gets


def test_lineage_keys() -> None:
    assert lineage_key("input deals.csv", "es_ES") == "entrada deals.csv"
    assert lineage_key("validation run", "es_ES") == "validación"
    assert lineage_key("config", "en_US") == "config" and lineage_key("salespulse", "es_ES") == "salespulse"


def test_charts_speak_the_report_language(make_context: ContextFactory) -> None:
    ctx: ReportContext = make_context(locale="es_ES", currency="EUR")
    pacing = pacing_chart(ctx.goals[0], ctx.locale, ctx.currency)
    assert f"<title>Gráfico de ritmo: {ctx.goals[0].objective}</title>" in pacing
    kpi = next(k for k in ctx.kpis if k.kpi_id == "win_rate")
    assert "<title>Gráfico de tendencia: Tasa de cierre</title>" in trend_chart(kpi, ctx.locale, ctx.currency)
    assert unit_label("currency_per_day", "EUR", "es_ES") == "EUR por día"
    assert unit_label("percent", "EUR", "es_ES") == "Porcentaje" and unit_label("odd", "EUR", "es_ES") == "Valor"
    assert unit_label("per_rep", "USD") == "USD per rep"


def test_attachment_name_in_the_report_language(make_context: ContextFactory) -> None:
    assert make_context(locale="es_ES").file_stem == "KPI de ventas Península 2026-W47"
    assert make_context().file_stem == "Sales KPIs Península 2026-W47"


def test_every_catalogue_formula_reads_in_spanish() -> None:
    for kpi in KPI_CATALOGUE.values():
        assert gettext("es_ES", kpi.formula) != kpi.formula or not kpi.formula, kpi.id
