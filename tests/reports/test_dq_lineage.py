"""dq.html's footer: the files and config the run read, which the report itself leaves out (a week added to
the export must not make the report a new version), in the page's language."""

from datetime import UTC, datetime

from bs4 import BeautifulSoup

from salespulse.reports.dq import render_dq_html
from tests.reports.contexts import make_history, make_warnings

LINEAGE = {
    "input deals.csv": "6f56486a84b50eee",
    "input reps.csv": "c68ec960dbe1a41a",
    "config": "f733841e9743ce94",
    "validation run": "759751c08c6d",
    "salespulse": "0.1.0",
}
GENERATED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def _footer(locale: str, lineage: dict[str, str] | None) -> BeautifulSoup | None:
    html = render_dq_html("Acme", "Norte", "2026-W45", make_warnings(), make_history(), locale, GENERATED, lineage)
    return BeautifulSoup(html, "html.parser").select_one("footer.lineage")


def test_dq_page_lists_the_files_and_config_the_run_read() -> None:
    footer = _footer("en_US", LINEAGE)
    rows = [(tr.th.get_text(), tr.td.get_text()) for tr in footer.select("tr")]
    assert rows == list(LINEAGE.items()) and footer.h2.get_text() == "About this report"


def test_dq_page_lineage_speaks_the_pages_language() -> None:
    footer = _footer("es_ES", LINEAGE)
    keys = [th.get_text() for th in footer.select("th")]
    assert keys == ["entrada deals.csv", "entrada reps.csv", "configuración", "validación", "salespulse"]
    assert footer.h2.get_text() == "Sobre este informe"


def test_dq_page_without_lineage_has_no_footer() -> None:
    assert _footer("en_US", None) is None
