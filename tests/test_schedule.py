"""Team schedules and the period a scheduled run reports: pure, no Prefect server.

A scheduled run reports the last period complete on the team's own calendar at its *scheduled* time:
Prefect's slot (cron in the team's timezone, across DST changes) → scheduled_start_time in UTC → the
team's local date → the period. The UTC date or the wall clock would give the wrong period in the cases below.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from salespulse.config import Config, ConfigError, load_config
from salespulse.plan import plan_run
from salespulse.schedules import cron_hours
from salespulse.transforms.periods import last_complete_period
from tests.flows.configs import EXAMPLE, write


def config_for(timezone: str, cadence: str, schedule: str | None = None) -> Config:
    team = {"id": "t", "name": "T", "recipients": ["t@example.com"], "timezone": timezone, "cadence": cadence}
    if schedule:
        team["schedule"] = schedule
    return Config.model_validate(
        {"company": "C", "data_dir": "data", "data_owners": ["d@example.com"], "teams": [team]}
    )


def prefect_slot(cron: str, timezone: str, local: datetime) -> datetime:
    """The run Prefect's scheduler plans at or after `local` (a naive local time in `timezone`)."""
    from prefect.server.schemas.schedules import CronSchedule

    start = local.replace(tzinfo=ZoneInfo(timezone)) - timedelta(minutes=1)
    (slot,) = asyncio.run(CronSchedule(cron=cron, timezone=timezone).get_dates(n=1, start=start))
    return slot


def scheduled_period(config: Config, slot: datetime, monkeypatch: pytest.MonkeyPatch) -> str:
    """What weekly_report does with no period: the scheduled start (UTC, from Prefect's runtime) → the plan."""
    from prefect.runtime import flow_run

    from salespulse.flows.report_flow import _scheduled_start

    # In a run, Prefect answers with the run's expected start as read from the API: a UTC instant.
    monkeypatch.setitem(flow_run.FIELDS, "scheduled_start_time", lambda: slot.astimezone(UTC))
    start = _scheduled_start()
    assert start.utcoffset() == timedelta(0) and start == slot  # Prefect hands the flow a UTC instant
    (run,) = plan_run(config, None, None, start).teams
    return run.period.label


# (timezone, cron, cadence, the slot in local time, the period it reports, the period of the UTC date)
CASES = [
    # west of UTC, the Mondays after the US spring-forward (8 March) and fall-back (1 November) 2026
    ("America/New_York", "0 7 * * 1", "weekly", datetime(2026, 3, 9, 7), "2026-W10", "2026-W10"),
    ("America/New_York", "0 7 * * 1", "weekly", datetime(2026, 11, 2, 7), "2026-W44", "2026-W44"),
    ("America/Los_Angeles", "0 7 * * 1", "weekly", datetime(2026, 3, 9, 7), "2026-W10", "2026-W10"),
    # Sunday 20:00 in Los Angeles is already Monday in UTC: the local week is not over yet
    ("America/Los_Angeles", "0 20 * * 0", "weekly", datetime(2026, 11, 1, 20), "2026-W43", "2026-W44"),
    # east of UTC: Monday 00:30 in Berlin is Sunday 23:30 (22:30 in summer) UTC, also across EU DST changes
    ("Europe/Berlin", "30 0 * * 1", "weekly", datetime(2026, 11, 23, 0, 30), "2026-W47", "2026-W46"),
    ("Europe/Berlin", "30 0 * * 1", "weekly", datetime(2026, 3, 30, 0, 30), "2026-W13", "2026-W12"),
    ("Europe/Berlin", "30 0 * * 1", "weekly", datetime(2026, 10, 26, 0, 30), "2026-W43", "2026-W42"),
    ("Asia/Tokyo", "0 7 * * 1", "weekly", datetime(2026, 11, 23, 7), "2026-W47", "2026-W46"),
    # Auckland: the Mondays after NZ DST ends (5 April) and starts (27 September)
    ("Pacific/Auckland", "0 7 * * 1", "weekly", datetime(2026, 4, 6, 7), "2026-W14", "2026-W13"),
    ("Pacific/Auckland", "0 7 * * 1", "weekly", datetime(2026, 9, 28, 7), "2026-W39", "2026-W38"),
    # months and quarters: the first morning east of UTC is still the previous month (or quarter) in UTC
    ("Pacific/Auckland", "0 7 1 * *", "monthly", datetime(2026, 12, 1, 7), "2026-11", "2026-10"),
    ("America/Chicago", "0 7 1 * *", "monthly", datetime(2026, 11, 1, 7), "2026-10", "2026-10"),
    ("Asia/Tokyo", "0 7 1 1,4,7,10 *", "quarterly", datetime(2027, 1, 1, 7), "2026-Q4", "2026-Q3"),
    ("America/Los_Angeles", "0 7 1 1,4,7,10 *", "quarterly", datetime(2026, 4, 1, 7), "2026-Q1", "2026-Q1"),
]


@pytest.mark.parametrize(("timezone", "cron", "cadence", "local", "expected", "in_utc"), CASES)
def test_a_scheduled_run_reports_the_period_complete_on_the_teams_calendar(
    timezone, cron, cadence, local, expected, in_utc, monkeypatch
):
    slot = prefect_slot(cron, timezone, local)
    # Prefect keeps the local wall time across DST: 07:00 New York is 12:00 UTC in winter, 11:00 in summer
    assert slot.astimezone(ZoneInfo(timezone)).replace(tzinfo=None) == local
    assert scheduled_period(config_for(timezone, cadence, cron), slot, monkeypatch) == expected
    # the trap this avoids: the UTC date of the same instant
    assert last_complete_period(slot, "UTC", cadence).label == in_utc


def test_a_late_run_still_reports_the_scheduled_period(monkeypatch):
    """Prefect keeps a run's expected start when it runs late (runner down, slot busy): the period follows
    the slot, not the wall clock (tests/flows/test_prefect_server.py shows it on a real server)."""
    config = config_for("Europe/Berlin", "weekly")
    slot = prefect_slot("0 7 * * 1", "Europe/Berlin", datetime(2026, 11, 23, 7))
    assert scheduled_period(config, slot, monkeypatch) == "2026-W47"
    # the trap: ten days late, the wall clock's last complete week is another one
    assert last_complete_period(slot + timedelta(days=10), "Europe/Berlin", "weekly").label == "2026-W48"


def test_without_a_flow_run_the_scheduled_start_is_now():
    from salespulse.flows.report_flow import _scheduled_start

    assert abs(_scheduled_start() - datetime.now(UTC)) < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("cadence", "expected"),
    [("weekly", "0 7 * * 1"), ("monthly", "0 7 1 * *"), ("quarterly", "0 7 1 1,4,7,10 *")],
)
def test_the_default_schedule_follows_the_cadence(cadence, expected):
    config = config_for("Europe/Madrid", cadence)
    assert config.schedule_of(config.teams[0]) == expected


def test_a_team_may_set_its_own_schedule(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    cadence: monthly ", '    schedule: "30 6 * * 1-5"\n    cadence: monthly ', 1
    )
    config = load_config(write(tmp_path, text))
    assert [config.schedule_of(t) for t in config.teams] == ["0 7 * * 1", "30 6 * * 1-5"]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("30 2 * * 1", "runs at hour 2, between 01:00 and 03:59 local time, where daylight-saving"),
        ("0 */2 * * *", "runs at hour 2"),
        ("0 0-4 * * 1", "runs at hour 1"),
        ("0 3,7 * * 1", "runs at hour 3"),
        ("0 1/6 * * 1", "runs at hour 1"),
        ("0 7 * *", "not a five-field cron string (minute hour day month weekday)"),
        ("0 7 32 * *", "'0 7 32 * *' is not a valid cron string"),
        ("0 seven * * 1", "hour field 'seven': write hours as numbers"),
        ("0 25 * * 1", "hour field '25': hours run from 0 to 23"),
    ],
)
def test_a_bad_or_dst_prone_schedule_is_refused_in_one_line(tmp_path, schedule, expected):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    cadence: monthly ", f'    schedule: "{schedule}"\n    cadence: monthly ', 1
    )
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: teams.1.schedule: ") and expected in message and "\n" not in message


@pytest.mark.parametrize(
    ("field", "hours"),
    [("7", {7}), ("*", set(range(24))), ("8-17/3", {8, 11, 14, 17}), ("4/6", {4, 10, 16, 22}), ("0,12", {0, 12})],
)
def test_cron_hours_reads_the_hour_field_like_cron(field, hours):
    assert cron_hours(field) == hours
