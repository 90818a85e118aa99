"""The ids a run stamps: a report is known by what it shows, the checks' outcome by its findings."""

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from salespulse.store.identity import report_identity, run_fingerprint, validation_id
from tests.reports.demo_like import demo_like_context, make_suite_warnings

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_identity_is_what_it_shows_but_its_generated_time() -> None:
    context = demo_like_context()
    identity = report_identity(context)
    later = replace(context, generated_at=datetime(2027, 1, 4, 9, 30, tzinfo=UTC))
    assert report_identity(later) == identity  # the time is keyed by the identity, so cannot be part of it
    kpi = replace(context.kpis[0], value=context.kpis[0].value + 0.01)
    assert report_identity(replace(context, kpis=[kpi, *context.kpis[1:]])) != identity
    assert report_identity(replace(context, locale="en_US")) != identity
    fewer = replace(context.dq, failures=context.dq.failures[1:])
    assert report_identity(replace(context, dq=fewer)) != identity


def test_the_report_identity_is_the_same_in_every_process() -> None:
    """Each run is a new process with its own string hash seed: nothing may depend on a set's order."""
    script = "from salespulse.store.identity import report_identity; "
    script += "from tests.reports.demo_like import demo_like_context; "
    script += "print(report_identity(demo_like_context()))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert seen == {report_identity(demo_like_context())}


def test_the_validation_id_names_the_findings_not_the_run() -> None:
    verdict = make_suite_warnings()
    same = validation_id(replace(verdict, run_id="another run"), "north", "2026-W45")
    assert validation_id(verdict, "north", "2026-W45") == same and len(same) == 12
    more_failing = replace(verdict.failures[0], failing=verdict.failures[0].failing + 1)
    assert validation_id(replace(verdict, failures=[more_failing, *verdict.failures[1:]]), "north", "2026-W45") != same
    assert validation_id(verdict, "north", "2026-W44") != same


def test_the_run_fingerprint_follows_the_files_read() -> None:
    files = {"deals.csv": "a" * 64, "reps.csv": "b" * 64}
    first = run_fingerprint(files, "c0ffee", "north", "2026-W45")
    assert run_fingerprint(dict(reversed(files.items())), "c0ffee", "north", "2026-W45") == first
    assert run_fingerprint(files | {"deals.csv": "c" * 64}, "c0ffee", "north", "2026-W45") != first
