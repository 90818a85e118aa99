"""kpis.csv opens in a spreadsheet as data: CRM values shaped like formulas (tests/data/formulas/) go through a
real run and come out with OWASP's leading apostrophe; the tool's own numbers stay numbers; kpis.json keeps
every value as the CRM has it.

tests/data/formulas/, team east, week 2026-W47 (16–22 Nov 2026); reps R1 "@SUM(1)", R2 "-2+3":
  D1 =HYPERLINK("http://x","y")  R1 won 1,000     D2 =cmd|' /C calc'!A0  R1 won 2,000
  D3 @SUM(1)                     R2 won   300     D4 +1                  R2 lost  400
  D5 -2+3                        R1 won   500
  W46: P1 +1, R1, won 5,000.
  → won revenue 1,000 + 2,000 + 300 + 500 = 3,800; previous 5,000; change (3,800 − 5,000) ÷ 5,000 = −0.24
    by rep: R1 3,500, R2 300; by product: each deal's amount, +1 0 (its one W47 deal was lost).
"""

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml

from salespulse.errors import EXIT_DELIVERED
from salespulse.flows.report_flow import weekly_report
from salespulse.store.inert_csv import csv_document, inert

pytestmark = pytest.mark.usefixtures("prefect_harness")
FORMULAS = Path(__file__).parents[1] / "data" / "formulas"
HYPERLINK = '=HYPERLINK("http://x","y")'
CALC = "=cmd|' /C calc'!A0"
PRODUCTS = {HYPERLINK: 1_000.0, CALC: 2_000.0, "@SUM(1)": 300.0, "+1": 0.0, "-2+3": 500.0}
REPS = {"R1": ("@SUM(1)", 3_500.0), "R2": ("-2+3", 300.0)}


@pytest.fixture(scope="module")
def east_w47(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, str]], dict]:
    tmp = tmp_path_factory.mktemp("formulas")
    settings = {
        "company": "Formula Co",
        "timezone": "UTC",
        "data_dir": str(shutil.copytree(FORMULAS, tmp / "data")),
        "output_dir": str(tmp / "out"),
        "data_owners": ["data@formula.example"],
        "kpis": ["won_revenue", "deals_won", "win_rate"],
        "teams": [{"id": "east", "name": "East", "recipients": ["east@formula.example"]}],
    }
    config = tmp / "salespulse.yaml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    state = weekly_report(config_path=str(config), period="2026-W47", team="east", return_state=True)
    (team,) = state.result(raise_on_failure=False).runs
    assert (team.status, team.exit_code) == ("outbox", EXIT_DELIVERED), team
    with (Path(team.report_dir) / "kpis.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows, json.loads(Path(team.kpis).read_text(encoding="utf-8"))


def test_formula_shaped_products_and_reps_get_a_leading_apostrophe_in_kpis_csv(east_w47):
    rows, _ = east_w47
    revenue = [row for row in rows if row["kpi"] == "won_revenue"]
    by_product = {row["label"]: float(row["value"]) for row in revenue if row["dimension"] == "product"}
    assert by_product == {f"'{name}": value for name, value in PRODUCTS.items()}
    assert {row["key"] for row in revenue if row["dimension"] == "product"} == {f"'{name}" for name in PRODUCTS}
    by_rep = {row["key"]: (row["label"], float(row["value"])) for row in revenue if row["dimension"] == "rep"}
    assert by_rep == {rep: (f"'{name}", value) for rep, (name, value) in REPS.items()}


def test_numbers_stay_numbers_and_no_text_cell_starts_like_a_formula(east_w47):
    rows, _ = east_w47
    (total,) = [row for row in rows if row["kpi"] == "won_revenue" and not row["dimension"]]
    assert (total["value"], total["previous"], total["change"]) == ("3800.0", "5000.0", "-0.24")
    for row in rows:
        for cell in row.values():
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell)  # only a number the tool wrote may start so: a text cell would fail here


def test_kpis_json_keeps_the_crm_values_as_they_are(east_w47):
    _, document = east_w47
    (revenue,) = [k for k in document["kpis"] if k["kpi"] == "won_revenue"]
    assert {r["label"]: r["value"] for r in revenue["breakdowns"]["product"]} == PRODUCTS
    assert {r["key"]: r["label"] for r in revenue["breakdowns"]["rep"]} == {k: v[0] for k, v in REPS.items()}
    assert revenue["change"] == pytest.approx(-0.24)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("\tpadded", "'\tpadded"), ("\rline", "'\rline"), ("-5.2", "'-5.2"), ("Acme", "Acme"), ("", ""),
     (-5.2, -5.2), (None, None), ("a=b", "a=b")],
)  # fmt: skip
def test_inert_escapes_text_only(cell: object, shown: object) -> None:
    assert inert(cell) == shown


def test_csv_document_reads_back_with_the_apostrophes_and_numbers_as_written() -> None:
    text = csv_document(["name", "value"], [{"name": "=1+1", "value": -3.5}, {"name": "+1", "value": None}])
    assert list(csv.reader(text.splitlines())) == [["name", "value"], ["'=1+1", "-3.5"], ["'+1", ""]]
