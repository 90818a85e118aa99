"""Fixtures of the reports/ tests: the hand-built context factory (tests/reports/contexts.py) by name, and each
distinct chart drawn once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest

from tests.reports.contexts import ContextFactory, build_context


@pytest.fixture(scope="session")
def make_context() -> ContextFactory:
    """The context factory, as a fixture so tests ask for it by name."""
    return build_context


@pytest.fixture(scope="session", autouse=True)
def _memoised_report_charts() -> Iterator[None]:
    """Most tests render the same factory context many times: salespulse.reports.render draws each distinct chart
    once per test session (keyed by the chart's inputs), so the suite stays fast. tests/reports/
    test_charts.py imports the chart functions themselves and is unaffected."""
    import salespulse.reports.charts
    import salespulse.reports.render

    def memoised(draw: Callable[..., str]) -> Callable[..., str]:
        drawn: dict[str, str] = {}

        def draw_once(*args: object) -> str:
            key = repr(args)
            if key not in drawn:
                drawn[key] = draw(*args)
            return drawn[key]

        return draw_once

    fast = SimpleNamespace(
        pacing_chart=memoised(salespulse.reports.charts.pacing_chart),
        trend_chart=memoised(salespulse.reports.charts.trend_chart),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(salespulse.reports.render, "charts", fast)
        yield
