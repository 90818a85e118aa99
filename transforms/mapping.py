"""A CRM export → one canonical table, as text, by a mapping stated in the config. Pure: no I/O.

Nothing is dropped or guessed: a value with no entry in a value map stays as it was, so the data-quality
gate names it; a date in no stated format stays as it was, so `normalise` records it in `parse_errors`.
Every such value is also listed in `Mapped.problems`, which `salespulse check-config` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from salespulse.transforms.mapping_dates import ISO, describe_dates, format_hint, parsed_share, to_iso
from salespulse.transforms.mapping_lookups import LookupContext, ProductRule, apply_products, ids_by_name
from salespulse.transforms.schema import ACTIVITY_TYPES, DEAL_STAGES, LEAD_STATUSES, Table

CLOSED = "closed"  # only_when keyword: the deal's mapped stage is won or lost
VOCABULARIES = {
    ("deals", "stage"): DEAL_STAGES,
    ("leads", "status"): LEAD_STATUSES,
    ("activities", "type"): ACTIVITY_TYPES,
}
TRUE_VALUES = ("1", "true", "yes", "y", "t", "x", "done", "won")
FALSE_VALUES = ("", "0", "false", "no", "n", "f", "to do", "not done")


class MappingError(ValueError):
    """The mapping cannot be applied to this export (a column it names is not there)."""


@dataclass(frozen=True)
class Outcome:
    """Won or lost from flags (Salesforce IsClosed + IsWon) or from a status column (Pipedrive's Status)."""

    closed: str | None = None
    won: str | None = None
    status: str | None = None
    won_values: tuple[str, ...] = ("won",)
    lost_values: tuple[str, ...] = ("lost",)


@dataclass(frozen=True)
class TableMapping:
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # export column → canonical columns
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # canonical column → {label: canonical}
    dates: dict[str, str] = field(default_factory=dict)  # canonical column → format; default iso
    defaults: dict[str, str] = field(default_factory=dict)  # canonical column → value for blanks
    by_name: tuple[str, ...] = ()  # canonical columns holding a rep's or an account's name, not its id
    only_when: dict[str, str] = field(default_factory=dict)  # canonical column → boolean export column, or "closed"
    keep_prefixed: dict[str, str] = field(default_factory=dict)  # canonical column → id prefix; others blanked
    outcome: Outcome | None = None
    products: ProductRule | None = None
    true_values: tuple[str, ...] = TRUE_VALUES
    false_values: tuple[str, ...] = FALSE_VALUES
    timezone: str = "UTC"  # of times written without an offset


@dataclass(frozen=True)
class Mapped:
    frame: pd.DataFrame
    problems: tuple[str, ...] = ()  # values the data-quality gate will flag: say so before the run


def sources_of(columns: list[str], table: Table, spec: TableMapping) -> dict[str, list[str]]:
    """For each canonical column, the export columns present that fill it, in the mapping's order.

    A row takes the first non-blank of them (Pipedrive's closed_at: Won time, else Lost time); a canonical
    column the mapping does not name is taken from an export column of the same name.
    """
    found: dict[str, list[str]] = {column: [] for column in table.columns}
    for export, targets in spec.columns.items():
        for target in targets:
            if export in columns and target in found:
                found[target].append(export)
    for column in table.columns:
        if not found[column] and column in columns:
            found[column] = [column]
    return found


def missing_columns(columns: list[str], table: Table, spec: TableMapping, extra: dict[str, str]) -> list[str]:
    """Canonical columns with neither an export column nor a default (`extra`: defaults from elsewhere)."""
    sources = sources_of(columns, table, spec)
    return [c for c in table.columns if not sources[c] and c not in spec.defaults and c not in extra]


def needed_export_columns(spec: TableMapping) -> list[str]:
    """Export columns the rules read directly (not through a rename)."""
    named = [spec.outcome.closed, spec.outcome.won, spec.outcome.status] if spec.outcome else []
    named += [column for column in spec.only_when.values() if column != CLOSED]
    return [column for column in named if column]


def map_table(raw: pd.DataFrame, table: Table, spec: TableMapping, context: LookupContext | None = None) -> Mapped:
    """The canonical columns of `table`, as text with None for blanks, in the schema's order."""
    columns = [str(c) for c in raw.columns]
    absent = missing_columns(columns, table, spec, {}) + [c for c in needed_export_columns(spec) if c not in columns]
    if absent:
        raise MappingError(f"no column for {', '.join(absent)}")
    sources = sources_of(columns, table, spec)
    frame = pd.DataFrame({c: _first_of(raw, sources[c]) for c in table.columns}, index=raw.index)
    problems: list[str] = []
    frame = _fill_defaults(frame, spec.defaults)
    for column, labels in spec.values.items():
        if column in frame:
            frame[column] = map_values(frame[column], labels)
    if spec.outcome:
        frame["stage"] = apply_outcome(frame["stage"], raw, spec)
    for column, prefix in spec.keep_prefixed.items():
        frame[column] = frame[column].where(frame[column].astype("string").fillna("").str.startswith(prefix), None)
    context = context or LookupContext()
    for column in spec.by_name:
        frame[column], missed = ids_by_name(frame[column], column, context)
        problems += missed
    if spec.products:
        frame, missed = apply_products(frame, spec.products, context)
        problems += missed
    for column, condition in spec.only_when.items():
        keep = frame["stage"].isin(("won", "lost")) if condition == CLOSED else flags(raw[condition], spec) != False  # noqa: E712
        frame[column] = frame[column].where(keep, None)
    for column in table.dates + table.timestamps:
        fmt = spec.dates.get(column, ISO)
        frame[column] = to_iso(frame[column], fmt, column in table.timestamps, spec.timezone)
    problems += unknown_values(frame, table)
    return Mapped(frame=frame.astype(object).where(frame.notna(), None), problems=tuple(problems))


def owner_rows(raw: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    """One row per record of an export: its owner's id and name (reps.from_owners).

    `sources` are the export columns that fill the owner column, in the mapping's order (Salesforce: OwnerId,
    then Owner.Name). The id is the first non-blank of them, as the mapped table will have it; the name is the
    first non-blank of the later ones (None when the export has no other owner column: the roster uses the id).
    """
    return pd.DataFrame({"rep_id": _first_of(raw, sources), "name": _first_of(raw, sources[1:])}, index=raw.index)


def _first_of(raw: pd.DataFrame, columns: list[str]) -> pd.Series:
    out = pd.Series(None, index=raw.index, dtype=object)
    for column in columns:
        out = out.where(out.notna(), _text(raw[column]))
    return out


def _text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.astype(object).where(text.notna() & (text != ""), None)


def _fill_defaults(frame: pd.DataFrame, defaults: dict[str, str]) -> pd.DataFrame:
    for column, value in defaults.items():
        if column in frame:
            frame[column] = frame[column].where(frame[column].notna(), None if value in ("", None) else str(value))
    return frame


def map_values(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    """Labels → canonical values, matched without regard to case or surrounding spaces; others unchanged."""
    lookup = {str(label).strip().casefold(): target for label, target in labels.items()}
    keys = values.astype("string").str.strip().str.casefold()
    mapped = keys.map(lookup)
    text = values.astype(object).where(values.notna(), None)
    return text.where(mapped.isna(), mapped.astype(object))


def flags(values: pd.Series, spec: TableMapping) -> pd.Series:
    """True, False, or None for a value in neither list (the rule that reads it then changes nothing)."""
    keys = values.astype("string").fillna("").str.strip().str.casefold()
    truthy = {v.casefold() for v in spec.true_values}
    falsy = {v.casefold() for v in spec.false_values}
    return keys.map(lambda key: True if key in truthy else False if key in falsy else None).astype(object)


def apply_outcome(stage: pd.Series, raw: pd.DataFrame, spec: TableMapping) -> pd.Series:
    """Won/lost where the export says the deal is closed; the mapped stage elsewhere."""
    outcome = spec.outcome
    assert outcome is not None
    if outcome.status:
        status = raw[outcome.status].astype("string").str.strip().str.casefold()
        won = status.isin([v.casefold() for v in outcome.won_values]).fillna(False)
        lost = status.isin([v.casefold() for v in outcome.lost_values]).fillna(False)
    else:
        closed = flags(raw[outcome.closed], spec) if outcome.closed else pd.Series(True, index=raw.index)
        is_won = flags(raw[outcome.won], spec) if outcome.won else pd.Series(None, index=raw.index, dtype=object)
        won = (closed == True) & (is_won == True)  # noqa: E712 - None (unreadable) must count as neither
        lost = (closed == True) & (is_won == False)  # noqa: E712
    return stage.where(~won, "won").where(~lost, "lost").astype(object)


def unknown_values(frame: pd.DataFrame, table: Table) -> list[str]:
    """One line per column: the values outside its canonical vocabulary, with counts, most frequent first."""
    problems = []
    for (name, column), vocabulary in VOCABULARIES.items():
        if name != table.name or column not in frame:
            continue
        values = frame[column].dropna()
        counts = values[~values.isin(vocabulary)].value_counts()
        if len(counts):
            shown = ", ".join(f"{label!r} ({n})" for label, n in counts.head(8).items())
            more = f" and {len(counts) - 8} more" if len(counts) > 8 else ""
            problems.append(f"{column}: unmapped values {shown}{more}; map each to one of {', '.join(vocabulary)}")
    return problems


def date_format_problems(raw: pd.DataFrame, table: Table, spec: TableMapping, where: str) -> list[str]:
    """Date columns left in ISO (the default) whose values are mostly not ISO: their format must be stated."""
    problems = []
    sources = sources_of([str(c) for c in raw.columns], table, spec)
    for column in table.dates + table.timestamps:
        source = next((s for s in sources[column] if parsed_share(raw[s]) < 0.5), None)
        if source is None or spec.dates.get(column, ISO) != ISO:
            continue
        sample = _text(raw[source]).dropna().iloc[0]
        looks = describe_dates(raw[source]) or "not a date format salespulse knows"
        problems.append(
            f"{source} → {column}: dates like {sample!r} are not ISO ({looks}); {format_hint(column, where)}"
        )
    return problems
