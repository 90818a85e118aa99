"""The generic runner: every requested KPI for a period, with its previous value, baseline and breakdowns."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import partial
from statistics import fmean

from salespulse.transforms import kpi_people as people
from salespulse.transforms.kpi_inputs import KpiSettings, in_window
from salespulse.transforms.kpis import KPI_CATALOGUE, Kpi
from salespulse.transforms.periods import Period
from salespulse.transforms.results import BaselineBasis, BreakdownRow, KpiResult, LeaderboardRow
from salespulse.transforms.scope import rows_in_scope
from salespulse.transforms.taints import left_out, readable
from salespulse.transforms.team_data import (
    SPLIT_COLUMNS,
    TeamData,
    active_reps,
    before_data,
    first_record,
    history_start,
)

TREND_PERIODS = 12  # the report's trend charts: this period and the eleven before it


TEAM_KPIS = ("won_revenue", "deals_won", "win_rate", "average_deal_size", "new_leads", "activities_per_rep")


def kpi_results(
    data: TeamData,
    period: Period,
    kpi_ids: list[str],
    settings: KpiSettings,
    teams: list[tuple[str, str, TeamData]] | None = None,
) -> list[KpiResult]:
    """`teams` (id, name, data of every team) adds a by-team breakdown to the headline sales KPIs."""
    slices = _slices(data, period, {d for k in kpi_ids for d in KPI_CATALOGUE[k].breakdowns})
    if teams:
        slices["team"] = teams
    start = history_start(data)
    windows = period.preceding(max(settings.baseline_periods, TREND_PERIODS - 1))
    results = []
    for kpi in (KPI_CATALOGUE[k] for k in kpi_ids):
        # newest first; None for a window before the data begins (see `evaluate`), never 0
        history = [evaluate(kpi, data, window, settings) for window in windows]
        value = evaluate(kpi, data, period, settings)
        base, basis = baseline(kpi, windows, history, settings, _kpi_start(data, kpi, start))
        trend = [(w.label, v) for w, v in zip(windows[: TREND_PERIODS - 1], history, strict=False)][::-1]
        results.append(
            KpiResult(
                kpi_id=kpi.id,
                name=kpi.name,
                definition=kpi.definition,
                unit=kpi.unit,
                direction=kpi.direction,
                value=value,
                previous=history[0],
                formula=kpi.formula,
                baseline=base,
                basis=basis,
                trend=[*trend, (period.label, value)],
                left_out=left_out(data, kpi.reads, kpi.period_date, kpi.stages, period, settings.taints),
                breakdowns={
                    dim: [
                        BreakdownRow(key, name, evaluate(kpi, part, period, settings))
                        for key, name, part in slices[dim]
                    ]
                    for dim in (*kpi.breakdowns, *(("team",) if teams and kpi.id in TEAM_KPIS else ()))
                },
            )
        )
    return results


def evaluate(kpi: Kpi, data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    """`kpi.compute`, remembered with the data: a report asks for each of its 12 periods, and a backfill
    for the same period up to 12 times (as this period, then in the next ones' trends and baselines).

    None ("no data", never 0) for a window that ends before the first record of the KPI's period-date table:
    a trend, previous value or baseline reaching back before the data begins must not read as zeros."""

    def compute() -> float | None:
        if before_data(data, period_table(kpi), window):
            return None
        # a row a check flagged in a column this KPI reads is left out of it, and of it only
        return kpi.compute(readable(data, frozenset(kpi.reads), settings.taints), window, settings)

    return data.memo(("kpi", kpi.id, window, repr(settings), settings.taints), compute)


def period_table(kpi: Kpi) -> str:
    """The table of the field that puts the KPI's records into a period ("deals" for "deals.closed_at")."""
    return kpi.period_date.split(".")[0]


def _kpi_start(data: TeamData, kpi: Kpi, start: date | None) -> date | None:
    """The first day of the KPI's own history: the data's first day, or its period-date table's first
    record when later (leads that begin a year after the deals give a lead KPI a year less of baseline)."""
    first = first_record(data, period_table(kpi))
    return start if start is None or first is None else max(start, first)


def _slices(data: TeamData, period: Period, dimensions: set[str]) -> dict[str, list[tuple[str, str, TeamData]]]:
    """Each dimension's values with the data narrowed to them, built once for every KPI that needs them."""
    slices = {}
    rows = data.latest("period rows", (period.start, period.end), lambda: _period_rows(data, period))
    for dim in sorted(dimensions):
        values = data.values_of(dim)
        if dim == "rep":  # reps who had left before the period, or joined after it, have nothing to show
            employed = set(data.reps.loc[active_reps(data.reps, period), "rep_id"])
            values = [(key, name) for key, name in values if key in employed]
        parts = rows.parts(dim, [key for key, _ in values])
        people.share_first_touch(data, rows, parts, SPLIT_COLUMNS[dim].get("activities"))
        slices[dim] = [(key, name, parts[key]) for key, name in values]
    return slices


def _period_rows(data: TeamData, period: Period) -> TeamData:
    """The rows a breakdown or leaderboard value can read: every one is of the period alone (deals closed in
    it or open at its end, leads created in it, activities due or done in it), except each rep's first touch
    of a lead, which `share_first_touch` takes from all the data. Splitting these rows, not years of
    history, by rep is what keeps a large team's breakdowns quick. test_team_data holds every
    breakdown to the value over all the data."""
    frames = rows_in_scope(data, period.start, period.end)
    return data.narrowed(**{table: frames[table] for table in ("leads", "deals", "activities", "orders")})


def baseline(
    kpi: Kpi, windows: list[Period], history: list[float | None], settings: KpiSettings, start: date | None
) -> tuple[float | None, BaselineBasis]:
    """The average of the last N complete periods (`history`, newest first); an industry benchmark when the
    data does not reach that far back. The basis says which, as data: reports/ words it per language.
    `start` is the first day of the KPI's history (`_kpi_start`): every averaged period begins on or after
    it, so none is a "no data" period before the data begins."""
    count, cadence = settings.baseline_periods, windows[0].cadence
    if start is None or windows[count - 1].start < start:
        benchmark = settings.benchmarks.get(kpi.id)
        if benchmark is not None:
            return benchmark, BaselineBasis("benchmark", count, cadence)
        return None, BaselineBasis("too_short", count, cadence)
    values = [v for v in history[:count] if v is not None]
    if not values:
        return None, BaselineBasis("no_values", count, cadence)
    return fmean(values), BaselineBasis("average", count, cadence)


def leaderboard(
    data: TeamData, period: Period, settings: KpiSettings, absent: Collection[str] = ()
) -> list[LeaderboardRow]:
    """The reps ranked by won revenue; none without deals, and no activity counts without activities (a
    column of zeros would read as idle reps); none for a period before the deals begin (no data, not zeros)."""
    if "deals" in absent or before_data(data, "deals", period):
        return []
    rows = []
    for key, name, rep in _slices(data, period, {"rep"})["rep"]:
        done = None if "activities" in absent else int(in_window(rep.activities["completed_day"], period).sum())
        has_quota = settings.quarterly_quota is not None or key in settings.rep_quotas
        value = partial(_value, rep, period, settings)  # the rep breakdowns' values, already worked out
        rows.append(
            LeaderboardRow(
                rep_id=key,
                name=name,
                won_revenue=value("won_revenue"),
                deals_won=int(value("deals_won")),
                win_rate=value("win_rate"),
                quota_attainment=value("quota_attainment") if has_quota else None,
                activities=done,
            )
        )
    return sorted(rows, key=lambda row: (-row.won_revenue, row.name))


def _value(data: TeamData, period: Period, settings: KpiSettings, kpi_id: str) -> float | None:
    return evaluate(KPI_CATALOGUE[kpi_id], data, period, settings)
