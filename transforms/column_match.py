"""Which export columns fill which canonical columns. Pure: no I/O.

Three passes, each only for the canonical columns the passes before left unfilled: the canonical name or a
name a preset knows (the same text, or the same once case, spaces and punctuation are dropped); the words
generic exports use (sales_agent, close_value, deal_stage, regional_office), where the values must be of the
right kind (a date column holds dates, an amount numbers); then a similar name, as `profile.suggest` does.
One export column may fill two canonical columns: a single close date is the expected close of an open deal
and the close of a won or lost one, and a roster keyed by names uses the name as the id.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from salespulse.transforms.mapping_lookups import squash
from salespulse.transforms.profile import SIMILAR, ColumnProfile
from salespulse.transforms.schema import TABLES

# canonical column → words (squashed) generic exports use for it, best first. A word of up to four letters
# must be the whole name ("id", "rep"); a longer one may be part of it ("agent" in "sales_agent").
HINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "reps": {
        "rep_id": ("repid", "userid", "ownerid", "agentid", "employeeid", "salesrepid", "id"),
        "name": ("fullname", "username", "salesagent", "salesrep", "salesperson", "agent", "employee", "name"),
        "email": ("email", "mail"),
        "team": ("team", "department", "division", "region", "office", "territory", "group", "unit"),
        "hired_on": ("hiredon", "hiredate", "hired", "startdate", "joined"),
        "left_on": ("lefton", "enddate", "terminated", "left"),
    },
    "accounts": {
        "account_id": ("accountid", "companyid", "organizationid", "customerid", "clientid", "id"),
        "name": ("accountname", "companyname", "account", "company", "organization", "customer", "client", "name"),
        "industry": ("industry", "sector", "vertical"),
        "country": ("country", "nation", "location"),
        "created_on": ("createdon", "createddate", "createdate", "created"),
    },
    "leads": {
        "lead_id": ("leadid", "contactid", "id"),
        "source": ("leadsource", "source", "origin", "channel"),
        "owner_rep_id": ("ownerid", "owner", "salesagent", "agent", "salesrep", "assigned"),
        "status": ("leadstatus", "status", "stage"),
        "account_id": ("accountid", "companyid", "account", "company"),
        "created_at": ("createdat", "createddate", "createdate", "created"),
        "converted_at": ("convertedat", "converteddate", "converted", "conversion"),
    },
    "deals": {
        "deal_id": ("opportunityid", "dealid", "opportunity", "id"),
        "account_id": ("accountid", "companyid", "account", "company", "organization", "customer", "client"),
        "owner_rep_id": ("ownerid", "owner", "salesagent", "salesrep", "salesperson", "agent", "seller", "assigned"),
        "product": ("product", "item", "sku"),
        "stage": ("dealstage", "stage", "status", "phase"),
        "currency": ("currency",),
        "amount": ("amount", "closevalue", "dealvalue", "value", "revenue", "total"),
        "expected_close_on": ("expectedclose", "forecastclose", "closedate", "closingdate"),
        "closed_at": ("closedat", "closeddate", "closedon", "closedate", "closingdate", "wontime", "losttime"),
        "created_at": ("createdat", "createddate", "createdate", "created", "engagedate", "engage", "opened"),
    },
    "activities": {
        "activity_id": ("activityid", "taskid", "id"),
        "rep_id": ("ownerid", "owner", "assigned", "salesagent", "agent", "rep"),
        "type": ("activitytype", "type", "subtype", "kind"),
        "deal_id": ("dealid", "opportunityid", "deal", "opportunity"),
        "lead_id": ("leadid", "contactid", "lead"),
        "due_at": ("dueat", "duedate", "due", "activitydate", "scheduled"),
        "completed_at": ("completedat", "completed", "donetime", "finished"),
    },
    "orders": {
        "order_id": ("orderid", "invoiceid", "invoicenumber", "order", "invoice", "id"),
        "account_id": ("accountid", "customerid", "account", "customer", "company", "client"),
        "deal_id": ("dealid", "opportunityid", "deal", "opportunity"),
        "product": ("product", "item", "sku"),
        "currency": ("currency",),
        "amount": ("amount", "total", "value", "net"),
        "ordered_at": ("orderedat", "orderdate", "invoicedate", "ordered", "date"),
    },
}
LABELS = {"stage", "status", "type", "team", "source", "industry", "country"}  # text, never dates or numbers
CLOSE_PAIR = ("expected_close_on", "closed_at")
KEY_BY_NAME = {"reps": ("rep_id", "name"), "accounts": ("account_id", "name")}

Columns = dict[str, list[str]]  # export column → the canonical columns it fills, in the schema's order


def match_columns(profiles: list[ColumnProfile], table: str, known: dict[str, list[str]]) -> Columns:
    """Export column → canonical columns of `table`; `known`: canonical column → export names presets use."""
    kinds = {p.name: p.kind for p in profiles}
    found: dict[str, str] = {}  # canonical → export
    _exact(list(kinds), table, known, found)
    used = set(found.values())
    for canonical in (c for c in TABLES[table].columns if c not in found):
        column = _by_hint(canonical, HINTS[table].get(canonical, ()), kinds, used, table)
        column = column or _similar(canonical, [canonical, *known.get(canonical, [])], kinds, used, table)
        if column:
            found[canonical] = column
            used.add(column)
    _share(found, kinds, table)
    columns: Columns = {}
    for canonical in TABLES[table].columns:
        if canonical in found:
            columns.setdefault(found[canonical], []).append(canonical)
    return columns


def _exact(columns: list[str], table: str, known: dict[str, list[str]], found: dict[str, str]) -> None:
    """The canonical name or a preset's name: the same text first, then the same squashed."""
    for same in (lambda a, b: a == b, lambda a, b: squash(a) == squash(b)):
        for canonical in TABLES[table].columns:
            if canonical in found:
                continue
            names = [canonical, *known.get(canonical, [])]
            # a column already filling one canonical column is taken again only where a preset says so
            # (Salesforce's CloseDate: expected_close_on and closed_at)
            free = [c for c in columns if c not in found.values() or c in known.get(canonical, [])]
            match = next((c for name in names for c in free if same(c, name)), None)
            if match:
                found[canonical] = match


def _by_hint(canonical: str, hints: tuple[str, ...], kinds: dict[str, str], used: set[str], table: str) -> str | None:
    for hint in hints:
        for column, kind in kinds.items():
            name = squash(column)
            fits = name == hint or (len(hint) > 4 and hint in name)
            if fits and column not in used and kind_fits(canonical, kind, table):
                return column
    return None


def _similar(canonical: str, names: list[str], kinds: dict[str, str], used: set[str], table: str) -> str | None:
    best: tuple[float, str] | None = None
    for column, kind in kinds.items():
        if column in used or not kind_fits(canonical, kind, table):
            continue
        ratio = max(SequenceMatcher(None, squash(column), squash(name)).ratio() for name in names)
        if ratio >= SIMILAR and (best is None or ratio > best[0]):
            best = (ratio, column)
    return best[1] if best else None


def kind_fits(canonical: str, kind: str, table: str) -> bool:
    """A date column holds dates, a number numbers, a label text (an empty column fits anything)."""
    spec = TABLES[table]
    if kind == "empty":
        return True
    if canonical in spec.dates + spec.timestamps:
        return kind in ("date", "datetime")
    if canonical in spec.numbers:
        return kind in ("integer", "decimal")
    if canonical in LABELS or canonical in ("name", "email", "product"):
        return kind in ("text", "boolean-like")
    return kind not in ("date", "datetime", "decimal")  # an id: text or integer


def _share(found: dict[str, str], kinds: dict[str, str], table: str) -> None:
    """One export column for two canonical columns, where the export has one where the model has two."""
    if table == "deals":
        have = [c for c in CLOSE_PAIR if c in found]
        if len(have) == 1:
            column = found[have[0]]
            name = squash(column)
            if "close" in name and not any(w in name for w in ("expect", "forecast", "won", "lost")):
                found[next(c for c in CLOSE_PAIR if c not in found)] = column
    if table in KEY_BY_NAME:
        key, name = KEY_BY_NAME[table]
        if key not in found and name in found:
            found[key] = found[name]  # a roster of names: the name is the id deals and leads refer to
        elif name not in found and key in found and "id" not in squash(found[key]) and kinds[found[key]] == "text":
            found[name] = found[key]  # "account": a name that serves as the id
