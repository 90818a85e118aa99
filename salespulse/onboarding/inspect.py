"""`salespulse inspect PATH`: an export's columns, their kinds, samples, which table each file is, and a mapping.

Each file is judged by its name and its content (Salesforce id prefixes, the columns the tables and presets
expect, the kinds of their values); files are given to tables as the best assignment over the folder
(transforms/file_match.py). A file that fits no table confidently, a lookup (a products list) and a CRM
object no table holds (campaigns, cases, contacts, custom objects) are listed as not used, with why. The YAML
form (salespulse/onboarding/inspect_yaml.py) is a source block that passes check-config once its TODO lines
are answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from salespulse.errors import UserError
from salespulse.sources.mapping_config import PRESETS_DIR, CsvOptions, Reading
from salespulse.sources.reader import DEFAULT_SUFFIXES, EXCEL_SUFFIXES, natural_key, read_file
from salespulse.transforms.file_match import FileFacts, Fit, assign, fits, lookup_name, salesforce_object
from salespulse.transforms.profile import Aliases, ColumnProfile, best_preset, profile
from salespulse.transforms.schema import TABLES

READABLE = (*DEFAULT_SUFFIXES, *EXCEL_SUFFIXES, ".txt", ".tsv")
MAX_LABELS = 200  # a column with more distinct values than this holds no labels worth listing


@dataclass(frozen=True)
class Inspected:
    path: Path
    rows: int
    columns: list[ColumnProfile]
    fit: Fit | None  # the table this file is, None: not used
    sheet: str | None = None  # the workbook sheet read, when one was named
    unused: str = ""  # why no table reads it
    lookup: str | None = None  # a lookup table (a products list): its name under source.lookups
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # distinct values, columns with few of them

    @property
    def names(self) -> set[str]:
        return {column.name for column in self.columns}


@dataclass(frozen=True)
class Inspection:
    folder: Path  # the folder read (a drops folder: its latest drop)
    files: list[Inspected]
    whole_folder: bool  # a folder was inspected: tables with no file in it are worth a note
    drops: bool = False  # the folder holds one sub-folder per period

    @property
    def used(self) -> list[Inspected]:
        return [item for item in self.files if item.fit is not None]

    def of(self, table: str) -> Inspected | None:
        return next((item for item in self.used if item.fit and item.fit.table == table), None)


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
    facts, read = [], []
    for file in files:
        frame = read_file(file, Reading(sheet=sheet), CsvOptions())
        profiles = profile(frame.head(10_000))
        lookup = lookup_name(profiles, len(frame), file.name)
        facts.append(FileFacts(file.name, profiles, salesforce_object(frame, file.name), lookup))
        read.append((file, frame, profiles))
    candidates = [fits(fact, aliases, patterns) for fact in facts]
    chosen = assign(candidates)
    inspected = []
    for (file, frame, profiles), fact, fit, options in zip(read, facts, chosen, candidates, strict=True):
        named = sheet if file.suffix.lower() in EXCEL_SUFFIXES else None
        why = "" if fit else _why_unused(fact, options, chosen)
        inspected.append(Inspected(file, len(frame), profiles, fit, named, why, fact.lookup, _distinct(frame)))
    return Inspection(folder, inspected, whole_folder=path.is_dir(), drops=folder != path and path.is_dir())


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READABLE)


def _distinct(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    values = {}
    for column in frame.columns:
        text = frame[column].astype("string").str.strip()
        distinct = tuple(dict.fromkeys(text[text.notna() & (text != "")].tolist()))
        if len(distinct) <= MAX_LABELS:
            values[str(column)] = distinct
    return values


def _why_unused(fact: FileFacts, options: list[Fit], chosen: list[Fit | None]) -> str:
    if fact.lookup:
        return "a lookup (a list with prices, no dates), not a table"
    if fact.salesforce and fact.salesforce[1] is None:
        return f"Salesforce {fact.salesforce[0]} records, which no salesforce table holds"
    if options:
        best = max(options, key=lambda f: f.score)
        taken = next(f for f in chosen if f and f.table == best.table)
        return f"looks like {best.table}, but another file fits {taken.table} better ({taken.score:g} > {best.score:g})"
    return "fits no table confidently (too few of a table's columns, or no dates where the table needs them)"


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


def preset_of(inspection: Inspection) -> str | None:
    return best_preset([item.fit for item in inspection.used])  # type: ignore[misc] - a Fit has what it reads


def as_text(inspection: Inspection) -> str:
    lines = []
    for item in inspection.files:
        fit = item.fit
        if fit is None:
            lines.append(f"{item.path}: {item.rows} rows, {len(item.columns)} columns; not used: {item.unused}")
        else:
            matched = f"{len(fit.filled)} of {len(TABLES[fit.table].columns)} columns matched"
            why = f"; by {', '.join(fit.evidence)}" if fit.evidence else ""
            lines.append(
                f"{item.path}: {item.rows} rows, {len(item.columns)} columns; looks like {fit.table} ({matched}{why})"
            )
        lines += _column_lines(item)
        if fit is not None:
            lines.append(f"  suggested for {fit.table}:")
            lines += [f"    {export} → {', '.join(targets)}" for export, targets in fit.columns.items()]
            if fit.missing:
                lines.append(f"    nothing matched: {', '.join(fit.missing)} (map a column or set a default)")
        lines.append("")
    preset = preset_of(inspection)
    if preset:
        lines.append(f"These look like {preset} exports: start from `preset: {preset}` (salespulse inspect --yaml).")
    return "\n".join(lines).rstrip()


def _column_lines(item: Inspected) -> list[str]:
    width = max([len(c.name) for c in item.columns] + [6])
    lines = [f"  {'column':<{width}}  {'kind':<42} blank  samples"]
    for column in item.columns:
        kind = f"{column.kind} ({column.detail})" if column.detail else column.kind
        samples = ", ".join(_short(s) for s in column.samples)
        lines.append(f"  {column.name:<{width}}  {kind:<42} {column.blank_share:>4.0%}  {samples}")
    return lines


def _short(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
