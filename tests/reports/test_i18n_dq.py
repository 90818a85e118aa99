"""Data-quality findings in Spanish: the suites' meaning and fix, check names, sample headings and shares."""

import io
import re
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from reports.dq import render_dq_html
from reports.emails import compose_alert_email
from reports.quality import check_name, exclusion_reason, exclusion_sentence, sample_table
from reports.render import render_pdf
from tests.reports.conftest import make_history
from tests.reports.demo_like import make_suite_critical, make_suite_warnings, suite_failure

GENERATED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def _text(html: str) -> str:
    """The page's text with runs of white space made one; no-break spaces kept (they are part of "0,2 %")."""
    return re.sub(r"[ \t\r\n]+", " ", BeautifulSoup(html, "html.parser").get_text(" "))


@pytest.fixture(scope="module")
def dq_page() -> BeautifulSoup:
    html = render_dq_html("Acme", "Sur", "2026-10", make_suite_critical(), make_history(), "es_ES", GENERATED)
    return BeautifulSoup(html, "html.parser")


def test_dq_page_shows_the_suite_texts_in_spanish(dq_page: BeautifulSoup) -> None:
    amount = dq_page.select('article[data-severity="warning"]')[0]
    assert " ".join(amount.select_one("td.meaning").get_text().split()) == (
        "Algunas operaciones tienen un importe por encima del máximo plausible, probablemente una errata "
        "(un cero de más); se excluyen."
    )
    assert "quality.max_amount en la configuración" in amount.select_one("td.fix").get_text()
    assert amount.select_one(".check").get_text() == "valor dentro del rango"
    assert amount.select_one(".check-id").get_text() == "column_values_to_be_between"  # the suite's own id, kept
    assert "3 de 1.250 (0,2\xa0%)" in amount.select_one("td.failing").get_text()
    assert "probably a typo" not in dq_page.get_text()


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
    assert [th.get_text() for th in stage.select("table.dq-samples th")] == ["deal_id", "stage"]
    assert stage.select_one(".check").get_text() == "valor informado"


@pytest.fixture(scope="module")
def alert() -> EmailMessage:
    return compose_alert_email(
        "Acme", "Sur", "2026-10", make_suite_critical(), "a@example.com", ["b@example.com"], "dq.html", locale="es_ES"
    )


def test_spanish_alert_email_words_each_failure_in_spanish(alert: EmailMessage) -> None:
    plain, html = alert.get_body(("plain",)), alert.get_body(("html",))
    assert plain is not None and html is not None
    for body in (plain.get_content(), _text(html.get_content())):
        assert "Algunas filas de deals.csv tienen stage vacío." in body
        assert "Rellene stage en esas filas en el CRM y vuelva a exportar." in body
        assert "valor informado" in body and "column_values_to_not_be_null" in body
        assert "(4,6\xa0%)" in body
        assert "Some deals" not in body and "Fill in" not in body and "(4.6%)" not in body
    assert "tabla=orders, filas=12, habitual=40, más reciente=2026-11-12" in plain.get_content()


def test_english_alert_keeps_the_suite_texts() -> None:
    msg = compose_alert_email("Acme", "South", "2026-10", make_suite_critical(), "a@x.com", ["b@x.com"], None)
    plain = msg.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "Some deals rows have an empty stage." in text and "(value filled in: column_values_to_not_be_null)" in text
    assert "table=orders, rows=12, usual=40, latest=2026-11-12" in text


def test_exclusion_reasons_in_spanish() -> None:
    amount, activities = make_suite_warnings().failures[:2]
    assert (
        exclusion_sentence(amount, "es_ES")
        == "3 operaciones fuera del cálculo: importe por encima del máximo plausible"
    )
    assert exclusion_reason(activities, "es_ES") == "de un rep_id que no está en reps.csv"
    assert exclusion_reason(amount, "en_US") == "amount above the plausible maximum"
    # a meaning the catalogue lacks (a team's own suite): the check's wording, never the English clause
    custom = suite_failure("deals", "column_values_to_be_between", "amount", "warning", meaning="Some deals are odd.")
    assert exclusion_reason(custom, "es_ES") == "amount fuera del rango plausible"
    assert exclusion_reason(custom, "en_US") == "odd"


def test_check_names_and_sample_headings() -> None:
    assert check_name("expect_column_values_to_be_unique") == "unique value"
    assert check_name("column_values_to_be_unique", "es_ES") == "valor único"
    assert check_name("some_custom_check", "es_ES") == ""
    observed = suite_failure("deals", "column_to_exist", "stage", samples=[{"observed": "3", "expected": "1 to 5"}])
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
