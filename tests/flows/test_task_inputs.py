"""What Prefect reads of a task's arguments: it walks every field of a dataclass looking for futures, so a
TeamData's memo (hundreds of remembered values and parts, each with a memo of its own) must not be a field.
With it walked, a 52-week backfill whose periods share one memo spent most of its time in that walk."""

from __future__ import annotations

from dataclasses import replace

from prefect.utilities.collections import visit_collection

from tests.transforms.kpi_data import DATA


def test_prefect_walks_a_team_datas_frames_but_not_what_it_has_worked_out():
    data = replace(DATA)
    remembered = object()
    data.memo("probe", lambda: remembered)
    seen: list[object] = []
    visit_collection({"data": data}, lambda expr: seen.append(expr), return_data=False)
    assert any(expr is data.deals for expr in seen)  # the walk did reach the frames
    assert not any(expr is remembered for expr in seen)
