from pathlib import Path

import pytest

from flows.config import ConfigError, load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "salespulse.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "salespulse.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_with_folders_relative_to_the_file():
    config = load_config(EXAMPLE)
    assert config.data_dir == EXAMPLE.parent / "demo-data"
    assert [t.id for t in config.teams] == ["north", "south"]
    assert config.smtp is None
    assert config.teams[0].goals[0].kpi == "won_revenue"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("currency: USD", "currency: dollars"), "currency: String should match pattern"),
        (
            ("timezone: America/New_York        #", "timezone: Mars/Olympus #"),
            "timezone: unknown timezone 'Mars/Olympus'",
        ),
        (("kpi: won_revenue", "kpi: happiness"), "teams.0.goals.0.kpi: unknown KPI 'happiness'"),
        (("company: Northwind Tools", "compnay: Northwind Tools"), "company: is required but missing"),
        (("target: 200000", "target: lots"), "teams.0.goals.0.target: Input should be a valid number"),
        (
            ("cadence: weekly", "cadence: daily"),
            "cadence: Input should be 'weekly', 'monthly' or 'quarterly'",
        ),
    ],
)
def test_invalid_config_names_file_key_and_expectation(tmp_path, change, expected):
    text = EXAMPLE.read_text(encoding="utf-8").replace(*change, 1)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message


def test_unknown_setting_is_refused(tmp_path):
    path = write(tmp_path, EXAMPLE.read_text(encoding="utf-8") + "smtp_pasword: hunter2\n")
    with pytest.raises(ConfigError, match="smtp_pasword: is not a known setting"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("company: [unclosed\n", "not valid YAML at line"),
        ("- a list\n", "expected a mapping"),
        ("", "expected a mapping"),
    ],
)
def test_broken_yaml_is_one_line(tmp_path, text, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_unknown_team_lists_the_known_ones():
    with pytest.raises(ConfigError, match="no team 'east'; teams are north, south"):
        load_config(EXAMPLE).team("east")
