"""The report email prints each set of amounts in one money format, as the report does ("$0" beside
"$13,471"), and says why a rate goal cannot be judged, in both its bodies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from email.message import EmailMessage

from bs4 import BeautifulSoup

from salespulse.reports.context import ReportContext
from salespulse.reports.emails import compose_report_email
from salespulse.transforms.highlights import DealLine, Highlights

ContextFactory = Callable[..., ReportContext]
PDF = b"%PDF-1.7\n%%EOF\n"


def _bodies(ctx: ReportContext) -> tuple[str, BeautifulSoup]:
    msg: EmailMessage = compose_report_email(ctx, PDF, "a@example.com", ["b@example.com"])
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), BeautifulSoup(html.get_content(), "html.parser")


def _words(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def _money_context(make_context: ContextFactory) -> ReportContext:
    """Revenue fell to nothing from $13,471; a $1,500 goal stands at $0 with $412.50 expected by now; the
    week's deals include one of $812.40 beside one of $13,471."""
    ctx = make_context()
    revenue = replace(ctx.kpis[0], value=0.0, previous=13_471.0, baseline=12_000.0)
    goal = replace(ctx.goals[0], target=1_500.0, actual=0.0, expected_by_now=412.5, projected=0.0, period_value=0.0)
    happened = Highlights(
        won=[DealLine("D-1", "Acme", "Ana", 13_471.0), DealLine("D-2", "Beta", "Ben", 812.4)],
        lost=[DealLine("D-3", "Gamma", "Cy", 250.0)],
    )
    return replace(ctx, kpis=[revenue, *ctx.kpis[1:]], goals=[goal], highlights=happened, headline=("revenue",))


def test_each_set_of_amounts_has_one_money_format_in_the_text(make_context: ContextFactory) -> None:
    text, _html = _bodies(_money_context(make_context))
    assert "- Closed-won revenue: $0 (previous $13,471; ▼ down 100.0% (worse)) · baseline $12,000" in text
    assert "$0 of $1,500 (0.0%); expected by now $412; deadline Dec 31, 2026" in text
    assert "- Acme · Ana: $13,471" in text and "- Beta · Ben: $812" in text and "- Gamma · Cy: $250" in text
    assert ".00" not in text and ".40" not in text and ".50" not in text


def test_each_set_of_amounts_has_one_money_format_in_the_html(make_context: ContextFactory) -> None:
    _text, html = _bodies(_money_context(make_context))
    cells = [" ".join(td.get_text(" ").split()) for td in html.select("td")]
    assert "$0 Previous $13,471" in cells
    assert "$0 / $1,500 0.0% of the way · expected by now $412" in cells
    amounts = [cell for cell in cells if cell.startswith("$") and " " not in cell]
    assert amounts == ["$13,471", "$812", "$250"]
    assert ".00" not in _words(html) and ".40" not in _words(html)


def test_a_rate_goal_with_too_few_records_says_why_in_both_bodies(make_context: ContextFactory) -> None:
    ctx = make_context()
    thin = replace(
        ctx.goals[1], actual=None, status="no data", window_days=90, records=12, min_records=30, record_table="deals"
    )
    text, html = _bodies(replace(ctx, goals=[ctx.goals[0], thin]))
    block = text.split("- Lift win rate to 30% by year end\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == [
        "  NO DATA · n/a of 30.0% (n/a); expected by now 29.0%; deadline Dec 31, 2026",
        "  (over the last 90 days, 12 deals)",
        "  Too few records to judge: 12 in the window, at least 30 needed.",
    ]
    assert "over the last 90 days, 12 deals Too few records to judge: 12 in the window, at least 30 needed." in (
        _words(html)
    )


def test_a_rate_goal_with_enough_records_gives_its_window_only(make_context: ContextFactory) -> None:
    ctx = make_context()
    judged = replace(ctx.goals[1], window_days=90, records=212, min_records=30, record_table="deals")
    text, html = _bodies(replace(ctx, goals=[judged]))
    assert "  (over the last 90 days, 212 deals)\n" in text and "Too few" not in text
    assert "over the last 90 days, 212 deals" in _words(html) and "Too few" not in _words(html)


def test_the_spanish_text_email_says_why_too(make_context: ContextFactory) -> None:
    ctx = make_context(locale="es_ES")
    thin = replace(
        ctx.goals[1], actual=None, status="no data", window_days=90, records=12, min_records=30, record_table="deals"
    )
    text, _html = _bodies(replace(ctx, goals=[thin]))
    assert "  (en los últimos 90 días, 12 operaciones)\n" in text
    assert "  Muy pocos registros para valorarlo: 12 en el periodo, se necesitan al menos 30.\n" in text


def test_goals_needing_attention_are_counted_by_status(make_context: ContextFactory) -> None:
    """One goal off track and two at risk are not "3 goals at risk"."""
    ctx = make_context()
    goals = [replace(ctx.goals[0], status="off track"), ctx.goals[1], replace(ctx.goals[1], goal_id="g3")]
    msg = compose_report_email(replace(ctx, goals=goals), PDF, "a@example.com", ["b@example.com"])
    assert msg["Subject"].endswith(" · 1 goal off track, 2 goals at risk")
    text, html = _bodies(replace(ctx, goals=goals))
    assert "GOALS (1 off track, 2 at risk)" in text and "Goals · 1 off track, 2 at risk" in _words(html)
    spanish = compose_report_email(replace(ctx, goals=goals, locale="es_ES"), PDF, "a@example.com", ["b@x.es"])
    assert spanish["Subject"].endswith(" · 1 objetivo desviado, 2 objetivos en riesgo")
    assert "Objetivos · 1 desviado, 2 en riesgo" in _words(_bodies(replace(ctx, goals=goals, locale="es_ES"))[1])
