"""What every KPI function receives besides the data: settings from config, and window helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from salespulse.transforms.periods import Period

DEFAULT_STAGE_PROBABILITIES = {"prospecting": 0.10, "qualification": 0.25, "proposal": 0.50, "negotiation": 0.75}


@dataclass(frozen=True)
class TaintRule:
    """A check that leaves the rows it flags out of the KPIs reading one of its `taints` columns."""

    check_id: str  # the rows' flag column is `flag:<check_id>`
    table: str
    taints: tuple[str, ...]  # columns of `table`; "*" for the whole row
    note: str  # what the rows left out are, after "15 deals": "created after they closed"


@dataclass(frozen=True)
class KpiSettings:
    stage_probabilities: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_STAGE_PROBABILITIES))
    response_sla_hours: float = 24.0
    active_customer_days: int = 365  # a customer is active while its last order is this recent
    quarterly_quota: float | None = None  # per rep, unless the rep has its own below
    rep_quotas: dict[str, float] = field(default_factory=dict)  # rep_id -> quarterly quota
    baseline_periods: int = 8
    benchmarks: dict[str, float] = field(default_factory=dict)  # kpi id -> industry value
    # The data-quality checks that leave flagged rows out of some KPIs; left out of repr, which memo keys read
    # thousands of times a report: keys name the rules themselves.
    taints: tuple[TaintRule, ...] = field(default=(), repr=False)


def in_window(days: pd.Series, window: Period) -> pd.Series:
    """Local dates (naive midnight timestamps) inside the window, ends included; NaT is outside."""
    values = days.to_numpy()
    if values.dtype.kind != "M":  # not a date column (e.g. all missing, as objects): pandas compares it
        return (days >= pd.Timestamp(window.start)) & (days <= pd.Timestamp(window.end))
    # numpy's comparisons, not pandas': a 600-rep breakdown asks this thousands of times of small frames,
    # where pandas' own overhead per call outweighs the comparison itself
    inside = (values >= np.datetime64(window.start)) & (values <= np.datetime64(window.end))
    return pd.Series(inside, index=days.index, name=days.name, copy=False)


def ratio(numerator: float, denominator: float) -> float | None:
    """A zero denominator makes a KPI undefined ("n/a"), never 0, inf or NaN."""
    return None if denominator == 0 else float(numerator) / float(denominator)


def median_or_none(values: pd.Series) -> float | None:
    values = values.dropna()
    return None if values.empty else float(values.median())


def day(value: date) -> pd.Timestamp:
    return pd.Timestamp(value)
