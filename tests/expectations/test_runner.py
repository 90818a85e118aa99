"""Real GX validations of small frames, checked through the verdict the data owner will read."""

import json
from importlib import resources

import pytest

from expectations.runner import validate, validate_table
from tests.transforms.frames import deal, raw
from transforms.normalise import normalise_table
from transforms.schema import TABLES


def typed_deals(rows):
    return normalise_table(raw("deals", rows), TABLES["deals"])


GOOD = [deal(f"d{i}", "won", 100 * i, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z") for i in range(1, 6)]


def test_clean_frame_passes_every_check():
    checks, failures = validate_table("deals", typed_deals(GOOD))
    assert failures == []
    assert checks == len(
        json.loads(resources.files("expectations").joinpath("suites/deals.json").read_text())["expectations"]
    )


def test_each_fault_is_named_with_its_rows_meaning_and_fix():
    bad = GOOD + [
        deal("d6", "won", -450, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        deal("d7", "Closed Won", 100, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        deal("d1", "won", 999, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        {
            **deal("d8", "won", 100, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
            "expected_close_on": "2026-09-31",
        },
    ]
    verdict = validate({"deals": typed_deals(bad)})
    found = {(f.column, f.check): f for f in verdict.failures}
    assert set(found) == {
        ("amount", "column_values_to_be_between"),
        ("stage", "column_values_to_be_in_set"),
        ("deal_id", "column_values_to_be_unique"),
        ("parse_errors", "column_values_to_be_null"),
    }
    negative = found[("amount", "column_values_to_be_between")]
    assert (negative.severity, negative.failing, negative.total) == ("critical", 1, 9)
    assert negative.samples == [{"deal_id": "d6", "amount": "-450"}]
    assert "negative" in negative.meaning and negative.fix
    assert found[("stage", "column_values_to_be_in_set")].samples[0]["stage"] == "Closed Won"
    assert (
        found[("parse_errors", "column_values_to_be_null")].samples[0]["parse_errors"] == "expected_close_on=2026-09-31"
    )
    assert verdict.status == "failed" and not verdict.passed


def test_missing_column_is_reported_once_not_for_every_check_on_it():
    frame = typed_deals(GOOD).drop(columns=["amount"])
    _, failures = validate_table("deals", frame)
    assert [(f.column, f.check) for f in failures] == [("amount", "column_to_exist")]


def test_samples_are_capped_at_ten_rows():
    rows = [deal(f"n{i}", "won", -1, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z") for i in range(25)]
    _, failures = validate_table("deals", typed_deals(rows))
    assert failures[0].failing == 25 and len(failures[0].samples) == 10


@pytest.mark.parametrize("table", list(TABLES))
def test_every_suite_covers_its_table_and_explains_each_check(table):
    suite = json.loads(resources.files("expectations").joinpath(f"suites/{table}.json").read_text())
    columns = {e["kwargs"]["column"] for e in suite["expectations"] if e["type"] == "expect_column_to_exist"}
    assert columns == set(TABLES[table].columns)
    for expectation in suite["expectations"]:
        assert expectation["severity"] in ("critical", "warning", "info")
        assert expectation["meta"]["meaning"] and expectation["meta"]["fix"]
