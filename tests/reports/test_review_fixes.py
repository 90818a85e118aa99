"""The sales manager's and data owner's review of the real reports: one money format per column, no double
negatives, no stray separators, archive statuses told apart, sample values for people, and a banner that
points at where the data-quality details really are."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from bs4 import BeautifulSoup

from salespulse.reports.archive import ArchiveEntry, render_archive
from salespulse.reports.context import ReportContext
from salespulse.reports.quality import sample_table
from salespulse.reports.render import render_html
from salespulse.transforms.highlights import DealLine, Highlights
from salespulse.transforms.results import LeaderboardRow

ContextFactory = Callable[..., ReportContext]


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_a_zero_beside_whole_amounts_shows_no_cents(make_context: ContextFactory) -> None:
    kpis = make_context().kpis
    revenue = next(k for k in kpis if k.kpi_id == "revenue")
    zero = replace(revenue, value=0.0, previous=13_471.0, baseline=12_000.0)
    leaderboard = [
        LeaderboardRow("r1", "Ana", 13_471.0, 3, 0.5, 1.0, 10),
        LeaderboardRow("r2", "Ben", 0.0, 0, 0.0, 0.0, 4),
    ]
    highlights = Highlights(won=[DealLine("D-1", "Acme", "Ana", 13_471.0), DealLine("D-2", "Beta", "Ben", 500.0)])
    ctx = make_context(
        kpis=[zero if k.kpi_id == "revenue" else k for k in kpis], leaderboard=leaderboard, highlights=highlights
    )
    soup = _soup(render_html(ctx))
    tile = soup.select_one('div.tile[data-kpi="revenue"] .tile-value')
    assert tile is not None and tile.get_text(strip=True) == "$0"
    row = soup.select_one('table.kpis tr[data-kpi="revenue"]')
    assert row is not None and "$0.00" not in row.get_text()
    board = [td.get_text(strip=True) for td in soup.select("table.leaderboard-table tbody tr td:nth-of-type(3)")]
    assert board == ["$13,471", "$0"]
    amounts = [td.get_text(strip=True) for td in soup.select('div[data-group="won"] td.num')]
    assert amounts == ["$13,471", "$500"]


def test_the_change_beside_up_or_down_has_no_sign(make_context: ContextFactory) -> None:
    soup = _soup(render_html(make_context()))
    for change in soup.select(".trend"):
        text = change.get_text(" ")
        assert "down \u2212" not in " ".join(text.split()) and "up +" not in " ".join(text.split())
    for mover in soup.select("li.mover"):
        assert "down \u2212" not in mover.get_text() and "up +" not in mover.get_text()
    assert "\u2212" not in "".join(t.get_text() for t in soup.select(".vs-baseline"))


def test_no_separator_before_a_missing_owner_or_company(make_context: ContextFactory) -> None:
    highlights = Highlights(won=[DealLine("D-1", "Acme", "", 1_000.0)])
    soup = _soup(render_html(make_context(company="", highlights=highlights)))
    who = soup.select_one('div[data-group="won"] td.who')
    assert who is not None and "·" not in who.get_text()
    company = soup.select_one("header.masthead p.company")
    assert company is not None and not company.get_text(strip=True).startswith("·")


def test_the_banner_points_at_dq_html_and_the_html_appendix(make_context: ContextFactory) -> None:
    soup = _soup(render_html(make_context(dq="warnings")))
    more = soup.select_one("p.dq-more")
    assert more is not None and "dq.html and the HTML report's appendix" in more.get_text()
    spanish = _soup(render_html(make_context(dq="warnings", locale="es_ES")))
    more = spanish.select_one("p.dq-more")
    assert more is not None and "dq.html y el anexo del informe HTML" in more.get_text()


def test_archive_statuses_have_their_own_words_and_classes() -> None:
    statuses = ["withheld", "outbox", "delivered", "dry-run", "failed"]
    entries = [ArchiveEntry("North", f"2026-W4{i}", status, None, None, None) for i, status in enumerate(statuses)]
    soup = _soup(render_archive("Northwind", entries, datetime(2026, 11, 23, tzinfo=UTC), "en_US"))
    cells = {cell.get_text(strip=True): cell["class"][1] for cell in soup.select("td.status span.archive-status")}
    assert cells == {
        "Withheld: data-quality failure": "archive-status-withheld",
        "In the outbox: not sent": "archive-status-outbox",
        "Delivered": "archive-status-delivered",
        "Rendered (dry run)": "archive-status-dry-run",
        "Failed: internal error": "archive-status-failed",
    }
    spanish = _soup(render_archive("Northwind", entries[1:2], datetime(2026, 11, 23, tzinfo=UTC), "es_ES"))
    assert "En la bandeja de salida: no enviado" in spanish.get_text()


def test_sample_values_are_formatted_by_column(make_context: ContextFactory) -> None:
    failure = make_context(dq="warnings").dq.failures[0]
    samples = [
        {"table": "orders", "gap_share": "0.3126628452318916", "ratio": "1.89831", "won": "13471.5",
         "invoiced": "9000", "rows": "1204", "deal_id": "1001", "close_date": "2026-11-21"},
        {"table": "deals", "gap_share": "0.05", "ratio": "", "won": "250", "invoiced": "12.25",
         "rows": "3", "deal_id": "D-7", "close_date": ""},
    ]  # fmt: skip
    _, rows = sample_table(replace(failure, samples=samples), "en_US")
    assert rows == [
        ["orders", "31.3%", "189.8%", "13,471.50", "9,000.00", "1,204", "1001", "2026-11-21"],
        ["deals", "5.0%", "", "250.00", "12.25", "3", "D-7", ""],
    ]
    _, spanish = sample_table(replace(failure, samples=samples[:1]), "es_ES")
    assert spanish[0][1] == "31,3\xa0%" and spanish[0][5] == "1.204"
