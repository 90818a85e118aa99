"""Helpers for the tests of `inspect`, `init` and mapped runs on hand-written CRM export folders.

The command runs as a user runs it (a real process), or in this process for the long runs (as
tests/cli/test_cli.py does, whose harness comment explains why salespulse.flows.report_flow is imported first).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import salespulse.flows.report_flow  # noqa: F401 - Prefect's logging set up at collection, not inside a captured test

CRM = Path(__file__).resolve().parents[1] / "data" / "crm"
SALESPULSE = Path(sys.executable).parent / "salespulse"
TODO_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[^#\s][^#]*?): (?P<placeholder>\S.*?)  # TODO: (?P<what>.*)$")


def salespulse(*args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return subprocess.run([str(SALESPULSE), *args], capture_output=True, text=True, env=environment, timeout=300)


def salespulse_here(capfd, monkeypatch, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:  # noqa: ANN001, E501
    """The same command run by the console script's own entry point (`salespulse.cli.app.main`) in this process, whose
    imports and Prefect harness are already paid for: about 10 s less per run than a new process. For the
    long runs whose subject is the command's output and files; the demo and every error path keep a real
    process. Output is captured at the file descriptors, so Prefect's and Rich's lines are in it too."""
    from salespulse.cli.app import main

    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", [str(SALESPULSE), *args])
    capfd.readouterr()
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess([str(SALESPULSE), *args], exited.value.code, out, err)


def answer_todos(text: str, answers: dict[str, str]) -> tuple[str, list[str]]:
    """Each `key: TODO  # TODO: ...` line with the key's answer written in, as a user edits the file; and the
    keys asked. A TODO line with no answer fails the test, so the answers are exactly what the file asks.
    Comment-only `# TODO` lines are advice, left as they are."""
    lines, asked = [], []
    for line in text.splitlines():
        todo = TODO_LINE.match(line)
        if todo:
            key = todo["key"].strip("'\"")
            assert key in answers, f"unanswered TODO: {line}"
            asked.append(key)
            line = f"{todo['indent']}{todo['key']}: {answers[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n", asked


def config_around(source_yaml: str, tmp_path: Path, teams: list[str], currency: str = "USD") -> Path:
    """A config a user would write around the pasted source block: company, owners, one team per id."""
    head = [
        "company: Acme",
        f"currency: {currency}",
        "data_owners: [data@example.com]",
        f"output_dir: {tmp_path / 'out'}",
        "teams:",
    ]
    head += [f"  - {{id: {team}, name: {team.title()}, recipients: [{team}@example.com]}}" for team in teams]
    path = tmp_path / "salespulse.yaml"
    path.write_text("\n".join(head) + "\n" + source_yaml, encoding="utf-8")
    return path


def kpi_values(result: subprocess.CompletedProcess, *kpis: str) -> dict[str, float | None]:
    """The values of some KPIs in the kpis.json of the one report a `run --json` rendered."""
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = json.loads(result.stdout)["runs"]
    values = {k["kpi"]: k["value"] for k in json.loads(Path(run["kpis"]).read_text(encoding="utf-8"))["kpis"]}
    return {kpi: values[kpi] for kpi in kpis}
