"""Page 1's "What happened": hand-written deals, expected lists worked out by hand."""

from __future__ import annotations

from datetime import date

from salespulse.transforms.highlights import HIGHLIGHT_READS, DealLine, Highlights, highlights
from salespulse.transforms.kpi_inputs import TaintRule
from salespulse.transforms.periods import parse_period
from salespulse.transforms.taints import FLAG, readable
from tests.transforms.frames import deal, team

WEEK = parse_period("2026-W47")  # Mon 16 – Sun 22 November 2026
ACCOUNTS = [
    {"account_id": "a1", "name": "Acme Ltd"},
    {"account_id": "a2", "name": "Globex"},
]


def on(row: dict[str, str], account: str) -> dict[str, str]:
    return {**row, "account_id": account}


DEALS = [
    # won in the week: 9 000 (r2, Globex), 5 000, 3 000, 1 000 → the three largest
    on(deal("W1", "won", 5_000, "2026-10-01T10:00:00Z", "2026-11-17T10:00:00Z"), "a1"),
    on(deal("W2", "won", 9_000, "2026-10-01T10:00:00Z", "2026-11-18T10:00:00Z", owner="r2"), "a2"),
    on(deal("W3", "won", 1_000, "2026-10-01T10:00:00Z", "2026-11-19T10:00:00Z"), "a1"),
    on(deal("W4", "won", 3_000, "2026-10-01T10:00:00Z", "2026-11-22T23:00:00Z"), "a1"),
    # won the week before: not this week's
    on(deal("W5", "won", 50_000, "2026-10-01T10:00:00Z", "2026-11-15T10:00:00Z"), "a1"),
    # lost in the week; an unknown account shows its id
    on(deal("L1", "lost", 7_000, "2026-10-01T10:00:00Z", "2026-11-20T10:00:00Z"), "a9"),
    # open at the week's end, expected before it: slipped (S2 closed after the week: it was open at its end)
    on(deal("S1", "proposal", 2_000, "2026-09-01T10:00:00Z", expected="2026-11-10"), "a1"),
    on(deal("S2", "won", 4_000, "2026-09-01T10:00:00Z", "2026-11-25T10:00:00Z", expected="2026-11-21"), "a2"),
    # expected on the last day or later: not slipped
    on(deal("S3", "proposal", 8_000, "2026-09-01T10:00:00Z", expected="2026-11-22"), "a1"),
    # created in the week: new (the 6 000 one, with a later expected close, is also open)
    on(deal("N1", "prospecting", 6_000, "2026-11-16T09:00:00Z", expected="2026-12-20"), "a2"),
    on(deal("N2", "qualification", 500, "2026-11-21T09:00:00Z", expected="2026-12-20", owner="r2"), "a1"),
]


def data():
    return team(deals=DEALS, accounts=ACCOUNTS)


def test_the_weeks_largest_deals_won_lost_slipped_and_new():
    found = highlights(data(), WEEK)
    assert found.won == [
        DealLine("W2", "Globex", "Bo Li", 9_000.0, date(2026, 11, 18)),
        DealLine("W1", "Acme Ltd", "Ana Peña", 5_000.0, date(2026, 11, 17)),
        DealLine("W4", "Acme Ltd", "Ana Peña", 3_000.0, date(2026, 11, 22)),
    ]
    assert found.lost == [DealLine("L1", "a9", "Ana Peña", 7_000.0, date(2026, 11, 20))]
    assert found.slipped == [
        DealLine("S2", "Globex", "Ana Peña", 4_000.0, date(2026, 11, 21)),
        DealLine("S1", "Acme Ltd", "Ana Peña", 2_000.0, date(2026, 11, 10)),
    ]
    assert found.slipped_total == 2
    assert found.new == [
        DealLine("N1", "Globex", "Ana Peña", 6_000.0, date(2026, 11, 16)),
        DealLine("N2", "Acme Ltd", "Bo Li", 500.0, date(2026, 11, 21)),
    ]


def test_top_limits_each_list_and_counts_every_slipped_deal():
    found = highlights(data(), WEEK, top=1)
    assert [line.deal_id for line in found.won] == ["W2"]
    assert [line.deal_id for line in found.slipped] == ["S2"]
    assert found.slipped_total == 2


def test_rows_the_gate_flagged_are_not_highlights():
    flagged = data()
    mask = flagged.deals["deal_id"].isin(["W2", "S1"])
    flagged = flagged.narrowed(deals=flagged.deals.assign(**{FLAG + "deals.bad_amount": mask}))
    rules = (TaintRule("deals.bad_amount", "deals", ("amount",), "with a bad amount"),)
    found = highlights(readable(flagged, HIGHLIGHT_READS, rules), WEEK)
    assert [line.deal_id for line in found.won] == ["W1", "W4", "W3"]
    assert [line.deal_id for line in found.slipped] == ["S2"]


def test_a_quiet_week_has_no_highlights():
    found = highlights(data(), parse_period("2026-W10"))
    assert found == Highlights() and found.empty
    assert highlights(team(), WEEK).empty
