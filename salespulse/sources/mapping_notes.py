"""What a mapping does that a user may not expect, in words: for `check-config` and its errors.

- `how_read`: where the mapping means to fill a canonical column from (the preset's export columns, or the
  user's), for the error when the export has none of them.
- `mapping_notes`: information lines, not problems: the preset's mappings a user's mapping replaced, export
  columns the user's config maps that the export lacks or leaves blank, and canonical columns filled from a
  default rather than from an export column.
"""

from __future__ import annotations

import pandas as pd

from salespulse.sources.mapping_config import Source, load_preset, targets_of
from salespulse.transforms.mapping import CLOSED, sources_of
from salespulse.transforms.schema import TABLES


def _preset_table(source: Source, name: str) -> dict:
    if not source.preset:
        return {}
    return (load_preset(source.preset).get("tables") or {}).get(name) or {}


def preset_columns(source: Source, name: str) -> dict[str, list[str]]:
    """The preset's `columns` of a table as shipped (before the user's block replaced any): export → targets."""
    columns = _preset_table(source, name).get("columns") or {}
    return {str(export): targets_of(value) for export, value in columns.items()}


def _current(source: Source, name: str) -> dict[str, list[str]]:
    return {export: targets_of(value) for export, value in source.table(name).columns.items()}


def _readers(columns: dict[str, list[str]], column: str) -> list[str]:
    return [export for export, targets in columns.items() if column in targets]


def user_columns(source: Source, name: str) -> dict[str, list[str]]:
    """The `columns` entries the user's config wrote: not the preset's own (nor a preset entry trimmed by them)."""
    preset = preset_columns(source, name)
    return {
        export: targets
        for export, targets in _current(source, name).items()
        if export not in preset or not set(targets) <= set(preset[export])
    }


def _condition(source: Source, name: str, column: str) -> str:
    when = source.table(name).only_when.get(column)
    if when == CLOSED:
        return " (read only once the deal is won or lost)"
    return f" (read only where {when} is true)" if when else ""


def _alternatives(exports: list[str]) -> str:
    return ", else ".join(exports)


def how_read(source: Source, name: str, column: str) -> tuple[str, list[str]] | None:
    """How the mapping means to fill a canonical column, in words, and the export columns it names (the user's,
    then the preset's they replaced): 'the salesforce preset expects CompletedDateTime (read only where IsClosed
    is true)'. None when nothing maps the column."""
    preset = _readers(preset_columns(source, name), column)
    own = _readers(user_columns(source, name), column)
    now = _readers(_current(source, name), column)
    condition = _condition(source, name, column)
    if own:
        replaced = f" (replacing the {source.preset} preset's {_alternatives(preset)})" if preset else ""
        return f"your config expects {_alternatives(own)}{replaced}{condition}", own + preset
    if now:
        return f"the {source.preset} preset expects {_alternatives(now)}{condition}", now
    return None


def mapping_notes(source: Source, name: str, raw: pd.DataFrame) -> list[str]:
    """Information lines for one mapped table (see the module's docstring)."""
    return _replaced(source, name) + _unused(source, name, raw) + default_notes(source, name, raw)


def _replaced(source: Source, name: str) -> list[str]:
    preset, current, own = preset_columns(source, name), _current(source, name), user_columns(source, name)
    notes = []
    for column in TABLES[name].columns:
        dropped = [e for e in _readers(preset, column) if column not in current.get(e, [])]
        if not dropped:
            continue
        mine = _readers(own, column)
        by = f"replaced by your {', '.join(mine)} → {column}" if mine else "removed by your config"
        notes.append(f"{column}: the {source.preset} preset's {', '.join(dropped)} → {column} is not read: {by}")
    return notes


def _unused(source: Source, name: str, raw: pd.DataFrame) -> list[str]:
    notes = []
    for export, targets in user_columns(source, name).items():
        mapped = f"{export} → {', '.join(targets)}"
        if export not in raw.columns:
            notes.append(f"{mapped}: your config maps it, but the export has no column {export!r}: unused")
        elif not len(raw) or raw[export].astype("string").str.strip().replace("", pd.NA).isna().all():
            notes.append(f"{mapped}: your config maps it, but it is blank in every row")
    return notes


def default_notes(source: Source, name: str, raw: pd.DataFrame) -> list[str]:
    """Canonical columns no export column fills: every row takes the default."""
    mapping = source.mapping(name)
    sources = sources_of([str(c) for c in raw.columns], TABLES[name], mapping)
    where = source.where(name)
    preset = _preset_table(source, name).get("defaults") or {}
    notes = []
    for column, value in mapping.defaults.items():
        if column not in sources or sources[column]:
            continue
        origin = f"{where}.defaults"
        if column not in source.table(name).defaults:  # the currency of a table without one
            origin = "source.currency, else the company's currency"
        if column in preset and str(preset[column]) == str(value):
            origin = f"the {source.preset} preset's default"
        what = f"every row is {value!r}" if value not in ("", None) else "left empty"
        notes.append(f"{column}: no export column; {what} ({origin})")
    return notes
