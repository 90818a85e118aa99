"""No English left in what a Spanish team and its data owner read: the report, dq.html and both emails.

Rendered from the demo-like context (the KPI catalogue's own texts, suite-worded findings, canonical stages),
so each phrase below is one the English rendering of the same context really prints: the test checks that,
too, so a phrase that drifts out of the English output cannot make the Spanish check pass vacuously.
Company, team, rep, product and source names and goal objectives are data: they stay as the data has them,
so no phrase below matches them.
"""

import re
from email.message import EmailMessage

import pytest
from bs4 import BeautifulSoup

from salespulse.reports.dq import render_dq_html
from salespulse.reports.emails import compose_alert_email, compose_report_email
from salespulse.reports.render import render_html
from tests.reports.demo_like import demo_like_context, make_suite_critical

ENGLISH_ONLY = [
    # baselines (item 1 of issue 5)
    "average of the last",
    "industry benchmark",
    "no baseline",
    "own history",
    r"\bweeks\b",
    r"\bmonths\b",
    # funnel stages and activity types
    r"\bProspecting\b",
    r"\bQualification\b",
    r"\bNegotiation\b",
    r"\bProposal\b",
    r"\bMeeting\b",
    r"\bTask\b",
    # data-quality texts, check names and sample headings
    r"\bDeals far larger\b",
    "they are counted",
    r"\bin the CRM\b",
    "left out only of the KPIs",
    "created date after the close date",
    "Numbers it makes unknowable",
    "Leaves out",
    r"\busual\b",  # not "latest": intake.latest is a column's name, kept as the suite spells it
    # units and charts
    "/day",
    r"\bper day\b",
    r"\bhours\b",
    "Pacing chart",
    "Trend chart",
    # glossary formulas, goal scope, lineage
    r"\bclosed_at in the period\b",
    r"\bdeals won\b",
    "best seller",
    r"\binput deals\.csv\b",
    "validation run",
    # the report's own words
    r"\bn/a\b",
    r"\bwarning\b",
    r"\bBaseline\b",
    r"\bPrevious\b",
    "Data-quality",
]


def _text(html: str) -> str:
    """What a reader sees or a screen reader says: text, and the aria-label/title attributes (chart titles)."""
    soup = BeautifulSoup(html, "html.parser")
    for style in soup.select("style"):
        style.decompose()
    spoken = [str(tag[name]) for tag in soup.find_all(True) for name in ("aria-label", "title") if tag.has_attr(name)]
    return " ".join(" ".join([soup.get_text(" "), *spoken]).split())


def _bodies(msg: EmailMessage) -> list[str]:
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    return [str(msg["Subject"]), plain.get_content(), _text(html.get_content())]


def _everything(locale: str, currency: str) -> str:
    ctx = demo_like_context(locale, currency)
    critical = make_suite_critical()
    names = (ctx.company, ctx.team_name, ctx.period_label)
    pages = [
        _text(render_html(ctx)),
        _text(render_dq_html(*names, critical, ctx.dq_history, locale, ctx.generated_at)),
        *_bodies(compose_report_email(ctx, b"%PDF-1.7", "r@example.com", ["t@example.com"])),
        *_bodies(compose_alert_email(*names, critical, "r@example.com", ["o@example.com"], "dq.html", locale=locale)),
    ]
    return "\n".join(pages)


@pytest.fixture(scope="module")
def english() -> str:
    return _everything("en_US", "USD")


@pytest.fixture(scope="module")
def spanish() -> str:
    return _everything("es_ES", "EUR")


@pytest.mark.parametrize("phrase", ENGLISH_ONLY)
def test_no_english_phrase_in_the_spanish_report_and_emails(phrase: str, english: str, spanish: str) -> None:
    assert re.search(phrase, english), f"{phrase!r} is not in the English rendering: drop it or fix the list"
    found = re.search(rf".{{0,60}}{phrase}.{{0,60}}", spanish)
    assert found is None, found.group(0) if found else ""


def test_the_spanish_rendering_is_spanish(spanish: str) -> None:
    for expected in ("media de los últimos 8 meses", "Prospección", "Tarea", "€/día", "Gráfico de tendencia"):
        assert expected in spanish
    assert "Hay operaciones mucho mayores de lo habitual en este equipo" in spanish
    assert "Excluye 3 operaciones: fecha de creación posterior a la de cierre" in spanish
