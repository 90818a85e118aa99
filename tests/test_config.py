import re

import pytest

from salespulse.config import ConfigError, load_config
from tests.flows.configs import EXAMPLE, write


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
        (("paper_size: A4", "leaderboard_rows: 0\npaper_size: A4"), "leaderboard_rows: Input should be greater than"),
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


def goal_text(**fields):
    base = {"id": "g", "objective": "o", "kpi": "won_revenue", "start": "2026-01-01", "deadline": "2026-12-31"}
    base |= fields
    return "\n".join(f"        {k}: {v}" for k, v in base.items())


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "give either target (absolute) or change (relative"),
        ({"target": 1, "change": 0.1}, "give either target (absolute) or change (relative"),
        ({"kpi": "win_rate", "target": 0.3, "aggregation": "cumulative"}, "win_rate is a rate, not a sum"),
        ({"target": 1, "deadline": "2025-12-31"}, "deadline 2025-12-31 must be after start 2026-01-01"),
        ({"target": 1, "filters": "{region: west}"}, "filters.region: is not a known setting"),
    ],
)
def test_goal_mistakes_are_named(tmp_path, fields, expected):
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("      - id: q4-revenue")
    end = text.index("      - id: rep-retention")
    text = text[:start] + "      -\n" + goal_text(**fields) + "\n" + text[end:]
    with pytest.raises(ConfigError, match="teams.0.goals.0"):
        load_config(write(tmp_path, text))
    with pytest.raises(ConfigError, match=re.escape(expected)):
        load_config(write(tmp_path, text))


def test_stage_probabilities_name_open_stages_only(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("negotiation: 0.75}", "negotiation: 0.75, won: 1.0}")
    with pytest.raises(ConfigError, match="kpi_options.stage_probabilities: 'won' is not an open stage"):
        load_config(write(tmp_path, text))


def test_each_team_picks_its_cadence_and_its_default_period():
    from datetime import UTC, datetime

    from salespulse.plan import plan_run

    plan = plan_run(load_config(EXAMPLE), None, None, datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert [(t.team_id, t.period.label) for t in plan.teams] == [("north", "2026-W47"), ("south", "2026-10")]
    north = plan.teams[0]
    assert north.settings.quarterly_quota == 42000 and north.settings.benchmarks["win_rate"] == 0.25
    assert [g.id for g in north.goals] == ["q4-revenue", "rep-retention", "win-rate"]
    south_best = plan.teams[1].goals[1]
    assert (south_best.change, south_best.filters, south_best.window_days) == (0.15, (("product", "best"),), 365)


def test_a_period_asked_for_by_name_must_have_ended_on_the_teams_calendar():
    from datetime import UTC, datetime

    from salespulse.errors import UserError
    from salespulse.plan import plan_run

    config = load_config(EXAMPLE)
    sunday_night_in_new_york = datetime(2026, 11, 23, 3, tzinfo=UTC)  # 22:00 on Sunday the 22nd there
    with pytest.raises(UserError, match=r"2026-W47 has not ended yet on team north's calendar \(America/New_York\)"):
        plan_run(config, "2026-W47", "north", sunday_night_in_new_york)
    (run,) = plan_run(config, "2026-W47", "north", datetime(2026, 11, 23, 6, tzinfo=UTC)).teams
    assert run.period.label == "2026-W47"
    assert plan_run(config, "2025-Q1", "north", sunday_night_in_new_york).teams[0].period.label == "2025-Q1"
    with pytest.raises(UserError, match="2026-11 has not ended yet on team south's .* the latest is 2026-10$"):
        plan_run(config, "2026-11", "south", datetime(2026, 11, 30, 12, tzinfo=UTC))


def test_each_team_may_set_its_own_locale(tmp_path):
    from datetime import UTC, datetime

    from salespulse.plan import plan_run

    plan = plan_run(load_config(EXAMPLE), None, None, datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert [(t.team_id, t.locale) for t in plan.teams] == [("north", "en_US"), ("south", "es_ES")]
    text = EXAMPLE.read_text(encoding="utf-8").replace("locale: es_ES", "locale: xx_YY")
    with pytest.raises(ConfigError, match="unknown locale 'xx_YY'; use a code such as en_US or es_ES"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://reports.example:8000", "http://reports.example:8000"),
        ("https://reports.example.com/sales/", "https://reports.example.com/sales"),
        ("  https://reports.example.com//  ", "https://reports.example.com"),
    ],
)
def test_public_url_is_a_web_address_without_a_trailing_slash(tmp_path, value, expected):
    from datetime import UTC, datetime

    from salespulse.plan import plan_run

    text = EXAMPLE.read_text(encoding="utf-8").replace("paper_size: A4", f"public_url: '{value}'\npaper_size: A4")
    config = load_config(write(tmp_path, text))
    assert config.public_url == expected
    assert plan_run(config, None, None, datetime(2026, 11, 25, tzinfo=UTC)).public_url == expected
    assert load_config(EXAMPLE).public_url is None  # optional: emails name files, as before


@pytest.mark.parametrize("value", ["reports.example.com", "ftp://reports.example.com", "https://", "file:///srv/out"])
def test_a_public_url_that_is_not_a_web_address_is_refused(tmp_path, value):
    text = EXAMPLE.read_text(encoding="utf-8").replace("paper_size: A4", f"public_url: '{value}'\npaper_size: A4")
    with pytest.raises(ConfigError, match=r"public_url: .* is not a web address"):
        load_config(write(tmp_path, text))
