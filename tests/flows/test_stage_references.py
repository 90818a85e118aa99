"""The known ids and ownerless rows, worked out once per ingest for every team's checks."""

from __future__ import annotations

from salespulse.flows.stages import references
from salespulse.transforms.normalise import normalise
from salespulse.transforms.schema import TABLES
from tests.transforms.frames import DEFAULT_REPS, raw


def _tables(reps: list[dict[str, str]]) -> dict:
    leads = [{"lead_id": "l1", "owner_rep_id": "nobody", "created_at": "2026-11-16T09:00:00Z"}]
    rows = {name: [] for name in TABLES} | {"reps": reps, "leads": leads}
    return normalise({name: raw(name, r) for name, r in rows.items()})


def test_the_known_ids_and_the_rows_no_team_owns_on_each_calendar():
    refs = references.fn(_tables(DEFAULT_REPS), ["UTC", "America/New_York", "UTC"])
    assert refs.known_reps == {"r1", "r2", "x9"}
    assert sorted(refs.strays) == ["America/New_York", "UTC"]  # one scan per calendar, not per team
    assert list(refs.strays["UTC"].leads["lead_id"]) == ["l1"]


def test_another_ingest_has_its_own_known_ids():
    assert references.fn(_tables(DEFAULT_REPS[:1]), ["UTC"]).known_reps == {"r1"}
