"""The hand-written team of the KPI tests (W47 = Mon 16 – Sun 22 Nov 2026, UTC), whose answers
tests/transforms/test_kpis.py works out by hand; other tests reuse it as a team with some of everything."""

from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.periods import parse_period
from tests.transforms.frames import deal, team

W47 = parse_period("2026-W47")
SETTINGS = KpiSettings(quarterly_quota=13_000)

REPS = [
    {"rep_id": "r1", "name": "Ana Peña", "team": "t", "hired_on": "2024-01-01"},
    {"rep_id": "r2", "name": "Bo Li", "team": "t", "hired_on": "2024-01-01", "left_on": "2026-11-18"},  # leaves mid-W47
    {"rep_id": "r3", "name": "Cy Oz", "team": "t", "hired_on": "2026-11-19"},  # joins mid-W47
    {"rep_id": "r0", "name": "Old Hand", "team": "t", "hired_on": "2020-01-01", "left_on": "2026-01-31"},
    {"rep_id": "x9", "name": "Other Team", "team": "other", "hired_on": "2024-01-01"},
]
DEALS = [
    deal("d1", "won", 1000, "2026-10-01T10:00:00Z", "2026-11-16T10:00:00Z"),  # cycle 46 days
    {**deal("d2", "won", 3000, "2026-10-20T10:00:00Z", "2026-11-22T23:00:00Z", owner="r2"), "product": "GTX Basic"},
    deal("d3", "lost", 5000, "2026-10-05T10:00:00Z", "2026-11-18T10:00:00Z"),
    deal("d4", "won", 700, "2026-10-05T10:00:00Z", "2026-11-10T10:00:00Z"),  # the previous week
    deal("d5", "proposal", 2000, "2026-11-01T10:00:00Z", expected="2026-11-25"),  # closes next week
    deal("d6", "negotiation", 900, "2026-11-01T10:00:00Z", expected="2027-01-15", owner="r2"),  # next quarter
    deal("d7", "won", 400, "2026-11-01T10:00:00Z", "2026-11-24T10:00:00Z", expected="2026-11-24"),  # open at W47's end
    deal("d8", "qualification", 600, "2026-11-17T10:00:00Z", expected="2026-12-20"),  # later this quarter
    deal("d9", "negotiation", 100, "2026-11-19T10:00:00Z", expected="2027-02-01"),
    deal("x1", "won", 99999, "2026-10-01T10:00:00Z", "2026-11-17T10:00:00Z", owner="x9"),  # another team
]
LEADS = [
    {"lead_id": "l1", "created_at": "2026-11-16T09:00:00Z", "owner_rep_id": "r1", "status": "converted",
     "converted_at": "2026-11-20T09:00:00Z", "source": "web"},
    {"lead_id": "l2", "created_at": "2026-11-17T09:00:00Z", "owner_rep_id": "r2", "status": "converted",
     "converted_at": "2026-11-30T09:00:00Z", "source": "web"},  # converts after the period: not yet
    {"lead_id": "l3", "created_at": "2026-11-18T09:00:00Z", "owner_rep_id": "r1", "status": "working",
     "source": "event"},  # never answered
    {"lead_id": "l4", "created_at": "2026-11-10T09:00:00Z", "owner_rep_id": "r1", "status": "converted",
     "converted_at": "2026-11-17T09:00:00Z", "source": "event"},  # the previous cohort
]  # fmt: skip


def act(activity_id, rep, due, completed=None, lead=None, kind="call"):
    return {"activity_id": activity_id, "rep_id": rep, "type": kind, "due_at": due, "completed_at": completed,
            "lead_id": lead}  # fmt: skip


ACTIVITIES = [
    act("a1", "r1", "2026-11-16T09:30:00Z", "2026-11-16T10:00:00Z", lead="l1"),  # answers l1 after 1 h
    act("a2", "r1", "2026-11-18T09:00:00Z", "2026-11-18T09:00:00Z", lead="l2", kind="email"),  # l2 after 24 h
    act("a3", "r2", "2026-11-17T09:00:00Z", "2026-11-17T12:00:00Z", kind="meeting"),
    act("a4", "r2", "2026-11-16T09:00:00Z"),  # due, never done
    act("a5", "r1", "2026-11-20T09:00:00Z", "2026-11-24T09:00:00Z"),  # done after the period
]


def order(order_id, account, deal_id, day):
    return {"order_id": order_id, "account_id": account, "deal_id": deal_id, "product": "GTX Pro", "amount": "1",
            "currency": "USD", "ordered_at": f"{day}T12:00:00Z"}  # fmt: skip


ORDERS = [
    order("o1", "A", "d4", "2026-01-10"),
    order("o2", "A", "d1", "2026-11-17"),  # A: active at the start and at the end
    order("o3", "B", "d2", "2026-11-18"),  # B: a new customer in W47
    order("o4", "C", "d3", "2025-11-20"),  # C: active at the start (within 365 days), lapsed by the end
]

DATA = team(reps=REPS, deals=DEALS, leads=LEADS, activities=ACTIVITIES, orders=ORDERS)
