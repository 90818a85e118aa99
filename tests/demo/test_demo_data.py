"""The seeded demo generator: deterministic, schema-exact, believable, and faulty only where planned."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from salespulse.demo.data import DEMO_END, DEMO_TEAMS, FAULT_WEEK, generate_demo, write_demo
from salespulse.transforms.periods import parse_period, period_containing
from salespulse.transforms.schema import ACTIVITY_TYPES, DEAL_STAGES, LEAD_STATUSES, TABLES

Frames = dict[str, pd.DataFrame]
SCALE = 0.2
NY = DEMO_TEAMS["north"]
START = DEMO_END - timedelta(weeks=78) + timedelta(days=1)


@pytest.fixture(scope="module")
def demo() -> Frames:
    return generate_demo(scale=SCALE)


@pytest.fixture(scope="module")
def faults(demo: Frames) -> Frames:
    deals = demo["deals"]
    return {
        "negative": deals[deals["amount"] == "-450.00"],
        "stage": deals[deals["stage"] == "Closed Won"],
        "duplicate": deals[deals["deal_id"].duplicated(keep=False)],
        "date": deals[deals["expected_close_on"] == "2026-09-31"],
    }


@pytest.fixture(scope="module")
def fault_ids(faults: Frames) -> set[str]:
    return {deal_id for rows in faults.values() for deal_id in rows["deal_id"]}


def _instants(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="ISO8601", utc=True)


def _local_days(values: pd.Series, timezone: str = NY) -> pd.Series:
    return _instants(values).dt.tz_convert(timezone).dt.date


def test_same_seed_gives_identical_frames_and_another_seed_does_not(demo: Frames) -> None:
    again = generate_demo(scale=SCALE)
    for name, frame in demo.items():
        pd.testing.assert_frame_equal(frame, again[name])
    other = generate_demo(scale=SCALE, seed=8)
    assert not other["deals"].equals(demo["deals"])
    assert not other["activities"].equals(demo["activities"])


def test_columns_match_schema_and_cells_are_text(demo: Frames) -> None:
    assert set(demo) == set(TABLES)
    for name, frame in demo.items():
        assert tuple(frame.columns) == TABLES[name].columns, name
        assert all(pd.api.types.is_object_dtype(t) for t in frame.dtypes), name
        cells = frame.to_numpy().ravel()
        assert all(v is None or isinstance(v, str) for v in cells), name
        assert frame[TABLES[name].key].is_monotonic_increasing, name
        required = [c for c in frame.columns if c not in TABLES[name].optional]
        assert frame[required].notna().all().all(), name


def test_text_formats(demo: Frames) -> None:
    leads, orders = demo["leads"], demo["orders"]
    assert leads["created_at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    assert orders["amount"].str.fullmatch(r"\d+\.\d\d").all()
    assert demo["reps"]["hired_on"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    assert demo["reps"]["email"].str.fullmatch(r"[a-z]+\.[a-z]+\d*@example\.com").all()
    assert set(demo["reps"]["team"]) == set(DEMO_TEAMS)
    assert (demo["deals"]["currency"] == "USD").all()


def test_row_counts_grow_with_scale(demo: Frames) -> None:
    double = generate_demo(scale=2 * SCALE)
    for name in ("accounts", "leads", "deals", "activities", "orders"):
        ratio = len(double[name]) / len(demo[name])
        assert 1.7 < ratio < 2.3, (name, ratio)
    assert len(demo["reps"]) == len(double["reps"]) == 12
    assert len(demo["leads"]) == round(6000 * SCALE)
    assert len(demo["activities"]) == round(40000 * SCALE)


def test_keys_unique_except_the_planted_duplicate(demo: Frames, faults: Frames) -> None:
    for name, frame in demo.items():
        keys = frame[TABLES[name].key]
        assert keys.notna().all(), name
        if name != "deals":
            assert keys.is_unique, name
    duplicate = faults["duplicate"]
    assert len(duplicate) == 2 and duplicate["deal_id"].nunique() == 1
    assert duplicate["amount"].nunique() == 2


def test_each_fault_is_present_once_in_the_fault_week_in_team_north(demo: Frames, faults: Frames) -> None:
    week = parse_period(FAULT_WEEK)
    north = set(demo["reps"].loc[demo["reps"]["team"] == "north", "rep_id"])
    for kind, rows in faults.items():
        expected_rows = 2 if kind == "duplicate" else 1
        assert len(rows) == expected_rows, kind
        assert all(week.contains(day) for day in _local_days(rows["closed_at"])), kind
        assert set(rows["owner_rep_id"]) <= north, kind
    assert (faults["negative"]["stage"] == "won").all()
    assert (faults["date"]["stage"] == "won").all()


def test_no_faults_outside_the_planted_rows(demo: Frames, fault_ids: set[str]) -> None:
    deals = demo["deals"][~demo["deals"]["deal_id"].isin(fault_ids)]
    assert deals["stage"].isin(DEAL_STAGES).all()
    assert (deals["amount"].astype(float) >= 0).all()
    assert pd.to_datetime(deals["expected_close_on"], format="%Y-%m-%d", errors="coerce").notna().all()
    assert demo["leads"]["status"].isin(LEAD_STATUSES).all()
    assert demo["activities"]["type"].isin(ACTIVITY_TYPES).all()
    assert (demo["orders"]["amount"].astype(float) > 0).all()


def test_last_two_weeks_are_clean(demo: Frames) -> None:
    latest = period_containing(DEMO_END, "weekly")
    first_day = latest.previous().start
    for name, frame in demo.items():
        table = TABLES[name]
        if not table.timestamps:
            continue
        recent = pd.Series(False, index=frame.index)
        for column in table.timestamps:
            days = _local_days(frame[column].dropna())
            recent[days.index] |= days >= first_day
        rows = frame[recent]
        assert len(rows) > 0, name
        assert rows[table.key].notna().all() and rows[table.key].is_unique, name
        for column in table.numbers:
            assert (pd.to_numeric(rows[column], errors="coerce") >= 0).all(), (name, column)
        for column in table.dates:
            parsed = pd.to_datetime(rows[column], format="%Y-%m-%d", errors="coerce")
            assert parsed.notna().all(), (name, column)
    recent_deals = demo["deals"][_local_days(demo["deals"]["created_at"]) >= first_day]
    assert recent_deals["stage"].isin(DEAL_STAGES).all()


def test_nothing_happens_after_the_end(demo: Frames) -> None:
    for name, frame in demo.items():
        for column in TABLES[name].timestamps:
            for timezone in DEMO_TEAMS.values():
                days = _local_days(frame[column].dropna(), timezone)
                assert (days <= DEMO_END).all(), (name, column, timezone)
                assert (days >= START - timedelta(days=1)).all(), (name, column, timezone)
    assert (pd.to_datetime(demo["accounts"]["created_on"]).dt.date <= DEMO_END).all()


def test_one_rep_leaves_and_one_joins_and_neither_owns_outside_their_tenure(demo: Frames) -> None:
    reps = demo["reps"]
    leavers, joiners = reps[reps["left_on"].notna()], reps[reps["hired_on"] > START.isoformat()]
    assert len(leavers) == 1 and len(joiners) == 1
    left_on = pd.Timestamp(leavers["left_on"].iloc[0]).date()
    hired_on = pd.Timestamp(joiners["hired_on"].iloc[0]).date()
    assert left_on.year == 2026 and 4 <= left_on.month <= 8
    assert hired_on.year == 2026 and 1 <= hired_on.month <= 3
    owned = [
        (demo["leads"], "owner_rep_id", ["created_at", "converted_at"]),
        (demo["deals"], "owner_rep_id", ["created_at", "closed_at"]),
        (demo["activities"], "rep_id", ["due_at", "completed_at"]),
    ]
    for frame, owner, columns in owned:
        for rep_id, bad in (
            (leavers["rep_id"].iloc[0], lambda d: d > left_on),
            (joiners["rep_id"].iloc[0], lambda d: d < hired_on),
        ):
            mine = frame[frame[owner] == rep_id]
            assert len(mine) > 0
            for column in columns:
                assert not _local_days(mine[column].dropna()).map(bad).any(), (rep_id, column)
    open_deals = demo["deals"][demo["deals"]["closed_at"].isna()]
    assert leavers["rep_id"].iloc[0] not in set(open_deals["owner_rep_id"])


def test_every_won_deal_has_exactly_one_matching_order(demo: Frames, fault_ids: set[str]) -> None:
    deals, orders = demo["deals"], demo["orders"]
    won = deals[(deals["stage"] == "won") & ~deals["deal_id"].isin(fault_ids)]
    assert orders["deal_id"].is_unique
    joined = won.merge(orders, on="deal_id", how="left", suffixes=("", "_order"), validate="one_to_one")
    assert joined["order_id"].notna().all()
    assert (joined["amount"] == joined["amount_order"]).all()
    assert (joined["account_id"] == joined["account_id_order"]).all()
    assert (joined["product"] == joined["product_order"]).all()
    lag = _instants(joined["ordered_at"]) - _instants(joined["closed_at"])
    assert (lag >= pd.Timedelta(0)).all() and (lag <= pd.Timedelta(days=4)).all()
    ordered = set(orders["deal_id"])
    assert ordered <= set(deals.loc[deals["stage"].isin(["won", "Closed Won"]), "deal_id"])


def test_dates_are_consistent(demo: Frames) -> None:
    deals = demo["deals"].drop_duplicates("deal_id")
    closed = deals[deals["closed_at"].notna()]
    cycle = (_instants(closed["closed_at"]) - _instants(closed["created_at"])).dt.days
    assert cycle.between(9, 90).all()  # 10-90 calendar days, times of day differ
    open_deals = deals[deals["closed_at"].isna()]
    assert open_deals["stage"].isin(["prospecting", "qualification", "proposal", "negotiation"]).all()
    ahead = (pd.to_datetime(open_deals["expected_close_on"]) - pd.Timestamp(DEMO_END)).dt.days
    assert ahead.between(1, 91).mean() > 0.8 and (ahead < 0).any()
    converted = demo["leads"][demo["leads"]["status"] == "converted"]
    assert (_instants(converted["converted_at"]) > _instants(converted["created_at"])).all()
    assert converted["account_id"].notna().all()
    others = demo["leads"][demo["leads"]["status"] != "converted"]
    assert others["converted_at"].isna().all() and others["account_id"].isna().all()
    first_deal = demo["deals"].groupby("account_id")["created_at"].min().map(lambda s: s[:10])
    created_on = demo["accounts"].set_index("account_id")["created_on"]
    assert (created_on[first_deal.index] < first_deal).all()


def test_activities_link_to_one_record_and_complete_after_due(demo: Frames) -> None:
    acts = demo["activities"]
    assert (acts["deal_id"].isna() ^ acts["lead_id"].isna()).all()
    done = acts[acts["completed_at"].notna()]
    assert (_instants(done["completed_at"]) >= _instants(done["due_at"])).all()
    assert 0.8 < len(done) / len(acts) < 0.9
    leads = demo["leads"].set_index("lead_id")
    first = acts.dropna(subset=["lead_id"]).groupby("lead_id")["due_at"].min()
    response = _instants(first) - _instants(leads.loc[first.index, "created_at"])
    assert len(first) == len(leads)
    assert (response >= pd.Timedelta(0)).all() and (response <= pd.Timedelta(days=2)).all()


def test_rates_are_plausible(demo: Frames) -> None:
    deals = demo["deals"]
    closed = deals[deals["stage"].isin(["won", "lost"])]
    assert 0.25 <= (closed["stage"] == "won").mean() <= 0.35
    assert 0.18 <= (demo["leads"]["status"] == "converted").mean() <= 0.27
    old = demo["leads"][_local_days(demo["leads"]["created_at"]) < DEMO_END - timedelta(days=60)]
    assert old["status"].isin(["converted", "disqualified"]).all()
    assert set(demo["leads"]["source"]) == {"web", "referral", "event", "outbound", "partner"}


def test_write_demo_round_trips_through_csv(tmp_path: Path, demo: Frames) -> None:
    folder = write_demo(tmp_path / "demo", scale=SCALE)
    assert folder == tmp_path / "demo"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    for name, frame in demo.items():
        back = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        assert len(back) == len(frame), name
        assert tuple(back.columns) == TABLES[name].columns, name
        assert back.to_numpy().tolist() == frame.fillna("").to_numpy().tolist(), name


def _trend_gaps(stamps: pd.Series, freq: str, last: str, recent: int, baseline: int) -> dict[str, float]:
    """Each of the `recent` periods up to `last`, as a relative gap to the mean of the `baseline` before."""
    periods = _instants(stamps).dt.tz_localize(None).dt.to_period(freq)
    counts = periods.value_counts().sort_index().loc[: pd.Period(last, freq)]
    gaps = {}
    for i in range(len(counts) - recent, len(counts)):
        gaps[str(counts.index[i])] = counts.iloc[i] / counts.iloc[i - baseline : i].mean() - 1
    return gaps


def test_volume_holds_steady_to_the_end() -> None:
    full = generate_demo(scale=1.0)
    columns = {"deals": "created_at", "leads": "created_at", "activities": "due_at"}
    for name, column in columns.items():
        weekly = _trend_gaps(full[name][column], "W-SUN", "2026-11-22", recent=4, baseline=8)
        monthly = _trend_gaps(full[name][column], "M", "2026-10", recent=3, baseline=3)
        assert len(weekly) == 4 and len(monthly) == 3
        assert all(abs(gap) <= 0.35 for gap in weekly.values()), (name, weekly)
        assert all(abs(gap) <= 0.35 for gap in monthly.values()), (name, monthly)
