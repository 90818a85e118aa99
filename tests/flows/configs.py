"""Config files the flow tests write: the example config (salespulse.example.yaml) with a test's own folders
and changes, in a tmp_path."""

from __future__ import annotations

from pathlib import Path

import yaml

EXAMPLE = Path(__file__).resolve().parents[2] / "salespulse.example.yaml"

# Most report-flow tests are about the path of a run, not the report's content: a lean report (few KPIs and
# charts) renders in a third of the time.
LEAN = {"kpis": ["won_revenue", "deals_won", "win_rate", "new_leads"], "headline_kpis": ["won_revenue"]}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "salespulse.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def config_file(tmp_path, **changes):
    """The example config on tmp_path/data, writing to tmp_path/out, with `changes` on top."""
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings |= {"data_dir": str(tmp_path / "data"), "output_dir": str(tmp_path / "out"), **changes}
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def config_with(tmp_path: Path, **changes) -> Path:
    """The example config without its data_dir (for a `source:` block in `changes`), writing to tmp_path/out."""
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings.pop("data_dir")
    settings |= {"output_dir": str(tmp_path / "out"), **changes}
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def make_config(tmp_path, demo_folder, smtp_port=None, lean=True):
    """The example config on `demo_folder`, LEAN unless `lean=False`, emailing the SMTP server on `smtp_port`."""
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings |= {"data_dir": str(demo_folder), "output_dir": str(tmp_path / "out"), **(LEAN if lean else {})}
    if smtp_port:
        settings["smtp"] = {
            "host": "127.0.0.1",
            "port": smtp_port,
            "security": "plain",
            "retry_delays_seconds": [0.05],
        }
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path
