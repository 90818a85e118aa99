"""Taint, not deletion: the rows a check flags stay in the data, each KPI leaves out only those flagged in a
column it reads, and says how many (`left_out`).

`flagged` adds one boolean column per excluding check that flagged any row (named `flag:<check id>`); the
columns travel with every slice of the data (a breakdown's part, a window's cut), so each KPI, breakdown,
trend point, goal and leaderboard row of a report applies the same rule to the same rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from salespulse.transforms.check_rows import CheckContext, row_flags
from salespulse.transforms.checks import WHOLE_ROW, Check
from salespulse.transforms.kpi_inputs import TaintRule, in_window
from salespulse.transforms.periods import Period
from salespulse.transforms.results import LeftOut
from salespulse.transforms.team_data import TeamData, open_at

FLAG = "flag:"
FLAGGED_TABLES = ("leads", "deals", "activities", "orders", "reps")


def taint_rules(checks: Mapping[str, Check]) -> tuple[TaintRule, ...]:
    """The checks that exclude rows, as the KPI settings carry them."""
    return tuple(
        TaintRule(check.id, check.table, check.taints, check.note) for check in checks.values() if check.excludes
    )


def flagged(data: TeamData, ctx: CheckContext, checks: Mapping[str, Check]) -> TeamData:
    """`data` with a `flag:<id>` column for each excluding check that flags any of a table's rows.

    Only checks that exclude rows are worked out, and none of them reads the known ids or the plausible
    ceilings (those checks only flag): the result depends on the data, the run's day and the currencies, and
    is remembered with the data, so a backfill's periods flag each team's rows once."""
    excluding = tuple(sorted(check_id for check_id, check in checks.items() if check.excludes))
    key = ("flagged", excluding, ctx.latest_allowed, ctx.currencies)
    return data.memo(key, lambda: _flagged(data, ctx, excluding))


def _flagged(data: TeamData, ctx: CheckContext, excluding: tuple[str, ...]) -> TeamData:
    changes = {}
    for table in FLAGGED_TABLES:
        frame = data.table(table)
        flags = row_flags(frame, table, ctx, only=excluding)
        keep = [c for c in flags.columns if flags[c].any()]
        if keep:
            changes[table] = frame.assign(**{FLAG + c: flags[c] for c in keep})
    return data.narrowed(**changes) if changes else data


def _relevant(frame: pd.DataFrame, table: str, reads: Collection[str], rules: tuple[TaintRule, ...]) -> list[TaintRule]:
    """The rules with a flag column in `frame` that taint a column of `table` the KPI reads (a whole-row
    taint: any column of it; a KPI that reads nothing of the table is untouched by its flags)."""
    columns = frame.columns  # looked up, never iterated: a breakdown asks this of thousands of frames
    return [rule for rule in _tainting(table, frozenset(reads), rules) if FLAG + rule.check_id in columns]


@lru_cache(maxsize=1024)
def _tainting(table: str, reads: frozenset[str], rules: tuple[TaintRule, ...]) -> tuple[TaintRule, ...]:
    """The rules that taint a column of `table` the reads name."""
    wanted = {read.split(".", 1)[1] for read in reads if read.startswith(table + ".")}
    if not wanted:
        return ()
    return tuple(
        rule for rule in rules if rule.table == table and (WHOLE_ROW in rule.taints or wanted & set(rule.taints))
    )


def readable(data: TeamData, reads: frozenset[str], rules: tuple[TaintRule, ...]) -> TeamData:
    """The data a KPI reading `reads` (`table.column`) may use: without the rows flagged in one of them. KPIs
    whose reads meet the same flags share one view (and what it has worked out)."""
    if not rules:
        return data
    relevant = tuple(
        (table, tuple(FLAG + rule.check_id for rule in found))
        for table in FLAGGED_TABLES
        if (found := _relevant(data.table(table), table, reads, rules))
    )
    if not relevant:
        return data

    def make() -> TeamData:
        changes = {}
        for table, columns in relevant:
            frame = data.table(table)
            # numpy, not DataFrame.any: a 600-rep breakdown asks this of thousands of small frames
            tainted = np.logical_or.reduce([frame[c].to_numpy(dtype=bool) for c in columns])
            if tainted.any():
                changes[table] = frame[~tainted]
        return data.narrowed(**changes) if changes else data  # the data still starts where it started

    return data.memo(("readable", relevant), make)


def subject_rows(data: TeamData, period_date: str, stages: tuple[str, ...], period: Period) -> pd.DataFrame:
    """The rows a KPI counts for the period: dated in it by its period date (deals by expected close date:
    those open at its end), of the given deal stages."""
    table, column = period_date.split(".", 1)
    frame = data.table(table)
    if table == "deals" and column == "expected_close_on":
        rows = frame[open_at(frame, pd.Timestamp(period.end))]
    else:
        day = column.removesuffix("_at") + "_day" if column.endswith("_at") else column
        rows = frame[in_window(frame[day], period)] if day in frame.columns else frame.iloc[0:0]
    if stages and table == "deals":
        rows = rows[rows["stage"].isin(list(stages))]
    return rows


def left_out(
    data: TeamData,
    reads: Collection[str],
    period_date: str,
    stages: tuple[str, ...],
    period: Period,
    rules: tuple[TaintRule, ...],
) -> tuple[LeftOut, ...]:
    """What a KPI leaves out of the period, check by check, counted among the rows it would have counted."""
    table = period_date.split(".", 1)[0]
    relevant = _relevant(data.table(table), table, reads, rules)
    if not relevant:
        return ()
    rows = subject_rows(data, period_date, stages, period)
    out = []
    for rule in relevant:
        count = int(rows[FLAG + rule.check_id].sum())
        if count:
            out.append(LeftOut(rule.check_id, table, count, rule.note))
    return tuple(out)


def plausible_ceiling(amounts: pd.Series, days: pd.Series, before: date, factor: float, least: int) -> float | None:
    """`factor` × the 95th percentile of the positive amounts dated before `before`; None with fewer than
    `least` of them: a team's own history judges what is implausible, not a fixed number."""
    earlier = amounts[(days < pd.Timestamp(before)) & (amounts > 0)]
    if len(earlier) < least:
        return None
    return float(earlier.quantile(0.95)) * factor
