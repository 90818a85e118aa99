"""`salespulse init EXPORTS`: a whole salespulse.yaml that check-config accepts once its TODO lines are answered,
with the roster's teams; an existing config is never overwritten without --force."""

from __future__ import annotations

import shutil

import pytest
import yaml

from tests.flows.crm_helpers import (
    CRM,
    answer_todos,
    kpi_values,
    salespulse,
    salespulse_here,
)

# folder → (the teams init makes from the roster, the period check-config predicts the gate for)
FOLDERS = {
    "salesforce": (["north-america"], "2024-01"),  # User.csv's Department
    "salesforce_extra": (["north-america", "emea"], "2024-W10"),  # the integration user's blank one is no team
    "hubspot": (["north"], "2024-01"),  # reps.csv, written by the user with team ids already
    "pipedrive": (["north"], "2024-01"),
    "pipeline": (["central", "east", "west"], "2017-W11"),  # sales_teams.csv's regional_office
}
ANSWERS = {"company": "Acme Tools", "data_owners": "[data@example.com]", "recipients": "[sales@example.com]"}


def _init(tmp_path, name):
    """The exports copied next to the config, as a user keeps them; init run there."""
    shutil.copytree(CRM / name, tmp_path / "exports")
    config = tmp_path / "salespulse.yaml"
    result = salespulse("init", str(tmp_path / "exports"), "--config", str(config))
    assert result.returncode == 0, result.stderr
    return config, result


@pytest.mark.parametrize("name", FOLDERS)
def test_init_writes_a_config_check_config_accepts_once_answered(name, tmp_path):
    teams, period = FOLDERS[name]
    config, result = _init(tmp_path, name)
    written = config.read_text(encoding="utf-8")
    answered, asked = answer_todos(written, ANSWERS)
    assert result.stdout.strip() == (
        f"Wrote {config}: answer its {len(asked)} TODO lines, then `salespulse check-config`."
    )
    assert sorted(set(asked)) == sorted(ANSWERS)  # the company, who gets alerts and reports: nothing else
    unanswered = salespulse("check-config", "--config", str(config), "--period", period)
    assert unanswered.returncode == 2 and "data_owners.0: value is not a valid email address" in unanswered.stderr
    config.write_text(answered, encoding="utf-8")
    settings = yaml.safe_load(answered)
    assert [team["id"] for team in settings["teams"]] == teams
    assert settings["source"]["path"] == "exports"  # read from the config's own folder
    checked = salespulse("check-config", "--config", str(config), "--period", period)
    assert checked.returncode == 0, checked.stderr
    assert f"OK, ready for `salespulse run --period {period}`" in checked.stdout


def test_init_check_run_on_a_pipeline_export(tmp_path, api_url, capfd, monkeypatch):  # noqa: F811
    """inspect → check → run is init → check → run. Central in 2017-W11: won 1C1I7A6R 4850 (14 Mar) and EC4QE1BX
    1090 (15 Mar) = 5940; lost Z063OYW0 (13 Mar); 2 won of 3 closed (tests/onboarding/test_inspect_files.py)."""
    config, _ = _init(tmp_path, "pipeline")
    config.write_text(answer_todos(config.read_text(encoding="utf-8"), ANSWERS)[0], encoding="utf-8")
    args = ("run", "--config", str(config), "--period", "2017-W11", "--team", "central", "--dry-run", "--json")
    values = kpi_values(salespulse_here(capfd, monkeypatch, *args), "won_revenue", "win_rate")
    assert values == {"won_revenue": pytest.approx(5940), "win_rate": pytest.approx(2 / 3, abs=1e-6)}
    assert (tmp_path / "out" / "reports" / "central" / "2017-W11" / "report.pdf").exists()  # output_dir: out


def test_init_refuses_to_overwrite_without_force(tmp_path):
    config = tmp_path / "salespulse.yaml"
    config.write_text("company: Mine\n", encoding="utf-8")
    result = salespulse("init", str(CRM / "pipeline"), "--config", str(config))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"salespulse: {config}: already exists; pass --force to overwrite it, or --config another file"
    ]
    assert config.read_text(encoding="utf-8") == "company: Mine\n"
    forced = salespulse("init", str(CRM / "pipeline"), "--config", str(config), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "sales_pipeline.csv" in config.read_text(encoding="utf-8")
