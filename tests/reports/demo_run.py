"""The demo's reports through the real flow (demo data → checks → KPIs → WeasyPrint), as a dry run: files,
no email. Shared by the page-1 tests, which measure the PDFs a team really gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from salespulse.flows.report_flow import weekly_report

EXAMPLE = Path(__file__).resolve().parents[2] / "salespulse.example.yaml"


def demo_config(root: Path, data: Path, name: str, **settings: Any) -> Path:
    """salespulse.example.yaml reading `data` and writing under root/name, with `settings` on top."""
    config = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    config |= {"data_dir": str(data), "output_dir": str(root / name), **settings}
    path = root / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def dry_run_pdf(config: Path, team: str, period: str) -> Path:
    """The PDF of one team's period, from a dry run of the flow."""
    outcome = weekly_report(config_path=str(config), period=period, team=team, dry_run=True)
    (run,) = outcome.runs
    assert run.status == "dry-run", run.detail
    return Path(run.pdf)
