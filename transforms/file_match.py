"""Which file of an export folder is which canonical table, judged by content as well as by name. Pure: no I/O.

Real export folders hold more than the six tables: campaigns, campaign members, contacts, cases, custom
objects, a products list. Each file is scored against each table: its name (a preset's file name or a word
such as "pipeline" or "team"), its Salesforce id prefix (006 is an Opportunity, 701 a Campaign: no table),
and the canonical columns its columns fill (by `column_match`), the telling ones counting twice. Files are
then given to tables as the best assignment over the whole folder: each table at most one file, each file
at most one table, a file only where the match is confident; the others are listed as not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch

import pandas as pd

from salespulse.transforms.column_match import Columns, match_columns
from salespulse.transforms.mapping_lookups import squash
from salespulse.transforms.profile import ColumnProfile
from salespulse.transforms.schema import TABLES

SALESFORCE_IDS = {  # id prefix → (object, the canonical table it is, or None: no table)
    "006": ("Opportunity", "deals"), "00Q": ("Lead", "leads"), "00T": ("Task", "activities"),
    "00U": ("Event", "activities"), "001": ("Account", "accounts"), "005": ("User", "reps"),
    "701": ("Campaign", None), "00v": ("CampaignMember", None), "003": ("Contact", None), "500": ("Case", None),
    "008": ("OpportunityHistory", None), "00k": ("OpportunityLineItem", None), "01t": ("Product2", None),
}  # fmt: skip
SALESFORCE_ID = r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$"
CUSTOM_PREFIX = r"^a[0-9A-Za-z]{2}$"  # custom objects' ids: a00 … aZZ
TABLE_WORDS = {  # squashed words in a file name that say which table it is
    "reps": ("user", "rep", "team", "roster", "staff", "employee", "agent", "owner"),
    "accounts": ("account", "compan", "organi", "customer", "client"),
    "leads": ("lead",),
    "deals": ("deal", "opportunit", "pipeline"),
    "activities": ("activit", "task", "event"),
    "orders": ("order", "invoice"),
}
TELLING = {  # columns that tell a table apart: they count twice
    "reps": ("name", "email", "team"),
    "accounts": ("name", "industry", "country"),
    "leads": ("status", "source", "converted_at"),
    "deals": ("stage", "amount", "closed_at"),
    "activities": ("type", "due_at", "completed_at"),
    "orders": ("order_id", "amount", "ordered_at"),
}
DATED = ("leads", "deals", "activities", "orders")  # records of events: without a date column they are not it
PRICE_WORDS = ("price", "cost", "listprice", "unitprice", "msrp")
NAME_SCORE, PREFIX_SCORE = 3.0, 4.0
MIN_SCORE, MIN_COLUMNS = 5.0, 2


@dataclass(frozen=True)
class Fit:
    table: str
    columns: Columns  # export column → canonical columns
    score: float
    evidence: tuple[str, ...] = ()
    from_preset: dict[str, tuple[str, ...]] = field(default_factory=dict)  # export column → presets naming it

    @property
    def filled(self) -> set[str]:
        return {c for targets in self.columns.values() for c in targets}

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for c in TABLES[self.table].columns if c not in self.filled)


@dataclass(frozen=True)
class FileFacts:
    """What the scoring reads of one file."""

    name: str
    profiles: list[ColumnProfile]
    salesforce: tuple[str, str | None] | None = None  # (object, table) from its id prefix
    lookup: str | None = None  # a lookup (a products list with prices): the name it would have


def salesforce_object(frame: pd.DataFrame, file_name: str) -> tuple[str, str | None] | None:
    """(object, canonical table or None) from the prefix the ids of its Id column share, or a custom object."""
    if file_name.rsplit(".", 1)[0].endswith("__c"):
        return (f"custom object {file_name.rsplit('.', 1)[0]}", None)
    column = next((c for c in frame.columns if squash(c) == "id"), None)
    if column is None:
        return None
    ids = frame[column].dropna().astype(str).str.strip()
    ids = ids[ids != ""]
    if ids.empty or ids.str.match(SALESFORCE_ID).mean() < 0.95:
        return None
    prefixes = ids.str[:3].value_counts()
    prefix = str(prefixes.index[0])
    if prefixes.iloc[0] / len(ids) < 0.95:
        return None
    if prefix in SALESFORCE_IDS:
        return SALESFORCE_IDS[prefix]
    return (f"custom object (ids {prefix}…)", None) if re.match(CUSTOM_PREFIX, prefix) else None


def lookup_name(profiles: list[ColumnProfile], rows: int, file_name: str) -> str | None:
    """A reference list (products with their prices): no dates, a price column, one name per row."""
    if any(p.kind in ("date", "datetime") for p in profiles):
        return None
    priced = any(p.kind in ("integer", "decimal") and any(w in squash(p.name) for w in PRICE_WORDS) for p in profiles)
    named = any(p.kind == "text" and p.blank_share == 0 for p in profiles)
    if not (priced and named) or rows == 0:
        return None
    stem = squash(file_name.rsplit(".", 1)[0])
    return "products" if "product" in stem or any("product" in squash(p.name) for p in profiles) else stem


def fits(facts: FileFacts, aliases: dict, patterns: dict[str, dict[str, str]]) -> list[Fit]:
    """Every table this file could be, with its score; none for a lookup or an object no table holds."""
    if facts.lookup or (facts.salesforce and facts.salesforce[1] is None):
        return []
    found = []
    for table in TABLES:
        if facts.salesforce and facts.salesforce[1] != table:
            continue  # a Salesforce Task is never the deals table, whatever its columns
        known = {c: [n for p in aliases.values() for n in p.get(table, {}).get(c, [])] for c in TABLES[table].columns}
        columns = match_columns(facts.profiles, table, known)
        fit = _score(facts, table, columns, known, aliases, patterns)
        if fit is not None:
            found.append(fit)
    return found


def _score(facts: FileFacts, table: str, columns: Columns, known: dict, aliases: dict, patterns: dict) -> Fit | None:
    filled = {c for targets in columns.values() for c in targets}
    spec = TABLES[table]
    if table in DATED and not filled & set(spec.dates + spec.timestamps):
        return None
    evidence = []
    score = len(filled) + len(filled & set(TELLING[table]))
    if _named_for(facts.name, table, patterns):
        score += NAME_SCORE
        evidence.append("file name")
    if facts.salesforce:
        score += PREFIX_SCORE
        evidence.append(f"Salesforce {facts.salesforce[0]} ids")
    if score < MIN_SCORE or len(filled) < MIN_COLUMNS:
        return None
    return Fit(table, columns, score, tuple(evidence), _from_preset(columns, table, aliases))


def _from_preset(columns: Columns, table: str, aliases: dict) -> dict[str, tuple[str, ...]]:
    """Export column → the presets that know it by this very name (how `best_preset` recognises a CRM)."""
    found = {}
    for export, targets in columns.items():
        known = {p: [n for c in targets for n in names.get(table, {}).get(c, [])] for p, names in aliases.items()}
        presets = tuple(p for p, names in known.items() if export in names)
        if presets:
            found[export] = presets
    return found


def _named_for(file_name: str, table: str, patterns: dict[str, dict[str, str]]) -> bool:
    name = file_name.casefold()
    if any(fnmatch(name, p.get(table, "").casefold()) for p in patterns.values() if p.get(table)):
        return True
    stem = squash(file_name.rsplit(".", 1)[0])
    return stem == table or any(word in stem for word in TABLE_WORDS[table])


def assign(candidates: list[list[Fit]]) -> list[Fit | None]:
    """The best assignment of files (each with its candidate fits) to tables: the highest total score with
    each table taken at most once. Exact: a table set is at most 2^6 states per file."""
    tables = list(TABLES)
    best: dict[int, tuple[float, list[Fit | None]]] = {0: (0.0, [])}
    for fits_of_file in candidates:
        step: dict[int, tuple[float, list[Fit | None]]] = {}
        for mask, (total, chosen) in best.items():
            options: list[tuple[int, float, Fit | None]] = [(mask, total, None)]
            for fit in fits_of_file:
                bit = 1 << tables.index(fit.table)
                if not mask & bit:
                    options.append((mask | bit, total + fit.score, fit))
            for new_mask, new_total, fit in options:
                if new_mask not in step or new_total > step[new_mask][0]:
                    step[new_mask] = (new_total, [*chosen, fit])
        best = step
    return max(best.values(), key=lambda v: v[0])[1]
