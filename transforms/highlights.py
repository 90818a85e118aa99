"""What happened in a period, deal by deal: the largest deals won and lost, the deals that slipped and the
large new ones. Pure pandas on a team's data: page 1 and the email name them beside the headline numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from salespulse.transforms.kpi_inputs import in_window
from salespulse.transforms.periods import Period
from salespulse.transforms.team_data import TeamData, open_at

# The deal columns the highlights read: a row a check flags in one of them is not shown (transforms/taints.py).
HIGHLIGHT_READS = frozenset(
    {"deals.stage", "deals.closed_at", "deals.amount", "deals.created_at", "deals.expected_close_on"}
)
TOP = 3


@dataclass(frozen=True)
class DealLine:
    """One deal as a highlight names it."""

    deal_id: str
    account: str  # the account's name, or its id when the accounts table does not name it
    owner: str  # the rep's name, or the rep id
    amount: float
    day: date | None = None  # closed (won, lost), expected to close (slipped) or created (new)


@dataclass(frozen=True)
class Highlights:
    won: list[DealLine] = field(default_factory=list)  # the period's largest won deals
    lost: list[DealLine] = field(default_factory=list)  # the period's largest lost deals
    slipped: list[DealLine] = field(default_factory=list)  # open at the end, expected to close before it
    new: list[DealLine] = field(default_factory=list)  # created in the period, largest first
    slipped_total: int = 0  # every slipped deal, of which `slipped` are the largest

    @property
    def empty(self) -> bool:
        return not (self.won or self.lost or self.slipped or self.new)


def highlights(data: TeamData, period: Period, top: int = TOP) -> Highlights:
    """The period's highlights from the team's deals. Pass the rows the gate let through
    (`readable(data, HIGHLIGHT_READS, rules)`); deals without an amount are never a highlight."""
    deals = data.deals
    if deals.empty or not {"deal_id", "stage", "amount", "created_day", "closed_day"} <= set(deals.columns):
        return Highlights()
    deals = deals[deals["amount"].notna()]
    closed = in_window(deals["closed_day"], period)
    end = pd.Timestamp(period.end)
    slipped = deals[open_at(deals, end) & _before(deals, "expected_close_on", end)]
    names = _Names(data)
    return Highlights(
        won=names.lines(deals[closed & (deals["stage"] == "won")], "closed_day", top),
        lost=names.lines(deals[closed & (deals["stage"] == "lost")], "closed_day", top),
        slipped=names.lines(slipped, "expected_close_on", top),
        new=names.lines(deals[in_window(deals["created_day"], period)], "created_day", top),
        slipped_total=len(slipped),
    )


def _before(deals: pd.DataFrame, column: str, end: pd.Timestamp) -> pd.Series:
    if column not in deals.columns:
        return pd.Series(False, index=deals.index)
    return pd.to_datetime(deals[column], errors="coerce") < end


class _Names:
    """Account and rep names by id, to word a deal."""

    def __init__(self, data: TeamData) -> None:
        self.accounts = _lookup(data.accounts, "account_id", "name")
        self.reps = _lookup(data.reps, "rep_id", "name")

    def lines(self, rows: pd.DataFrame, day_column: str, top: int) -> list[DealLine]:
        """The `top` largest rows, largest first (ties by deal id), as DealLines."""
        ordered = rows.assign(_id=rows["deal_id"].astype(str)).sort_values(
            ["amount", "_id"], ascending=[False, True], kind="stable"
        )
        return [self._line(row, day_column) for _, row in ordered.head(top).iterrows()]

    def _line(self, row: pd.Series, day_column: str) -> DealLine:
        account = _text(row.get("account_id"))
        owner = _text(row.get("owner_rep_id"))
        return DealLine(
            deal_id=str(row["deal_id"]),
            account=self.accounts.get(account, account),
            owner=self.reps.get(owner, owner),
            amount=float(row["amount"]),
            day=_day(row.get(day_column)),
        )


def _lookup(frame: pd.DataFrame, key: str, label: str) -> dict[str, str]:
    if key not in frame.columns or label not in frame.columns:
        return {}
    named = frame[frame[key].notna() & frame[label].notna()]
    return dict(zip(named[key].astype(str), named[label].astype(str), strict=True))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _day(value: object) -> date | None:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]
