"""Fields an export lacks, derived from another table: ids from names, product names and list prices.

Exports often carry the owner's name ("Ana Peña") where the model wants the rep's id, and leave a lost deal's
amount at 0. These rules fill such fields from the reps, accounts or a products table; a value they cannot
resolve stays as it was, so the data-quality gate still names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

# A column holding names → the canonical table whose `name` column they are looked up in, and its id.
NAME_TABLES = {
    "owner_rep_id": ("reps", "rep_id"),
    "rep_id": ("reps", "rep_id"),
    "account_id": ("accounts", "account_id"),
}


@dataclass(frozen=True)
class ProductRule:
    lookup: str  # the name of a lookup table (source.lookups) listing the products
    name: str = "product"  # its product-name column
    price: str | None = None  # its list-price column
    match_names: bool = True  # "GTXPro" in a deal → "GTX Pro" as the products table spells it
    price_lost: bool = False  # a lost deal with amount 0 or blank is valued at the product's list price


@dataclass(frozen=True)
class LookupContext:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # canonical tables mapped so far (text)
    lookups: dict[str, pd.DataFrame] = field(default_factory=dict)  # extra tables, as read


def squash(name: object) -> str:
    """A name without case, spaces or punctuation: how two spellings of one name are compared."""
    return re.sub(r"[^0-9a-z]+", "", str(name).casefold())


def _spaced(name: object) -> str:
    return " ".join(str(name).split()).casefold()


def ids_by_name(values: pd.Series, column: str, context: LookupContext) -> tuple[pd.Series, list[str]]:
    """Names → ids through the reps' or accounts' `name`; a value that already is an id is kept."""
    table_name, id_column = NAME_TABLES[column]
    table = context.tables.get(table_name)
    if table is None or table.empty:
        return values, _nothing_to_match(values, column, table_name)
    ids = set(table[id_column].dropna())
    by_name: dict[str, str | None] = {}
    for rep_id, name in zip(table[id_column], table["name"], strict=True):
        if name is not None and rep_id is not None:
            key = _spaced(name)
            by_name[key] = None if key in by_name and by_name[key] != rep_id else rep_id  # None: two share a name
    present = values.dropna()
    resolved = present.map(lambda v: v if v in ids else by_name.get(_spaced(v)))
    out = values.copy().astype(object)
    out[resolved.dropna().index] = resolved.dropna()
    unknown = present[resolved.isna()].value_counts()
    problems = []
    if len(unknown):
        shown = ", ".join(f"{name!r} ({n})" for name, n in unknown.head(8).items())
        problems.append(f"{column}: {shown} match no {table_name} name or id (or more than one)")
    return out, problems


def looks_like_id(value: object) -> bool:
    """An id such as 0058d000001AbcDAAS or r1 (one word with a digit), not a person's or a company's name."""
    return bool(re.fullmatch(r"[\w.:-]*\d[\w.:-]*", str(value).strip()))


def _nothing_to_match(values: pd.Series, column: str, table_name: str) -> list[str]:
    """Why the column's values cannot be checked or resolved: no rows in the reps (accounts) table."""
    present = values.dropna()
    if present.empty:
        return []
    also = "; or build it from the owners: reps: {from_owners: deals}" if table_name == "reps" else ""
    names = present[~present.map(looks_like_id)]
    if names.empty:
        return [
            f"{column}: ids such as {present.iloc[0]!r} are kept as they are, but cannot be checked: the "
            f"{table_name} table is empty or was not read (see its line{also})"
        ]
    return [
        f"{column}: names such as {names.iloc[0]!r} ({len(names)} rows) cannot become ids: the {table_name} table, "
        f"which holds the names, is empty or was not read (see its line{also})"
    ]


def roster_from_owners(owners: pd.DataFrame, teams: dict[str, str]) -> pd.DataFrame:
    """The reps table from the owners of records (reps.from_owners), as canonical text columns.

    One rep per distinct owner id, named by the first name the export gives it (else its id); its team from
    `teams` (values.team), keyed by the owner's id or name, ignoring case and spacing; None where neither is
    listed (defaults.team fills it later). Email, hire and leaving dates are unknown: left empty.
    """
    known = owners.dropna(subset=["rep_id"])
    first = known.groupby("rep_id", sort=False)["name"].first()  # the first non-blank name of each id
    ids = [str(i) for i in first.index]
    names = [i if n is None or pd.isna(n) else str(n) for i, n in zip(ids, first, strict=True)]
    by_label = {_spaced(label): team for label, team in teams.items()}
    team = [by_label.get(_spaced(i), by_label.get(_spaced(n))) for i, n in zip(ids, names, strict=True)]
    empty = [None] * len(ids)
    return pd.DataFrame(
        {"rep_id": ids, "name": names, "email": empty, "team": team, "hired_on": empty, "left_on": empty}, dtype=object
    )


def apply_products(frame: pd.DataFrame, rule: ProductRule, context: LookupContext) -> tuple[pd.DataFrame, list[str]]:
    products = context.lookups.get(rule.lookup)
    if products is None:
        return frame, [f"product: no lookup table {rule.lookup!r} to match products against"]
    frame = frame.copy()
    names = products[rule.name].dropna().astype(str).str.strip()
    problems = []
    if rule.match_names:
        spelling = {squash(n): n for n in names}
        present = frame["product"].dropna()
        matched = present.map(lambda v: spelling.get(squash(v)))
        frame.loc[matched.dropna().index, "product"] = matched.dropna()
        unknown = present[matched.isna()].value_counts()
        if len(unknown):
            shown = ", ".join(f"{name!r} ({n})" for name, n in unknown.head(8).items())
            problems.append(f"product: {shown} not in the {rule.lookup} table")
    if rule.price_lost and rule.price:
        frame["amount"] = list_price_for_lost(frame, products, rule)
    return frame, problems


def list_price_for_lost(frame: pd.DataFrame, products: pd.DataFrame, rule: ProductRule) -> pd.Series:
    """A lost deal with amount 0 or blank, valued at its product's list price (so lost value is not 0)."""
    assert rule.price is not None
    prices = dict(zip(products[rule.name].astype(str).str.strip(), products[rule.price], strict=True))
    amount = pd.to_numeric(frame["amount"], errors="coerce")
    unvalued = (frame["stage"] == "lost") & (amount.isna() | (amount == 0)) & frame["amount"].map(_blank_or_number)
    price = frame["product"].map(prices)
    fill = unvalued & price.notna()
    return frame["amount"].where(~fill, price.astype(object)).astype(object)


def _blank_or_number(value: object) -> bool:
    # A text amount such as "n/a" is not 0: leave it for the data-quality gate to name.
    return value is None or pd.notna(pd.to_numeric(value, errors="coerce"))
