"""The `source:` block `salespulse inspect --yaml` prints and `salespulse init` writes, as YAML with TODO lines.

Each file inspect chose becomes a table's mapping (salespulse/onboarding/inspect_mapping.py); tables with no
file are marked absent (or, where the preset reads one, a note says to export it); files not used are listed as
comments.
The block passes `salespulse check-config` once its `key: TODO  # TODO: ...` lines are answered; comment-only
`# TODO` lines are advice: nothing blocks on them.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from salespulse.onboarding.inspect import Inspection, preset_names, preset_of
from salespulse.onboarding.inspect_mapping import Context, Todos, table_spec
from salespulse.sources.mapping_config import PRESETS_DIR
from salespulse.transforms.schema import TABLES


def render(document: dict[str, Any], todos: Todos) -> str:
    """YAML with each TODO value as `TODO  # TODO: what to write`, and the notes as comments after it."""
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    lines = []
    for line in text.splitlines():
        found = re.search(r"'?(__TODO\d+__)'?$", line)
        if found:
            placeholder, what = todos.asked[found.group(1)]
            line = f"{line[: found.start()]}{placeholder}  # TODO: {what}"
        lines.append(line)
    return "\n".join(lines) + "\n" + "".join(f"# {note}\n" for note in todos.notes)


class _Dumper(yaml.SafeDumper):
    """Lists of plain values in flow style (`CloseDate: [expected_close_on, closed_at]`), the rest in blocks."""


def _list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(not isinstance(value, dict | list) for value in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def source_block(inspection: Inspection, todos: Todos, team_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """The source block; `team_ids` (init): the config's team id for each team label of the roster."""
    preset = preset_of(inspection)
    _, files = preset_names()
    presets = _preset_tables(preset)
    lookups: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for item in sorted(inspection.used, key=lambda i: list(TABLES).index(i.fit.table if i.fit else "")):
        assert item.fit is not None
        table = item.fit.table
        context = Context(inspection, item, item.fit, presets.get(table) or {}, todos, team_ids)
        spec = table_spec(context, files.get(preset or "", {}).get(table), lookups)
        if spec:
            tables[table] = spec
    _missing_tables(inspection, files.get(preset or "", {}), presets, tables, todos)
    tables = {table: tables[table] for table in TABLES if table in tables}
    _notes(inspection, todos, lookups)
    where = {"path": str(inspection.folder)}
    if inspection.drops:
        where = {"path": str(inspection.folder.parent), "layout": "drops"}
    block: dict[str, Any] = {**where, **({"preset": preset} if preset else {})}
    if lookups:
        block["lookups"] = lookups
    if tables:
        block["tables"] = tables
    return block


def context_of(inspection: Inspection, table: str, todos: Todos | None = None) -> Context | None:
    """What the mapping of one table is made from: its file, its fit and the preset's spec; None without a file."""
    item = inspection.of(table)
    if item is None or item.fit is None:
        return None
    preset = _preset_tables(preset_of(inspection)).get(table) or {}
    return Context(inspection, item, item.fit, preset, todos or Todos(), None)


def _missing_tables(inspection: Inspection, files: dict[str, str], presets: dict, tables: dict, todos: Todos) -> None:
    seen = {item.fit.table for item in inspection.used if item.fit}
    for table in (t for t in TABLES if t not in seen and inspection.whole_folder):
        pattern = files.get(table)
        if table == "reps" and "deals" in seen:  # no roster export: the deals' owners are the roster
            team = todos.ask("the id of the team in your config whose report has these deals' owners (e.g. north)")
            tables["reps"] = {"from_owners": "deals", "defaults": {"team": team}}
            todos.notes.append(
                "reps: no roster export here, so the deals' owners are the reps (README: No roster export); "
                "give owners their own team under tables.reps.values.team, by owner id or name"
            )
        elif pattern:
            todos.notes.append(
                f"TODO: {table}: no file like {pattern} here: export it, or write tables.{table}.absent: true"
            )
        elif pattern is None or not (presets.get(table) or {}).get("absent"):
            tables[table] = {"absent": True}


def _notes(inspection: Inspection, todos: Todos, lookups: dict[str, Any]) -> None:
    if any(c.kind == "datetime" and "offset" not in c.detail for i in inspection.used for c in i.columns):
        todos.notes.append(
            "TODO: times here have no offset: add `timezone:` under source, your CRM's (e.g. America/New_York)"
        )
    for item in (i for i in inspection.files if i.fit is None):
        if item.lookup and item.lookup in lookups:
            todos.notes.append(f"{item.path.name}: a lookup, not a table: read as source.lookups.{item.lookup}")
        else:
            todos.notes.append(f"not used: {item.path.name}: {item.unused}")


def _preset_tables(preset: str | None) -> dict[str, dict[str, Any]]:
    if not preset:
        return {}
    return yaml.safe_load((PRESETS_DIR / f"{preset}.yaml").read_text(encoding="utf-8")).get("tables") or {}


def as_yaml(inspection: Inspection) -> str:
    """A source block to paste: with a preset, only what the preset does not already say; TODO lines for what
    only the user knows, each saying what to write."""
    todos = Todos()
    block: dict[str, Any] = {"source": source_block(inspection, todos)}
    return render(block, todos)
