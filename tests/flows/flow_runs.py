"""The weekly report flow run in this process (against the session's Prefect API, `prefect_harness`), and
what its runs leave in the state database."""

from __future__ import annotations

import sqlite3

from salespulse.flows.report_flow import weekly_report


def run(config, **kwargs):
    state = weekly_report(config_path=str(config), return_state=True, **kwargs)
    return state, state.result(raise_on_failure=False)


def recorded_runs(tmp_path):
    """(team, period, status, exit_code) of every run recorded under tmp_path/out, oldest first."""
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        return db.execute("select team, period, status, exit_code from runs order by id").fetchall()


def block_report_folder(tmp_path, team, period):
    """A file where the period's report folder must go: the run cannot write and fails mid-way."""
    blocker = tmp_path / "out" / "reports" / team / period
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder", encoding="utf-8")
    return blocker
