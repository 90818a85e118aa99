"""`salespulse inspect PATH`: an export's columns, their kinds, samples and a suggested mapping.

Suggestions come from the canonical column names and from the export names the shipped presets know, so a
Salesforce, HubSpot or Pipedrive export is recognised as such; the YAML form is a start to paste and edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import yaml

from flows.errors import UserError
from flows.mapping_config import PRESETS_DIR, CsvOptions, Reading
from flows.source_reader import DEFAULT_SUFFIXES, EXCEL_SUFFIXES, natural_key, read_file
from transforms.profile import Aliases, ColumnProfile, Suggestion, best_preset, profile, suggest
from transforms.schema import TABLES

READABLE = (*DEFAULT_SUFFIXES, *EXCEL_SUFFIXES, ".txt", ".tsv")


@dataclass(frozen=True)
class Inspected:
    path: Path
    rows: int
    columns: list[ColumnProfile]
    suggestion: Suggestion
    sheet: str | None = None  # the workbook sheet read, when one was named

    @property
    def names(self) -> set[str]:
        return {column.name for column in self.columns}


@dataclass(frozen=True)
class Inspection:
    folder: Path  # the folder read (a drops folder: its latest drop)
    files: list[Inspected]
    whole_folder: bool  # a folder was inspected: tables with no file in it are worth a note
    drops: bool = False  # the folder holds one sub-folder per period


def inspect_path(path: Path, sheet: str | None = None) -> Inspection:
    """The folder inspected (a drops folder: its latest drop) and each readable file in it, or the one file."""
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    folder, files = (path, _files(path)) if path.is_dir() else (path.parent, [path])
    if path.is_dir() and not files:
        drops = sorted((d for d in path.iterdir() if d.is_dir() and _files(d)), key=lambda d: natural_key(d.name))
        if not drops:
            raise UserError(f"{path}: no .csv, .xlsx or .parquet files here or in its sub-folders")
        folder, files = drops[-1], _files(drops[-1])
    aliases, patterns = preset_names()
    taken: set[str] = set()
    inspected = []
    for file in files:
        frame = read_file(file, Reading(sheet=sheet), CsvOptions())
        ranked = suggest([str(c) for c in frame.columns], aliases, file.name, patterns)
        best = next((s for s in ranked if s.table not in taken and s.columns), ranked[0])
        taken.add(best.table)
        named = sheet if file.suffix.lower() in EXCEL_SUFFIXES else None
        inspected.append(Inspected(file, len(frame), profile(frame.head(10_000)), best, named))
    return Inspection(folder, inspected, whole_folder=path.is_dir(), drops=folder != path and path.is_dir())


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READABLE)


def preset_names() -> tuple[Aliases, dict[str, dict[str, str]]]:
    """From every preset: the export names of each canonical column, and the file each table is read from."""
    aliases: Aliases = {}
    files: dict[str, dict[str, str]] = {}
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        preset = yaml.safe_load(path.read_text(encoding="utf-8"))
        for table, spec in preset.get("tables", {}).items():
            for export, targets in (spec.get("columns") or {}).items():
                for target in targets if isinstance(targets, list) else [targets]:
                    aliases.setdefault(path.stem, {}).setdefault(table, {}).setdefault(target, []).append(str(export))
            files.setdefault(path.stem, {})[table] = spec.get("file", "")
    return aliases, files


def as_text(inspection: Inspection) -> str:
    inspected = inspection.files
    lines = []
    for item in inspected:
        suggestion = item.suggestion
        matched = f"{len(suggestion.columns)} of {len(TABLES[suggestion.table].columns)} columns matched"
        lines.append(
            f"{item.path}: {item.rows} rows, {len(item.columns)} columns; looks like {suggestion.table} ({matched})"
        )
        width = max([len(c.name) for c in item.columns] + [6])
        lines.append(f"  {'column':<{width}}  {'kind':<42} blank  samples")
        for column in item.columns:
            kind = f"{column.kind} ({column.detail})" if column.detail else column.kind
            samples = ", ".join(_short(s) for s in column.samples)
            lines.append(f"  {column.name:<{width}}  {kind:<42} {column.blank_share:>4.0%}  {samples}")
        lines.append(f"  suggested for {suggestion.table}:")
        lines += [f"    {export} → {canonical}" for export, canonical in suggestion.columns.items()]
        if suggestion.missing:
            lines.append(f"    nothing matched: {', '.join(suggestion.missing)} (map a column or set a default)")
        lines.append("")
    preset = best_preset([i.suggestion for i in inspected])
    if preset:
        lines.append(f"These look like {preset} exports: start from `preset: {preset}` (salespulse inspect --yaml).")
    return "\n".join(lines).rstrip()


def as_yaml(inspection: Inspection) -> str:
    """A source block to paste: with a preset, only what the preset does not already say."""
    folder, inspected = inspection.folder, inspection.files
    preset = best_preset([i.suggestion for i in inspected])
    aliases, files = preset_names()
    defaults = _preset_defaults(preset) if preset else {}
    tables: dict[str, Any] = {}
    notes = []
    for item in inspected:
        suggestion = item.suggestion
        spec: dict[str, Any] = {}
        table = suggestion.table
        pattern = files.get(preset or "", {}).get(table) or f"{table}.*"
        if not fnmatch(item.path.name.casefold(), pattern.casefold()):
            spec["file"] = item.path.name
        if item.sheet:
            spec["sheet"] = item.sheet
        known = aliases.get(preset or "", {}).get(table, {})
        columns = {e: c for e, c in suggestion.columns.items() if e != c and e not in known.get(c, [])}
        if columns:
            spec["columns"] = columns
        dates = _date_formats(item, suggestion, notes)
        if dates:
            spec["dates"] = dates
        if spec:
            tables[suggestion.table] = spec
        # Filled anyway: by the preset's defaults or its other names, or (currency) by the company's currency.
        covered = set(defaults.get(table, ())) | {c for c, n in known.items() if set(n) & item.names}
        missing = [c for c in suggestion.missing if c not in covered and c != "currency"]
        notes += [f"{suggestion.table}.{c}: no column matched; map one or set defaults" for c in missing]
    if any(c.detail == "ISO datetime" for i in inspected for c in i.columns):
        notes.append("times without an offset: set source.timezone to your CRM's timezone (default UTC)")
    seen = {item.suggestion.table for item in inspected}
    for table in (t for t in TABLES if t not in seen and inspection.whole_folder):
        pattern = files.get(preset or "", {}).get(table)
        if pattern:
            notes.append(f"{table}: no file like {pattern} here; export it, or set tables.{table}.absent: true")
        elif pattern is None:  # no preset, or one that does not read this table either: absent
            tables[table] = {"absent": True}
    where = {"path": str(folder.parent), "layout": "drops"} if inspection.drops else {"path": str(folder)}
    block: dict[str, Any] = {**where, **({"preset": preset} if preset else {})}
    if tables:
        block["tables"] = tables
    text = yaml.safe_dump({"source": block}, sort_keys=False, allow_unicode=True, width=120)
    return text + "".join(f"# TODO {note}\n" for note in notes)


def _preset_defaults(preset: str) -> dict[str, list[str]]:
    tables = yaml.safe_load((PRESETS_DIR / f"{preset}.yaml").read_text(encoding="utf-8"))["tables"]
    return {table: list((spec or {}).get("defaults") or {}) for table, spec in tables.items()}


def _date_formats(item: Inspected, suggestion: Suggestion, notes: list[str]) -> dict[str, str]:
    table = TABLES[suggestion.table]
    kinds = {c.name: c for c in item.columns}
    formats = {}
    for export, canonical in suggestion.columns.items():
        detail = kinds[export].detail
        if canonical not in table.dates + table.timestamps or detail.startswith("ISO") or not detail:
            continue
        if detail.startswith(("day-first", "month-first")) and "ambiguous" not in detail:
            formats[canonical] = detail.split(" ")[0]
        else:
            notes.append(f"{suggestion.table}.{canonical}: dates are {detail}; state day-first or month-first")
    return formats


def _short(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
