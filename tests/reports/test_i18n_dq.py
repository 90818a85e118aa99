"""Data-quality findings in Spanish: the suites' meaning and fix, check names, sample headings and shares."""

import io
import re
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from salespulse.reports.dq import render_dq_html
from salespulse.reports.emails import compose_alert_email
from salespulse.reports.quality import exclusion_sentence, left_out_lines, sample_table
from salespulse.reports.render import render_pdf
from salespulse.transforms.results import KpiResult, LeftOut
from tests.reports.contexts import make_history
from tests.reports.demo_like import make_suite_critical, make_suite_warnings, suite_failure

GENERATED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def _text(html: str) -> str:
    """The page's text with runs of white space made one; no-break spaces kept (they are part of "0,2 %")."""
    return re.sub(r"[ \t\r\n]+", " ", BeautifulSoup(html, "html.parser").get_text(" "))


@pytest.fixture(scope="module")
def dq_page() -> BeautifulSoup:
    html = render_dq_html("Acme", "Sur", "2026-10", make_suite_critical(), make_history(), "es_ES", GENERATED)
    return BeautifulSoup(html, "html.parser")


def test_dq_page_shows_the_check_texts_in_spanish(dq_page: BeautifulSoup) -> None:
    amount = dq_page.select('article[data-severity="warning"]')[0]
    assert " ".join(amount.select_one("td.meaning").get_text().split()) == (
        "Hay operaciones mucho mayores de lo habitual en este equipo: se cuentan; compruebe que son reales."
    )
    assert "quality.max_amount" in amount.select_one("td.fix").get_text()
    assert amount.select_one(".check-id").get_text() == "implausible_amount"  # the registry's own id, kept
    assert "2 de 1.250 (0,2\xa0%)" in amount.select_one("td.failing").get_text()
    assert "are counted; check" not in dq_page.get_text()


def test_dq_page_names_what_a_critical_failure_makes_unknowable(dq_page: BeautifulSoup) -> None:
    stage = dq_page.select_one('article[data-severity="critical"]')
    assert "Cifras que impide conocer" in stage.get_text()
    assert all(name in stage.get_text() for name in ("Ingresos ganados", "Tasa de cierre"))


def test_dq_page_sample_headings_of_derived_frames_are_spanish(dq_page: BeautifulSoup) -> None:
    intake = next(a for a in dq_page.select("article.dq-failure") if "intake" in a.select_one(".field").get_text())
    assert [th.get_text() for th in intake.select("table.dq-samples th")] == [
        "tabla",
        "filas",
        "habitual",
        "más reciente",
    ]
    stage = dq_page.select_one('article[data-severity="critical"]')
    # a CRM export's own columns stay as the export spells them
    assert [th.get_text() for th in stage.select("table.dq-samples th")] == ["deal_id", "stage", "amount"]


@pytest.fixture(scope="module")
def alert() -> EmailMessage:
    return compose_alert_email(
        "Acme", "Sur", "2026-10", make_suite_critical(), "a@example.com", ["b@example.com"], "dq.html", locale="es_ES"
    )


def test_spanish_alert_email_words_each_failure_in_spanish(alert: EmailMessage) -> None:
    plain, html = alert.get_body(("plain",)), alert.get_body(("html",))
    assert plain is not None and html is not None
    for body in (plain.get_content(), _text(html.get_content())):
        assert "no se puede saber si se ganaron o se perdieron." in body
        assert "Asigne la etiqueta de etapa de la exportación a una etapa canónica" in body
        assert "closed_unknown_stage" in body and "Cifras que impide conocer" in body
        assert "(4,6\xa0%)" in body
        assert "Closed deals carry" not in body and "Map the export" not in body and "(4.6%)" not in body
    assert "tabla=orders, filas=12, habitual=40, más reciente=2026-11-12" in plain.get_content()


def test_english_alert_keeps_the_check_texts() -> None:
    msg = compose_alert_email("Acme", "South", "2026-10", make_suite_critical(), "a@x.com", ["b@x.com"], None)
    plain = msg.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "won or lost cannot be known" in text and "closed_unknown_stage" in text
    assert "Numbers it makes unknowable: Won revenue, Deals won, Win rate" in text
    assert "table=orders, rows=12, usual=40, latest=2026-11-12" in text


def test_exclusion_sentences_and_kpi_notes_in_spanish() -> None:
    cycle = make_suite_warnings().failures[1]
    assert exclusion_sentence(cycle, "es_ES") == (
        "3 operaciones: fecha de creación posterior a la de cierre; se excluyen solo de los KPI que usan ese campo "
        "(cada uno lo indica)"
    )
    assert exclusion_sentence(cycle, "en_US") == (
        "3 deals: created date after the close date, left out only of the KPIs that read that field (each says so)"
    )
    note = LeftOut("deals.closed_before_created", "deals", 1, "created date after the close date")
    kpi = KpiResult("sales_cycle_days", "Sales cycle", "", "days", "lower", 15.0, 12.0, left_out=(note,))
    assert left_out_lines(kpi) == ["Leaves out 1 deal: created date after the close date"]
    assert left_out_lines(kpi, "es_ES") == ["Excluye 1 operación: fecha de creación posterior a la de cierre"]


def test_sample_headings() -> None:
    observed = suite_failure("intake.volume", samples=[{"observed": "3", "expected": "1 to 5"}])
    assert sample_table(observed, "es_ES") == (["observado", "esperado"], [["3", "1 to 5"]])
    assert sample_table(observed) == (["observed", "expected"], [["3", "1 to 5"]])


def test_dq_page_margins_in_spanish() -> None:
    """dq.html printed (WeasyPrint, or a browser with page-margin boxes) numbers its pages in Spanish too."""
    html = render_dq_html("Acme", "Sur", "2026-10", make_suite_critical(), make_history(), "es_ES", GENERATED)
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(render_pdf(html))).pages
    )
    assert re.search(r"página 1 de \d", text) and "page 1 of" not in text
    assert "Calidad de datos · Sur" in text
