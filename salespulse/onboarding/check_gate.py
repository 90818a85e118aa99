"""`check-config`'s forecast of the data-quality gate: the checks that would withhold a report, run on the
data as read, for each team's period. The same pure functions as the gate (row flags in pandas, the
completeness rule, the column sets the KPIs need); Great Expectations only turns their flags into a verdict,
so they are not run here. Warnings and notes do not withhold: a run reports them."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from salespulse.config import Config
from salespulse.plan import plan_run
from salespulse.sources.mapped import empty_table
from salespulse.transforms.normalise import normalise
from salespulse.transforms.partial import absent_tables
from salespulse.transforms.quality import check_inputs
from salespulse.transforms.schema import TABLES
from salespulse.transforms.team_data import team_data, unowned_data

NOT_CHECKED = (
    "not checked here: warnings and notes (a run reports them with the report), and rows kept from earlier runs "
    "(history joins them at run time)"
)


def gate_problems(
    config: Config, frames: dict[str, pd.DataFrame], period: str | None, now: datetime
) -> list[tuple[str, str]]:
    """One line per critical check that would withhold a team's report for `period` (default: the period a run
    would report now), naming the team, the period, the check, how many rows and a sample id."""
    from salespulse.expectations.runner import required_columns  # no GX import: the column sets are the registry's

    problems = []
    for table, frame in frames.items():
        missing = [c for c in required_columns(table) if c not in frame.columns]
        if missing and not frame.empty:
            problems.append((table, f"no column {', '.join(missing)}, which the KPIs read (every report withheld)"))
    if problems:
        return problems
    tables = normalise({name: frames.get(name, empty_table(name)) for name in TABLES})
    plan = plan_run(config, period, None, now)
    reps = tables["reps"]
    known_reps = set(reps["rep_id"].dropna()) if "rep_id" in reps else set()
    known_accounts = set(tables["accounts"]["account_id"].dropna()) if "account_id" in tables["accounts"] else set()
    for run in plan.teams:
        data = team_data(tables, run.team_id, run.timezone)
        absent = absent_tables(data)
        strays = unowned_data(tables, run.timezone)
        inputs = check_inputs(data, run.period, plan.as_of, known_reps, known_accounts, run.quality, strays, absent)
        where = f"team {run.team_id}, {run.period.label}"
        for table, flags in inputs.flags.items():
            for check_id in flags.columns:
                check = run.quality.checks[check_id]
                count = int(flags[check_id].sum())
                if check.severity == "critical" and count:
                    key = TABLES[table].key
                    sample = inputs.frames[table].loc[flags[check_id].to_numpy(), key].head(1).tolist()
                    problems.append((table, f"{count} rows fail {check_id} ({where}), e.g. {key}={sample[0]}: "
                                            f"{check.meaning} {check.fix}"))  # fmt: skip
        for row in inputs.frames["intake"].to_dict("records"):
            if row["incomplete"]:
                problems.append((row["table"], f"{row['explanation']} ({where}); the report would be withheld"))
    return problems
