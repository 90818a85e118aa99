"""A table's result is reused only for the very same frame object and the same parameter values."""

from __future__ import annotations

from datetime import date

from expectations.runner import validate_table
from tests.expectations.test_runner import GOOD, RELAXED, REPS, W47
from tests.transforms.frames import deal, team
from transforms.quality import check_inputs


def _inputs(deals):
    data = team(reps=REPS, deals=deals)
    return check_inputs(data, W47, date(2026, 11, 23), {"r1", "r2"}, {"a1"}, RELAXED)


def test_the_same_frame_and_parameters_give_the_same_result_without_a_new_run():
    inputs = _inputs(GOOD)
    first = validate_table("deals", inputs.frames["deals"], inputs.parameters["deals"])
    assert validate_table("deals", inputs.frames["deals"], inputs.parameters["deals"]) is first


def test_another_frame_or_another_parameter_value_is_validated_afresh():
    inputs = _inputs(GOOD)
    frame, parameters = inputs.frames["deals"], inputs.parameters["deals"]
    clean = validate_table("deals", frame, parameters)
    assert clean.failures == []
    assert validate_table("deals", frame, {**parameters, "unknown_rep_ids": ["r1"]}).failures  # r1's deals
    bad = _inputs([*GOOD, deal("d9", "won", -5, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z")])
    assert validate_table("deals", bad.frames["deals"], bad.parameters["deals"]).failures
    assert validate_table("deals", frame.copy(), parameters).failures == []
