"""Translations: the Spanish catalogue covers every marked string, and a report follows ctx.locale."""

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from pypdf import PdfReader

import expectations
import reports
from salespulse.expectations.runner import load_suite
from salespulse.reports import i18n
from salespulse.reports.context import ReportContext
from salespulse.reports.emails import alert_subject, compose_alert_email, report_subject
from salespulse.reports.render import render_html, render_pdf
from salespulse.reports.terms import ACTIVITY_TYPE_NAMES, STAGE_NAMES, basis_label, stage_name
from salespulse.transforms.checks import CHECKS
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.results import BaselineBasis, BaselineKind
from salespulse.transforms.schema import ACTIVITY_TYPES, DEAL_STAGES
from tests.reports.contexts import make_history

ContextFactory = Callable[..., ReportContext]
PACKAGE = Path(reports.__file__).parent
PO_FILE = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "salespulse.po"
SUITES = Path(expectations.__file__).parent / "suites"
# Python modules mark strings with N_("…") and translate with gettext(locale, "…") / ngettext(locale, "…", "…", n).
PYTHON_KEYWORDS = {"N_": None, "gettext": (2,), "ngettext": (2, 3)}
ENGLISH_HEADINGS = {
    "The three things that moved most",
    "Goals",
    "Trends",
    "All KPIs",
    "Funnel",
    "Rep leaderboard",
    "Breakdowns",
    "Data-quality appendix",
    "Glossary",
    "About this report",
    "By product",
    "By lead source",
    "Data-quality warnings",
}


def _catalog():
    with PO_FILE.open("rb") as fp:
        return read_po(fp, locale="es", domain=i18n.DOMAIN)


def _used_msgids() -> set[str]:
    ids: set[str] = set()
    for template in sorted((PACKAGE / "templates").iterdir()):
        for _line, message, _comments, _context in extract_from_file(
            "jinja2.ext.babel_extract", str(template), keywords=DEFAULT_KEYWORDS
        ):
            ids.update([message] if isinstance(message, str) else [m for m in message if m])
    for module in sorted(PACKAGE.glob("*.py")):
        for _line, message, _comments, _context in extract_from_file("python", str(module), keywords=PYTHON_KEYWORDS):
            ids.update([message] if isinstance(message, str) else [m for m in message if m])
    return ids | _suite_msgids() | _kpi_msgids()


def _kpi_msgids() -> set[str]:
    """Every catalogue KPI's name, definition and formula: the tiles, tables, charts and glossary show them."""
    return {text for kpi in KPI_CATALOGUE.values() for text in (kpi.name, kpi.definition, kpi.formula) if text}


def _suite_msgids() -> set[str]:
    """Every check's meaning, fix and note (the DQ page, appendix, banner, alert and KPI notes show them through
    the catalogue), and every derived suite's meaning and fix."""
    ids = {text for check in CHECKS.values() for text in (check.meaning, check.fix, check.note)}
    for path in sorted(SUITES.glob("*.json")):
        suite = json.loads(path.read_text("utf-8"))
        for expectation in suite["expectations"]:
            meta = expectation.get("meta", {})
            ids.update([meta.get("meaning", ""), meta.get("fix", "")])
    return ids - {""}


def test_every_suite_text_is_collected() -> None:
    suite_ids = _suite_msgids()
    assert len(suite_ids) > 150
    assert CHECKS["deals.closed_before_created"].note == "created date after the close date"
    assert "created date after the close date" in suite_ids  # what a KPI says it left out
    assert load_suite("intake")["expectations"][0]["meta"]["meaning"] in suite_ids


def test_catalogue_parses_and_is_not_fuzzy() -> None:
    catalog = _catalog()
    assert len(catalog) > 200
    assert catalog.num_plurals == 2
    assert not [message.id for message in catalog if message.id and message.fuzzy]


def test_every_marked_string_has_a_spanish_translation() -> None:
    translated: dict[str, bool] = {}
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        done = all(s.strip() for s in strings)
        for msgid in ids:
            translated[msgid] = done
    used = _used_msgids()
    assert len(used) > 200
    missing = sorted(msgid for msgid in used if not translated.get(msgid))
    assert not missing, missing


def test_placeholders_survive_translation() -> None:
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s|\{\w+\}", ids[-1]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s|\{\w+\}", string)) <= wanted | set(re.findall(r"%\(\w+\)s", ids[0])), (
                message.id
            )


def test_translations_per_locale() -> None:
    assert i18n.gettext("es_ES", "Goals") == "Objetivos"
    assert i18n.gettext("es", "Win rate") == "Tasa de cierre"
    assert i18n.gettext("en_US", "Goals") == "Goals"
    assert i18n.gettext("de_DE", "Goals") == "Goals"  # no catalogue: English
    assert i18n.ngettext("es_ES", "%(n)s deal", "%(n)s deals", 3) % {"n": 3} == "3 operaciones"
    assert i18n.translations("es_ES") is i18n.translations("es_MX")  # cached per language


def _headings(soup: BeautifulSoup) -> set[str]:
    return {" ".join(h.get_text(" ").split()) for h in soup.select("h1, h2, h3")}


@pytest.fixture(scope="module")
def spanish_html(make_context: ContextFactory) -> str:
    return render_html(make_context("warnings", locale="es_ES", currency="EUR"))


def test_spanish_report_has_spanish_headings_and_numbers(spanish_html: str) -> None:
    soup = BeautifulSoup(spanish_html, "html.parser")
    headings = _headings(soup)
    assert {"Objetivos", "Todos los KPI", "Glosario", "Anexo de calidad de datos"} <= headings
    assert not headings & ENGLISH_HEADINGS
    assert soup.html is not None and soup.html["lang"] == "es-ES"
    text = soup.get_text(" ")
    assert re.search(r"\d{1,3}(\.\d{3})+\xa0€", text)  # "128.450 €"
    assert not [n.get_text() for n in soup.select(".num") if "$" in n.get_text()]
    assert "Ingresos ganados" in text or "Tasa de cierre" in text
    assert "Esta semana" in text
    assert "en riesgo" in text or "va bien" in text
    # CSS classes, data attributes and KPI ids stay as they are
    assert soup.select("[data-kpi]") and soup.select(".goal")


def test_english_report_is_unchanged(make_context: ContextFactory) -> None:
    soup = BeautifulSoup(render_html(make_context("warnings")), "html.parser")
    headings = _headings(soup)
    assert {"Goals", "All KPIs", "Glossary", "Data-quality appendix"} <= headings
    assert "Objetivos" not in soup.get_text(" ")
    assert "$" in soup.get_text(" ")


def test_renders_in_turn_do_not_leak_the_language(make_context: ContextFactory, spanish_html: str) -> None:
    english = render_html(make_context("warnings"))
    assert "Objetivos" in spanish_html and "Objetivos" not in english


def test_spanish_email_subjects(make_context: ContextFactory) -> None:
    ctx = make_context("warnings", locale="es_ES", currency="EUR")
    subject = report_subject(ctx)
    assert subject.startswith("KPI de ventas · Península · 2026-W47 (16–22 nov 2026)")
    assert "en riesgo" in subject or "objetivo" not in subject
    assert report_subject(make_context("warnings")).startswith("Sales KPIs · Península")
    verdict = make_context("critical").dq
    assert alert_subject("Península", "2026-W47", verdict, "es_ES").startswith("Alerta de calidad de datos · Península")


def test_spanish_alert_email(make_context: ContextFactory) -> None:
    verdict = make_context("critical").dq
    msg = compose_alert_email(
        "Acme", "Península", "2026-W47", verdict, "a@example.com", ["b@example.com"], None, locale="es_ES"
    )
    plain = msg.get_body(("plain",))
    assert plain is not None
    assert "Alerta de calidad de datos" in plain.get_content()
    assert "Cómo corregirlo" in plain.get_content()


def test_spanish_pdf_has_a_spanish_heading(spanish_html: str) -> None:
    pdf = render_pdf(spanish_html)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "OBJETIVOS" in text or "GLOSARIO" in text
    assert "GLOSSARY" not in text
    # the page margins too: title and page numbers
    assert "KPI de ventas · " in text and re.search(r"página 1 de \d", text) and "page 1 of" not in text


def test_shared_dq_blocks_follow_each_render_language(make_context: ContextFactory) -> None:
    """_dq.html's macros are imported by both pages: an import cached by the first render kept its language."""
    history = make_history()

    def trend_headers(locale: str, currency: str) -> list[str]:
        html = render_html(make_context("warnings", locale=locale, currency=currency, dq_history=history))
        return [th.get_text() for th in BeautifulSoup(html, "html.parser").select("table.dq-trend thead th")]

    for _ in range(2):  # English then Spanish, twice: whichever rendered first must not set the language
        assert trend_headers("en_US", "USD")[:2] == ["Period", "Checks run"]
        assert trend_headers("es_ES", "EUR")[:2] == ["Periodo", "Controles ejecutados"]


@pytest.mark.parametrize("kind", ["average", "benchmark", "too_short", "no_values"])
@pytest.mark.parametrize("cadence", ["weekly", "monthly", "quarterly", "daily"])
@pytest.mark.parametrize("periods", [1, 8])
def test_english_baseline_words_match_the_kpi_files(kind: BaselineKind, cadence: str, periods: int) -> None:
    """The report words the basis through the catalogue; kpis.json keeps transforms' English label: the same."""
    basis = BaselineBasis(kind, periods, cadence)
    assert basis_label(basis, "en_US") == basis.label


def test_spanish_baseline_words_agree_with_the_unit() -> None:
    assert basis_label(BaselineBasis("average", 8, "weekly"), "es_ES") == "media de las últimas 8 semanas"
    assert basis_label(BaselineBasis("average", 1, "weekly"), "es_ES") == "media de la última semana"
    assert basis_label(BaselineBasis("average", 6, "monthly"), "es_ES") == "media de los últimos 6 meses"
    assert basis_label(BaselineBasis("average", 4, "quarterly"), "es_ES") == "media de los últimos 4 trimestres"
    assert basis_label(BaselineBasis("benchmark", 8, "weekly"), "es_ES") == (
        "referencia del sector (menos de 8 semanas de historial propio)"
    )
    too_short = BaselineBasis("too_short", 3, "monthly")
    assert basis_label(too_short, "es_ES") == "sin referencia: menos de 3 meses de historial"
    assert basis_label(None, "es_ES") == ""


def test_spanish_funnel_stages_and_activity_types(spanish_html: str) -> None:
    soup = BeautifulSoup(spanish_html, "html.parser")
    stages = [td.get_text() for td in soup.select("table.funnel-table td.stage")]
    assert stages == ["Prospección", "Cualificación", "Propuesta", "Negociación", "Ganada"]
    types = soup.select_one('div.breakdown[data-dimension="type"]')
    assert types is not None and [th.get_text() for th in types.select("tbody th")] == ["Llamada", "Correo", "Reunión"]


def test_every_canonical_stage_and_activity_type_has_a_name() -> None:
    assert set(STAGE_NAMES) == set(DEAL_STAGES) and set(ACTIVITY_TYPE_NAMES) == set(ACTIVITY_TYPES)
    assert stage_name("Closed Won", "es_ES") == "Closed Won"  # not canonical: shown as the data has it
