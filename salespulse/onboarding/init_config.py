"""`salespulse init EXPORTS`: a complete salespulse.yaml for a folder of CRM exports.

The source block is `inspect --yaml`'s; the teams are the roster's distinct team values (a User export's
Department, a sales-team list's office), each mapped to a team id made from it; what only the user knows
(the company's name, who gets the alerts and each team's report) is a TODO line saying what to write.
Then `salespulse check-config` and `salespulse run` as usual.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from salespulse.errors import UserError
from salespulse.onboarding.inspect import Inspection, inspect_path, preset_of
from salespulse.onboarding.inspect_mapping import TEAM_ID, Todos, labels_of, slug
from salespulse.onboarding.inspect_yaml import context_of, render, source_block

CURRENCY = r"^[A-Z]{3}$"


def write_config(folder: Path, config: Path, force: bool = False) -> str:
    """Write the config for the exports in `folder`; the line to print. An existing file is kept unless `force`."""
    if config.exists() and not force:
        raise UserError(f"{config}: already exists; pass --force to overwrite it, or --config another file")
    inspection = inspect_path(folder)
    if not inspection.whole_folder:
        raise UserError(f"{folder}: init reads a folder of exports; give the folder, not one file")
    todos = Todos()
    text = config_text(inspection, config, todos)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    asked = len(todos.asked)
    return f"Wrote {config}: answer its {asked} TODO line{'s' * (asked != 1)}, then `salespulse check-config`."


def config_text(inspection: Inspection, config: Path, todos: Todos) -> str:
    labels = team_labels(inspection)
    team_ids = _team_ids(labels) if labels else {"Sales": "sales"}
    source = source_block(inspection, todos, team_ids)
    source["path"] = _relative(Path(source["path"]), config)
    document: dict[str, Any] = {
        "company": todos.ask("your company's name, as the reports show it"),
        "currency": deal_currency(inspection) or "USD",
        "timezone": "UTC",
        "cadence": "weekly",
        "output_dir": "out",
        "data_owners": todos.ask("who receives the data-quality alerts, e.g. [data@example.com]", "[TODO]"),
        "source": source,
        "teams": [
            {
                "id": team,
                "name": label,
                "recipients": todos.ask(f"who receives the {label} report, e.g. [sales-{team}@example.com]", "[TODO]"),
            }
            for label, team in team_ids.items()
        ],
    }
    preset = preset_of(inspection)
    made = f"{preset} exports" if preset else "exports"
    header = (
        f"# salespulse config for the {made} in {source['path']}, written by `salespulse init`.\n"
        "# Answer each TODO line, then run `salespulse check-config` and `salespulse run --dry-run`.\n"
        "# timezone and cadence are the company's defaults; each team may set its own (salespulse.example.yaml).\n"
    )
    return header + render(document, todos)


def team_labels(inspection: Inspection) -> list[str]:
    """The distinct team values of the roster (as the mapping reads them), or none without a roster."""
    context = context_of(inspection, "reps")
    return labels_of(context, "team") if context else []


def _team_ids(labels: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for label in labels:
        team = label if re.match(TEAM_ID, label) else slug(label)
        while team in ids.values():
            team += "-2"
        ids[label] = team
    return ids


def deal_currency(inspection: Inspection) -> str | None:
    """The one currency code the deals carry, if they carry one: the company's currency, so none is excluded."""
    context = context_of(inspection, "deals")
    codes = {v.strip().upper() for v in (labels_of(context, "currency") if context else [])}
    return codes.pop() if len(codes) == 1 and re.match(CURRENCY, next(iter(codes))) else None


def _relative(folder: Path, config: Path) -> str:
    """The source folder as the config reads it: from the config's own folder when it is under it."""
    folder, home = folder.resolve(), config.resolve().parent
    return os.path.relpath(folder, home) if folder.is_relative_to(home) else str(folder)
