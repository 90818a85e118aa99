"""One table's mapping for `salespulse inspect --yaml` and `salespulse init`, from the file inspect chose.

With a preset, only what the preset does not already say: the columns it does not fill, every label of the
stage, status or activity-type column it does not map (with the canonical value the label's words suggest,
transforms/labels.py), blank defaults where a blank is valid, and the rules a generic export needs (one
close date for open and closed deals, names for ids, products spelled as a products list spells them).
What only the user knows is a TODO (`Todos.ask`): a line `key: TODO  # TODO: what to write`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any

from salespulse.onboarding.inspect import Inspected, Inspection
from salespulse.transforms.file_match import Fit
from salespulse.transforms.labels import propose
from salespulse.transforms.mapping import VOCABULARIES
from salespulse.transforms.mapping_lookups import squash
from salespulse.transforms.schema import TABLES

LABELLED = {table: column for table, column in VOCABULARIES}  # deals → stage, leads → status, activities → type
NEEDED = {  # canonical columns a run cannot do without: a TODO when nothing fills them, not a blank default
    "reps": ("rep_id",), "accounts": ("account_id",), "leads": ("lead_id", "created_at"),
    "deals": ("deal_id", "owner_rep_id", "stage", "amount", "closed_at"), "activities": ("activity_id", "rep_id"),
    "orders": ("order_id", "amount", "ordered_at"),
}  # fmt: skip
FILLED_ELSEWHERE = ("currency", "team")  # the source's currency; the team (a TODO of its own)
TEAM_ID = r"^[a-z0-9][a-z0-9_-]*$"


@dataclass
class Todos:
    asked: dict[str, tuple[str, str]] = field(default_factory=dict)  # sentinel → (placeholder, what to write)
    notes: list[str] = field(default_factory=list)  # comment lines printed after the block

    def ask(self, what: str, placeholder: str = "TODO") -> str:
        sentinel = f"__TODO{len(self.asked)}__"
        self.asked[sentinel] = (placeholder, what)
        return sentinel


@dataclass(frozen=True)
class Context:
    inspection: Inspection
    item: Inspected
    fit: Fit
    preset: dict[str, Any]  # the preset's spec of this table
    todos: Todos
    team_ids: dict[str, str] | None

    @property
    def known(self) -> dict[str, list[str]]:
        """Canonical column → the preset's export names for it that this file has."""
        found: dict[str, list[str]] = {}
        for export, targets in (self.preset.get("columns") or {}).items():
            for target in targets if isinstance(targets, list) else [targets]:
                if str(export) in self.item.names:
                    found.setdefault(target, []).append(str(export))
        return found

    def sources(self, canonical: str) -> list[str]:
        """The export columns the merged mapping reads for a canonical column."""
        ours = [e for e, targets in self.fit.columns.items() if canonical in targets]
        return list(dict.fromkeys(self.known.get(canonical, []) + ours))


def table_spec(context: Context, pattern: str | None, lookups: dict[str, Any]) -> dict[str, Any]:
    item, table = context.item, context.fit.table
    spec: dict[str, Any] = {}
    if context.preset.get("absent"):
        spec["absent"] = False
    if _needs_file(context.inspection, item, table, pattern):
        spec["file"] = item.path.name
    if item.sheet:
        spec["sheet"] = item.sheet
    spec["columns"] = _columns(context)
    spec["dates"] = _dates(context)
    spec["values"] = _values(context)
    spec["defaults"] = _defaults(context)
    spec["by_name"] = _by_name(context)
    spec["only_when"] = _only_when(context)
    spec["products"] = _products(context, lookups)
    return {key: value for key, value in spec.items() if value not in ({}, [], None)}


def _needs_file(inspection: Inspection, item: Inspected, table: str, pattern: str | None) -> bool:
    if not pattern:
        return item.path.stem.casefold() != table or item.path.suffix.lower() not in (".csv", ".xlsx", ".parquet")
    others = [i for i in inspection.files if i is not item and fnmatch(i.path.name.casefold(), pattern.casefold())]
    return not fnmatch(item.path.name.casefold(), pattern.casefold()) or bool(others)


def _columns(context: Context) -> dict[str, Any]:
    """Export → canonical where the preset (or the same name) does not already fill the canonical column."""
    known = context.known
    columns: dict[str, Any] = {}
    for export, targets in context.fit.columns.items():
        ours = [t for t in targets if not known.get(t) and t != export]
        if ours:
            columns[export] = ours[0] if len(ours) == 1 else ours
    return columns


def _dates(context: Context) -> dict[str, str]:
    spec, kinds = TABLES[context.fit.table], {c.name: c for c in context.item.columns}
    formats = {}
    for canonical in spec.dates + spec.timestamps:
        for export in context.sources(canonical):
            detail = kinds[export].detail
            if not detail or detail.startswith("ISO"):
                continue
            if detail.startswith(("day-first", "month-first")) and "ambiguous" not in detail:
                formats[canonical] = detail.split(" ")[0]
            else:
                sample = kinds[export].samples[0] if kinds[export].samples else ""
                formats[canonical] = context.todos.ask(
                    f"day-first or month-first: {export} holds dates like {sample!r} ({detail}); "
                    "or a pattern such as '%d.%m.%Y %H:%M'"
                )
                break
    return formats


def _values(context: Context) -> dict[str, dict[str, str]]:
    """Every label of the stage, status or type column the preset does not map, with a proposed value;
    and the roster's team labels → the config's team ids."""
    table, values = context.fit.table, {}
    column = LABELLED.get(table)
    if column:
        covered = {str(k).strip().casefold() for k in ((context.preset.get("values") or {}).get(column) or {})}
        vocabulary = VOCABULARIES[(table, column)]
        labels = {}
        for label in labels_of(context, column):
            if label in vocabulary or label.strip().casefold() in covered:
                continue
            labels[label] = propose(table, column, label) or context.todos.ask(
                f"write which of {', '.join(vocabulary)} the label {label!r} means"
            )
        values[column] = labels
    if table == "reps":
        values["team"] = {
            label: team for label in labels_of(context, "team") if (team := _team_of(label, context)) != label
        }
    return {column: labels for column, labels in values.items() if labels}


def labels_of(context: Context, canonical: str) -> list[str]:
    found = [v for export in context.sources(canonical) for v in context.item.values.get(export, ())]
    return list(dict.fromkeys(found))


def _team_of(label: str, context: Context) -> str:
    if context.team_ids is not None:
        return context.team_ids.get(label, label)
    if re.match(TEAM_ID, label):
        return label
    return context.todos.ask(f"the id of the team in your config whose report has these reps (e.g. {slug(label)})")


def slug(label: str) -> str:
    """A team id from a team label: North America → north-america."""
    return re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-") or "team"


def _defaults(context: Context) -> dict[str, str]:
    """A value for each canonical column nothing fills: blank where a blank is valid, a TODO where it is not."""
    table = context.fit.table
    preset_defaults = context.preset.get("defaults") or {}
    defaults = {}
    for canonical in TABLES[table].columns:
        if context.sources(canonical) or canonical in preset_defaults or canonical in context.item.names:
            continue
        if canonical == "team":
            only = next(iter((context.team_ids or {}).values()), None)
            defaults["team"] = only or context.todos.ask("the id of the team in your config every rep here is in")
        elif canonical in NEEDED[table]:
            context.todos.notes.append(
                f"TODO: {table}.{canonical}: no column found; map the export column that holds it under "
                f"tables.{table}.columns ({', '.join(c.name for c in context.item.columns)})"
            )
        elif canonical not in FILLED_ELSEWHERE:
            defaults[canonical] = "unspecified" if canonical == "product" else ""
    return defaults


def _by_name(context: Context) -> list[str]:
    """Columns holding the names of reps or accounts whose table has ids of its own: matched by name."""
    found = []
    already = context.preset.get("by_name") or []
    for canonical, target in (("owner_rep_id", "reps"), ("rep_id", "reps"), ("account_id", "accounts")):
        other = context.inspection.of(target)
        if canonical in already or canonical not in TABLES[context.fit.table].columns or other is None:
            continue
        if other is context.item or other.fit is None:
            continue
        key, name = _sources_in(other, TABLES[target].key), _sources_in(other, "name")
        if not key or not name or key == name:
            continue  # a roster of names: the names are the ids
        ours = {_norm(v) for e in context.sources(canonical) for v in context.item.values.get(e, ())}
        by_key = len(ours & {_norm(v) for v in other.values.get(key[0], ())})
        if len(ours & {_norm(v) for v in other.values.get(name[0], ())}) > by_key:
            found.append(canonical)
    return found


def _sources_in(item: Inspected, canonical: str) -> list[str]:
    assert item.fit is not None
    return [e for e, targets in item.fit.columns.items() if canonical in targets]


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def _only_when(context: Context) -> dict[str, str]:
    """One close-date column for open and closed deals: it is the close only once the deal is won or lost."""
    if context.fit.table != "deals" or "closed_at" in (context.preset.get("only_when") or {}):
        return {}
    shared = set(context.sources("expected_close_on")) & set(context.sources("closed_at"))
    return {"closed_at": "closed"} if shared else {}


def _products(context: Context, lookups: dict[str, Any]) -> dict[str, Any] | None:
    """Deal products spelled as the products list spells them ("GTXPro" → "GTX Pro")."""
    products = next((i for i in context.inspection.files if i.lookup == "products"), None)
    if products is None or context.fit.table != "deals" or "products" in context.preset:
        return None
    ours = {squash(v) for e in context.sources("product") for v in context.item.values.get(e, ())}
    if not ours:
        return None
    overlap = {c.name: len(ours & {squash(v) for v in products.values.get(c.name, ())}) for c in products.columns}
    name = max(overlap, key=lambda c: overlap[c])
    if overlap[name] * 2 < len(ours):
        return None
    lookups["products"] = {"file": products.path.name}
    rule: dict[str, Any] = {"lookup": "products", "name": name}
    price = next((c.name for c in products.columns if "price" in squash(c.name) and c.kind != "text"), None)
    return rule | ({"price": price} if price else {})
