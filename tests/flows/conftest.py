"""Fixtures of the flows/ tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def api_url(prefect_harness: None) -> str:
    """The harness's API, so CLI subprocesses skip starting a temporary server of their own."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()
