"""Reports laid out in processes of their own while the run goes on: the same pages, and a layout process
that dies costs no report."""

from __future__ import annotations

import io
import os
import signal
import time

import pytest
from bs4 import BeautifulSoup
from prefect import flow, task
from prefect.task_runners import ProcessPoolTaskRunner
from pypdf import PdfReader

from salespulse.flows import stages
from salespulse.flows.report_flow import render_workers
from tests.reports.contexts import build_context

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@task
def _layout_pid() -> int:
    return os.getpid()


def _kill_layout_processes(runner: ProcessPoolTaskRunner) -> None:
    """Kill the runner's one layout process, found by asking it, and wait until it is gone."""
    pid = runner.submit(_layout_pid, {}).result()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # reaped by the pool's own thread, which then marks the pool broken
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"layout process {pid} still there after SIGKILL")


@flow
def lay_out_then_lose_the_process() -> list[tuple[str, bytes]]:
    """The same report as a run lays it out: first in a fresh layout process of Prefect's process pool task
    runner, then (that process killed, the pool broken) in this one."""
    context = build_context()
    with stages.layout_processes(1) as runner:
        assert runner is not None
        pages = [stages.pages(stages.start_layout(runner, context), context)]
        _kill_layout_processes(runner)
        pages.append(stages.pages(stages.start_layout(runner, context), context))
    return pages


def test_a_report_is_the_same_from_a_layout_process_and_one_that_dies_costs_no_report(caplog):
    (html, pdf), (own_html, own_pdf) = lay_out_then_lose_the_process()
    assert BeautifulSoup(html, "html.parser").get_text() == BeautifulSoup(own_html, "html.parser").get_text()
    assert _text(pdf) == _text(own_pdf)
    assert "Data checks passed" in _text(pdf) and "page 3 of 3" in _text(pdf)  # the default PDF: no appendices
    assert caplog.text.count("laying out 2026-W47 here") == 1  # the second, and only the second, fell back


@pytest.mark.parametrize(
    ("reports", "cores", "chosen", "workers"),
    [
        (1, 8, "", 0),  # one report: starting a process costs more than it saves
        (2, 8, "", 0),
        (3, 2, "", 2),
        (52, 8, "", 4),  # at most four: the run's own process checks one period at a time
        (52, 1, "", 0),  # one core: nothing to overlap
        (52, 2, "0", 0),  # the operator's choice wins
        (1, 2, "3", 3),
    ],
)
def test_render_workers(monkeypatch, reports, cores, chosen, workers):
    monkeypatch.setattr("os.sched_getaffinity", lambda _: set(range(cores)))
    monkeypatch.setenv("SALESPULSE_RENDER_WORKERS", chosen)
    assert render_workers(reports) == workers


def test_a_render_workers_setting_that_is_not_a_number_is_named_and_ignored(monkeypatch, caplog):
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setenv("SALESPULSE_RENDER_WORKERS", "two")
    assert flow(render_workers)(52) == 2
    assert "SALESPULSE_RENDER_WORKERS='two' is not a whole number of processes; using 2" in caplog.text
