"""What an export's columns hold, and which canonical table and columns they most likely are. Pure: no I/O.

`salespulse inspect` prints this to help a user write their mapping; nothing here decides anything for a run.
Date formats are described, not chosen: an ambiguous 03/04/2024 is reported as ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pandas as pd

from salespulse.transforms.mapping_dates import describe_dates
from salespulse.transforms.mapping_lookups import squash
from salespulse.transforms.schema import TABLES

BOOLEAN_WORDS = {"1", "0", "true", "false", "yes", "no", "y", "n", "t", "f", "x", "done", "to do"}
INTEGER = r"^[-+]?\d+$"
DECIMAL = r"^[-+]?(\d{1,3}([,.\s]\d{3})+|\d+)([.,]\d+)?$"
SIMILAR = 0.8  # a header this close to a canonical or known export name (after squashing) is suggested
Aliases = dict[str, dict[str, dict[str, list[str]]]]  # preset → table → canonical column → export names


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    kind: str  # integer, decimal, date, datetime, boolean-like, text or empty
    detail: str  # the date format it looks like, or the boolean values seen
    blank_share: float
    samples: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    table: str
    columns: dict[str, str]  # export column → canonical column
    from_preset: dict[str, tuple[str, ...]] = field(default_factory=dict)  # export column → presets knowing it
    missing: tuple[str, ...] = ()  # canonical columns nothing matched

    @property
    def score(self) -> float:
        return len(self.columns) / len(TABLES[self.table].columns)


def profile(frame: pd.DataFrame, samples: int = 3) -> list[ColumnProfile]:
    return [_column(str(name), frame[name], samples) for name in frame.columns]


def _column(name: str, values: pd.Series, samples: int) -> ColumnProfile:
    text = values.astype("string").str.strip()
    present = text[text.notna() & (text != "")].astype(str)
    blank = 1 - len(present) / len(values) if len(values) else 1.0
    shown = tuple(dict.fromkeys(present.tolist()))[:samples]
    kind, detail = infer_kind(present)
    if kind == "boolean-like" and blank:
        detail += " / blank"  # Salesforce reports write false as nothing at all
    return ColumnProfile(name=name, kind=kind, detail=detail, blank_share=blank, samples=shown)


def infer_kind(present: pd.Series) -> tuple[str, str]:
    """The kind of non-blank text values: most of them (95%) must fit it."""
    if present.empty:
        return "empty", ""
    distinct = set(present.str.casefold())
    if distinct <= BOOLEAN_WORDS and (len(distinct) <= 2) and not distinct <= {"0"}:
        return "boolean-like", " / ".join(sorted(distinct, reverse=True))
    if present.str.match(INTEGER).mean() >= 0.95:
        return "integer", ""
    if present.str.match(DECIMAL).mean() >= 0.95:
        return "decimal", _decimal_detail(present)
    dates = describe_dates(present)
    if dates:
        timed = present.str.contains(r"\d[T ]\d{1,2}:\d{2}").mean() > 0.5
        return ("datetime" if timed else "date"), dates
    return "text", f"{len(distinct)} distinct" if len(distinct) <= 12 else ""


def _decimal_detail(present: pd.Series) -> str:
    if present.str.contains(r"\d,\d{1,2}$").mean() > 0.5:
        return "decimal comma"
    return "thousands separators" if present.str.contains(r"\d[,.\s]\d{3}").any() else ""


def suggest(columns: list[str], aliases: Aliases, file_name: str = "", files: dict | None = None) -> list[Suggestion]:
    """Every canonical table with the export columns that match it, best first."""
    suggestions = [_suggest_table(columns, table, aliases) for table in TABLES]
    by_file = _table_of_file(file_name, files or {})
    return sorted(suggestions, key=lambda s: (s.table == by_file, s.score, len(s.from_preset)), reverse=True)


def _suggest_table(columns: list[str], table: str, aliases: Aliases) -> Suggestion:
    chosen: dict[str, str] = {}
    from_preset: dict[str, tuple[str, ...]] = {}
    for canonical in TABLES[table].columns:
        known = {p: names.get(table, {}).get(canonical, []) for p, names in aliases.items()}
        match = _best_match(
            [c for c in columns if c not in chosen], [canonical, *(n for v in known.values() for n in v)]
        )
        if match:
            chosen[match] = canonical
            presets = tuple(p for p, names in known.items() if match in names)
            if presets:
                from_preset[match] = presets
    missing = tuple(c for c in TABLES[table].columns if c not in chosen.values())
    return Suggestion(table=table, columns=chosen, from_preset=from_preset, missing=missing)


def _best_match(columns: list[str], names: list[str]) -> str | None:
    """The export column closest to one of `names`: the same text first, then the same squashed, then similar."""
    best: tuple[tuple[float, bool], str] | None = None
    for column in columns:
        for name in names:
            ratio = SequenceMatcher(None, squash(column), squash(name)).ratio()
            if ratio >= SIMILAR and (best is None or (ratio, column == name) > best[0]):
                best = ((ratio, column == name), column)
    return best[1] if best else None


def _table_of_file(file_name: str, files: dict[str, dict[str, str]]) -> str | None:
    """The table a preset reads from a file of this name (Opportunity.csv → deals), if any."""
    from fnmatch import fnmatch

    for tables in files.values():
        for table, pattern in tables.items():
            if pattern and fnmatch(file_name.casefold(), pattern.casefold()):
                return table
    return None


def best_preset(suggestions: list[Suggestion]) -> str | None:
    """The preset that knows the most matched export columns by their own name (at least half of them)."""
    counts: dict[str, int] = {}
    matched = 0
    for suggestion in suggestions:
        matched += len(suggestion.columns)
        for presets in suggestion.from_preset.values():
            for preset in presets:
                counts[preset] = counts.get(preset, 0) + 1
    if not counts:
        return None
    preset = max(sorted(counts), key=lambda p: counts[p])
    return preset if counts[preset] * 2 >= matched else None
