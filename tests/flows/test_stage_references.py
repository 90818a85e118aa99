"""The known ids and ownerless rows are worked out once per ingest, and again for a new one."""

from __future__ import annotations

from flows.stages import _references
from tests.transforms.frames import DEFAULT_REPS, raw
from transforms.normalise import normalise
from transforms.schema import TABLES


def _tables(reps: list[dict[str, str]]) -> dict:
    leads = [{"lead_id": "l1", "owner_rep_id": "nobody", "created_at": "2026-11-16T09:00:00Z"}]
    rows = {name: [] for name in TABLES} | {"reps": reps, "leads": leads}
    return normalise({name: raw(name, r) for name, r in rows.items()})


def test_the_same_tables_give_the_same_answer_without_a_new_scan():
    tables = _tables(DEFAULT_REPS)
    first = _references(tables, "UTC")
    assert first[0] == {"r1", "r2", "x9"} and list(first[2].leads["lead_id"]) == ["l1"]
    again = _references(tables, "UTC")
    assert all(a is b for a, b in zip(first, again, strict=True))


def test_a_new_ingest_is_scanned_afresh():
    first = _references(_tables(DEFAULT_REPS), "UTC")
    other = _references(_tables(DEFAULT_REPS[:1]), "UTC")
    assert other[0] == {"r1"} and other[0] is not first[0]
