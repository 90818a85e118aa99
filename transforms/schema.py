"""The canonical data model: the contract every CRM export is mapped onto.

Each table lists its columns by kind. Ingest reads every column as text; `normalise` turns the
kinds below into typed columns. Keeping the kinds here (not in ingest or in the suites) means the
reader, the normaliser and the expectations agree on one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEAL_STAGES_OPEN = ("prospecting", "qualification", "proposal", "negotiation")
DEAL_STAGES_CLOSED = ("won", "lost")
DEAL_STAGES = DEAL_STAGES_OPEN + DEAL_STAGES_CLOSED
LEAD_STATUSES = ("new", "working", "qualified", "disqualified", "converted")
ACTIVITY_TYPES = ("call", "email", "meeting", "task")


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    text: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # calendar dates, no time of day
    timestamps: tuple[str, ...] = ()  # instants, stored as UTC
    optional: tuple[str, ...] = field(default=())  # may be empty in a valid row

    @property
    def columns(self) -> tuple[str, ...]:
        return self.text + self.numbers + self.dates + self.timestamps


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "reps",
            key="rep_id",
            text=("rep_id", "name", "email", "team"),
            dates=("hired_on", "left_on"),
            optional=("left_on",),
        ),
        Table(
            "accounts",
            key="account_id",
            text=("account_id", "name", "industry", "country"),
            dates=("created_on",),
        ),
        Table(
            "leads",
            key="lead_id",
            text=("lead_id", "source", "owner_rep_id", "status", "account_id"),
            timestamps=("created_at", "converted_at"),
            optional=("converted_at", "account_id"),
        ),
        Table(
            "deals",
            key="deal_id",
            text=("deal_id", "account_id", "owner_rep_id", "product", "stage", "currency"),
            numbers=("amount",),
            dates=("expected_close_on",),
            timestamps=("created_at", "closed_at"),
            optional=("closed_at",),
        ),
        Table(
            "activities",
            key="activity_id",
            text=("activity_id", "rep_id", "type", "deal_id", "lead_id"),
            timestamps=("due_at", "completed_at"),
            optional=("deal_id", "lead_id", "completed_at"),
        ),
        Table(
            "orders",
            key="order_id",
            text=("order_id", "account_id", "deal_id", "product", "currency"),
            numbers=("amount",),
            timestamps=("ordered_at",),
        ),
    )
}

PARSE_ERRORS = "parse_errors"
"""Column added by `normalise`: the raw text of every cell that was not a valid number or date."""

TRIMMED = "trimmed"
"""Column added by `normalise`: text cells that had spaces before or after them, as `column='raw'`. The
values are trimmed (so "GTX Pro " is "GTX Pro"), and the gate counts them instead of hiding the fix."""
