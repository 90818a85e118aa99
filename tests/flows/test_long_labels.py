"""A name of nearly 9,000 characters through a real run: cut to 60 characters (59 and "…") in the PDF, the HTML and
dq.html, whole in kpis.json and kpis.csv.

tests/data/honest/ (team east, 2026-W47; its KPI values are worked out in tests/flows/test_honest_numbers.py)
with three names replaced: the product Gadget by an 8,999-character Georgian name (won revenue 6,500 in
W47: W2 2,500 + B1 4,000), the rep R1 Ana Peña by a 479-character Greek one (won revenue 1,000 + 55 +
4,000 = 5,055), and the account A2 Globex, which the accounts.missing_details note samples, by the Georgian
name too. `report.full_pdf: true` puts the breakdowns and the leaderboard in the PDF.
"""

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from salespulse.errors import EXIT_DELIVERED
from salespulse.flows.report_flow import weekly_report

pytestmark = pytest.mark.usefixtures("prefect_harness")
HONEST = Path(__file__).parents[1] / "data" / "honest"
# 8,999 characters, no space at either end (a run trims padded names); DejaVu Sans draws Georgian and Greek,
# so pypdf reads them back
GEORGIAN = " ".join(["სამშენებლო კომპანია"] * 450)
GREEK = " ".join(["Αλέξανδρος Παπαδόπουλος"] * 20)
CUT = 59  # characters kept, then "…"


def _replace(folder: Path, table: str, column: str, old: str, new: str) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[column] = frame[column].replace(old, new)
    frame.to_csv(path, index=False, encoding="utf-8")


def _squeezed(text: str) -> str:
    return "".join(text.split())  # a table cell wraps a name over lines


@pytest.fixture(scope="module")
def east_w47(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("long_labels")
    data = shutil.copytree(HONEST, tmp / "data")
    _replace(data, "deals", "product", "Gadget", GEORGIAN)
    _replace(data, "reps", "name", "Ana Peña", GREEK)
    _replace(data, "accounts", "name", "Globex", GEORGIAN)
    settings = {
        "company": "Honest Co",
        "timezone": "UTC",
        "data_dir": str(data),
        "output_dir": str(tmp / "out"),
        "data_owners": ["data@honest.example"],
        "kpis": ["won_revenue", "deals_won", "win_rate"],
        "report": {"full_pdf": True},
        "teams": [{"id": "east", "name": "East", "recipients": ["east@honest.example"]}],
    }
    config = tmp / "salespulse.yaml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    state = weekly_report(config_path=str(config), period="2026-W47", team="east", return_state=True)
    (team,) = state.result(raise_on_failure=False).runs
    assert (team.status, team.exit_code) == ("outbox", EXIT_DELIVERED), team
    folder = Path(team.report_dir)
    pages = PdfReader(io.BytesIO(Path(team.pdf).read_bytes())).pages
    return {
        "pdf": _squeezed(" ".join(page.extract_text() or "" for page in pages)),
        "html": Path(team.html).read_text(encoding="utf-8") + (folder / "dq.html").read_text(encoding="utf-8"),
        "json": json.loads(Path(team.kpis).read_text(encoding="utf-8")),
        "csv": list(csv.DictReader(io.StringIO((folder / "kpis.csv").read_text(encoding="utf-8")))),
    }


def test_the_pdf_shows_each_long_name_cut_to_60_characters(east_w47):
    for name in (GEORGIAN, GREEK):
        assert _squeezed(name[:CUT] + "…") in east_w47["pdf"]
        assert _squeezed(name[: CUT + 5]) not in east_w47["pdf"]


def test_the_html_and_dq_html_hold_the_cut_name_only(east_w47):
    html = east_w47["html"]
    assert GEORGIAN[:CUT] + "…" in html and GEORGIAN[: CUT + 1] not in html
    assert GREEK[:CUT] + "…" in html and GREEK[: CUT + 1] not in html


def test_kpis_json_and_csv_keep_the_whole_names(east_w47):
    (revenue,) = [k for k in east_w47["json"]["kpis"] if k["kpi"] == "won_revenue"]
    assert {r["label"]: r["value"] for r in revenue["breakdowns"]["product"]} == {GEORGIAN: 6_500, "Widget": 1_055}
    assert {r["key"]: (r["label"], r["value"]) for r in revenue["breakdowns"]["rep"]} == {
        "R1": (GREEK, 5_055), "R2": ("Bo Li", 2_500)}  # fmt: skip
    rows = [row for row in east_w47["csv"] if row["kpi"] == "won_revenue" and row["dimension"] == "product"]
    assert {row["label"]: float(row["value"]) for row in rows} == {GEORGIAN: 6_500.0, "Widget": 1_055.0}
