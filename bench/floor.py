"""The floor: a plain pandas script that reads the same CSV files and computes the same headline KPIs
for one team and period as a salespulse run, with none of its checks, charts or documents.

Usage: python bench/floor.py DATA_DIR --team north --period 2026-W47 [--timezone America/New_York]
       [--quota 42000]

Prints one JSON line: the KPI values, `import_s` (pandas) and `work` (wall and CPU seconds of reading
the files and computing the KPIs). The definitions follow the KPI catalogue (transforms/kpis.py);
bench.py checks that the values equal the pipeline's, so the floor does the same work, written the short way.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, timedelta
from pathlib import Path

started = time.perf_counter()
import pandas as pd  # noqa: E402

IMPORT_S = time.perf_counter() - started


def week(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    year, number = label.split("-W")
    start = date.fromisocalendar(int(year), int(number), 1)
    return pd.Timestamp(start), pd.Timestamp(start + timedelta(days=6))


def instants(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")


def local_day(values: pd.Series, timezone: str) -> pd.Series:
    return instants(values).dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize()


def read(folder: Path, table: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", usecols=columns, dtype=str)


def headline(folder: Path, team: str, label: str, timezone: str, quota: float) -> dict[str, float | None]:
    start, end = week(label)
    next_start, next_end = end + pd.Timedelta(days=1), end + pd.Timedelta(days=7)
    reps = read(folder, "reps", ["rep_id", "team", "hired_on", "left_on"])
    reps = reps[reps["team"] == team]
    ids = set(reps["rep_id"])
    deals = read(folder, "deals", ["owner_rep_id", "stage", "amount", "expected_close_on", "created_at", "closed_at"])
    deals = deals[deals["owner_rep_id"].isin(ids)]
    amount = pd.to_numeric(deals["amount"], errors="coerce")
    closed, created = local_day(deals["closed_at"], timezone), local_day(deals["created_at"], timezone)
    in_period = closed.between(start, end)
    won, lost = in_period & (deals["stage"] == "won"), in_period & (deals["stage"] == "lost")
    revenue, count = float(amount[won].sum()), int(won.sum())
    open_at_end = (created <= end) & ~(closed <= end)
    expected = pd.to_datetime(deals["expected_close_on"], format="ISO8601", errors="coerce")
    hired, left = pd.to_datetime(reps["hired_on"]), pd.to_datetime(reps["left_on"])
    employed = int(((hired <= end) & (left.isna() | (left >= start))).sum())
    quarter = pd.Period(start, freq="Q")
    quarter_days = (quarter.end_time.normalize() - quarter.start_time).days + 1
    leads = read(folder, "leads", ["lead_id", "owner_rep_id", "created_at", "converted_at"])
    leads = leads[leads["owner_rep_id"].isin(ids)]
    lead_created = instants(leads["created_at"])
    cohort = local_day(leads["created_at"], timezone).between(start, end)
    converted = local_day(leads["converted_at"], timezone) <= end
    acts = read(folder, "activities", ["rep_id", "lead_id", "completed_at"])
    acts = acts[acts["rep_id"].isin(ids) & acts["lead_id"].notna()]
    first = instants(acts["completed_at"]).groupby(acts["lead_id"]).min()
    answered = leads.loc[cohort, "lead_id"].map(first)
    hours = ((answered - lead_created[cohort]).dt.total_seconds() / 3600).dropna()
    return {
        "won_revenue": revenue,
        "deals_won": float(count),
        "win_rate": count / (count + int(lost.sum())) if count + lost.sum() else None,
        "average_deal_size": revenue / count if count else None,
        "open_pipeline": float(amount[open_at_end & expected.between(next_start, next_end)].sum()),
        "quota_attainment": revenue / (employed * quota * 7 / quarter_days) if employed and quota else None,
        "new_leads": float(cohort.sum()),
        "lead_conversion": float(converted[cohort].sum()) / int(cohort.sum()) if cohort.sum() else None,
        "lead_response_hours": float(hours.median()) if len(hours) else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--team", default="north")
    parser.add_argument("--period", default="2026-W47", help="an ISO week")
    parser.add_argument("--timezone", default="America/New_York")
    parser.add_argument("--quota", type=float, default=42000.0, help="quarterly quota per rep")
    args = parser.parse_args()
    begun, cpu = time.perf_counter(), time.process_time()
    kpis = headline(args.data, args.team, args.period, args.timezone, args.quota)
    work = {"wall": time.perf_counter() - begun, "cpu": time.process_time() - cpu}
    print(json.dumps({"kpis": kpis, "import_s": IMPORT_S, "work": work}))


if __name__ == "__main__":
    main()
