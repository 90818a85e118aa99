"""The `source:` block of the config: where the CRM data is and how its columns map onto the canonical tables.

Presets (flows/presets/<name>.yaml) are the same block for a CRM's standard export; `preset: salesforce`
merges one under the user's own settings, which win key by key (a `null` removes a preset's key). A user's
mapping of a canonical column replaces every mapping of that column in the preset: `Type__c: type` drops the
preset's `Type: type` and `TaskSubtype: type`, which would otherwise be read first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator, model_validator

from salespulse.transforms.mapping import CLOSED, Outcome, TableMapping
from salespulse.transforms.mapping_dates import is_known_format
from salespulse.transforms.mapping_lookups import NAME_TABLES, ProductRule
from salespulse.transforms.schema import TABLES

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
TableName = Literal["reps", "accounts", "leads", "deals", "activities", "orders"]
# The tables whose owners can make the roster (reps.from_owners), and their owner column.
OWNER_COLUMNS = {"deals": "owner_rep_id", "leads": "owner_rep_id", "activities": "rep_id"}
OwnerTable = Literal["deals", "leads", "activities"]


def _as_text(value: Any) -> Any:
    # YAML reads `1`, `0.5` and `yes` as numbers and booleans; a label or a default is text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


Text = Annotated[str, BeforeValidator(_as_text)]
OwnerTables = Annotated[list[OwnerTable], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CsvOptions(_Strict):
    delimiter: Literal["auto", ",", ";", "\t", "|"] = "auto"
    encoding: Literal["auto", "utf-8", "utf-8-sig", "cp1252", "latin-1"] = "auto"


class OutcomeConfig(_Strict):
    closed: str | None = None  # a boolean export column: the deal is closed
    won: str | None = None  # a boolean export column: the deal is won (lost when closed and not won)
    status: str | None = None  # or one status column ...
    won_values: list[Text] = ["won"]  # ... with these labels for won
    lost_values: list[Text] = ["lost"]  # ... and these for lost

    @model_validator(mode="after")
    def _one_way(self) -> OutcomeConfig:
        if bool(self.status) == bool(self.won):
            raise ValueError("give either status (a status column) or won (and closed: boolean columns)")
        return self


class ProductsConfig(_Strict):
    lookup: str  # a table named in source.lookups
    name: str = "product"
    price: str | None = None
    match_names: bool = True
    price_lost: bool = False


class Reading(_Strict):
    """Where one table's rows are: a file in the source folder (or in each drop folder) or a SQL query."""

    file: str | None = None  # a name or a glob such as 'hubspot-crm-exports-*deals*.csv'; default <table>.csv
    sheet: str | None = None  # of an .xlsx workbook; default the first sheet
    query: str | None = None  # SQL sources: a SELECT ...
    table: str | None = None  # ... or a table name
    csv: CsvOptions | None = None  # this file's delimiter and encoding, where they differ from the source's


class TableSource(Reading):
    absent: bool = False  # the CRM has no such table: an empty table, and the KPIs that need it are skipped
    columns: dict[Text, Text | list[Text]] = {}  # export column → canonical column(s)
    values: dict[str, dict[Text, Text]] = {}  # canonical column → {export label: canonical value}
    dates: dict[str, str] = {}  # canonical column → iso, day-first, month-first, epoch-ms, epoch-s or '%d.%m.%Y'
    defaults: dict[str, Text | None] = {}  # canonical column → value where the export has none
    by_name: list[str] = []  # canonical columns holding a rep's or an account's name instead of its id
    only_when: dict[str, str] = {}  # canonical column → a boolean export column, or `closed`
    keep_prefixed: dict[str, Text] = {}  # canonical column → id prefix (Salesforce 006 = Opportunity)
    outcome: OutcomeConfig | None = None
    products: ProductsConfig | None = None
    # reps only: build the roster from the distinct owners of these tables (no User.csv / reps.csv needed)
    from_owners: OwnerTables | None = None

    @field_validator("dates")
    @classmethod
    def _formats(cls, dates: dict[str, str]) -> dict[str, str]:
        for column, fmt in dates.items():
            if not is_known_format(fmt):
                raise ValueError(
                    f"{column}: unknown date format {fmt!r}; use iso, day-first, month-first, epoch-ms, epoch-s "
                    "or a pattern such as '%d.%m.%Y'"
                )
        return dates


class Source(_Strict):
    path: Path | None = None  # a folder of exports (relative to the config file)
    url: str | None = None  # or a database: sqlite:///crm.db, postgresql+psycopg://user@host/db
    password_env: str | None = None  # the variable holding the database password; never the password itself
    layout: Literal["export", "drops"] = "export"  # drops: one sub-folder per period, the latest drop wins
    preset: Literal["salesforce", "hubspot", "pipedrive"] | None = None
    csv: CsvOptions = CsvOptions()
    timezone: str = "UTC"  # of times written without an offset
    currency: Text | None = None  # for tables with no currency column; default the company's
    true_values: list[Text] | None = None  # booleans; default 1/true/yes/done ...
    false_values: list[Text] | None = None  # ... and blank/0/false/no/to do
    lookups: dict[str, Reading] = {}  # extra tables rules read, e.g. products with list prices
    tables: dict[TableName, TableSource] = {}

    @field_validator("timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {name!r}; use an IANA name such as Europe/Madrid") from None
        return name

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if (self.path is None) == (self.url is None):
            raise ValueError("give either path (a folder of exports) or url (a database), not both")
        if self.url and self.layout == "drops":
            raise ValueError("layout: drops is for folders of exports; a database holds every period already")
        if self.url:
            _no_password(self.url, self.password_env)
        for name, spec in self.tables.items():
            _check_table(name, spec, self)
        for owner_table in self.table("reps").from_owners or []:
            if self.table(owner_table).absent:
                raise ValueError(f"tables.reps.from_owners: {owner_table} is declared absent: it has no owners")
        return self

    def table(self, name: str) -> TableSource:
        return self.tables.get(name) or TableSource()  # not configured: <table>.csv with canonical columns

    def where(self, name: str) -> str:
        return f"source.tables.{name}"

    def mapping(self, name: str) -> TableMapping:
        spec = self.table(name)
        outcome = spec.outcome
        defaults = dict(spec.defaults)
        if "currency" in TABLES[name].columns and self.currency:
            defaults.setdefault("currency", self.currency)
        booleans = {"true_values": tuple(self.true_values)} if self.true_values is not None else {}
        if self.false_values is not None:
            booleans["false_values"] = tuple(self.false_values)
        return TableMapping(
            columns={k: tuple(v) if isinstance(v, list) else (v,) for k, v in spec.columns.items()},
            values={k: dict(v) for k, v in spec.values.items()},
            dates=dict(spec.dates),
            defaults=defaults,
            by_name=tuple(spec.by_name),
            only_when=dict(spec.only_when),
            keep_prefixed=dict(spec.keep_prefixed),
            outcome=Outcome(**outcome.model_dump()) if outcome else None,
            products=ProductRule(**spec.products.model_dump()) if spec.products else None,
            timezone=self.timezone,
            **booleans,
        )


def _no_password(url: str, password_env: str | None) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"not a database URL: {url!r}; e.g. postgresql+psycopg://user@host/db") from None
    if parsed.password:
        env = password_env or "SALESPULSE_DB_PASSWORD"
        raise ValueError(f"the URL holds a password: remove it and set password_env: {env} (export the password)")


def _check_table(name: str, spec: TableSource, source: Source) -> None:
    table = TABLES[name]
    where = f"tables.{name}"
    targets = [t for v in spec.columns.values() for t in (v if isinstance(v, list) else [v])]
    named = targets + list(spec.values) + list(spec.dates) + list(spec.defaults) + spec.by_name
    named += list(spec.only_when) + list(spec.keep_prefixed)
    unknown = [c for c in named if c not in table.columns]
    if unknown:
        raise ValueError(f"{where}: {unknown[0]!r} is not a {name} column; they are {', '.join(table.columns)}")
    bad_names = [c for c in spec.by_name if c not in NAME_TABLES or NAME_TABLES[c][0] == name]
    if bad_names:
        raise ValueError(
            f"{where}.by_name: {bad_names[0]} cannot be matched by name here; by_name takes owner_rep_id or "
            "rep_id (matched to the reps' names) and account_id (matched to the accounts' names)"
        )
    if spec.from_owners is not None and name != "reps":
        raise ValueError(f"{where}.from_owners: only reps is built from owners (reps: {{from_owners: deals}})")
    if (spec.outcome or CLOSED in spec.only_when.values()) and "stage" not in table.columns:
        raise ValueError(f"{where}: outcome and only_when: closed are for deals")
    if spec.products and spec.products.lookup not in source.lookups:
        raise ValueError(f"{where}.products.lookup: no lookup {spec.products.lookup!r} in source.lookups")
    if source.url and not spec.absent and spec.file:
        raise ValueError(f"{where}: a database source reads a query or table, not file")
    if source.path and (spec.query or spec.table):
        raise ValueError(f"{where}: query and table are for a database source (url); a folder has files")


def merged_with_preset(raw: dict[str, Any], config_path: Path) -> dict[str, Any]:
    """The user's source block over its preset's; errors name the config file."""
    name = raw.get("preset")
    if not name:
        return raw
    if not isinstance(name, str) or not (PRESETS_DIR / f"{name}.yaml").exists():
        known = ", ".join(sorted(p.stem for p in PRESETS_DIR.glob("*.yaml")))
        raise ValueError(f"source.preset: unknown preset {name!r}; choose one of {known}")
    preset = load_preset(name)
    user_tables = raw.get("tables") if isinstance(raw.get("tables"), dict) else {}
    for table, spec in (preset.get("tables") or {}).items():
        preset["tables"][table] = _without_replaced(spec, user_tables.get(table))
    return _deep_merge(preset, raw)


@cache
def _preset_text(name: str) -> str:
    return (PRESETS_DIR / f"{name}.yaml").read_text(encoding="utf-8")


def load_preset(name: str) -> dict[str, Any]:
    """A shipped preset as its YAML has it (a fresh copy: callers may change it)."""
    return yaml.safe_load(_preset_text(name)) or {}


def targets_of(value: Any) -> list[str]:
    """The canonical columns one `columns` entry fills: `type`, or `[expected_close_on, closed_at]`."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _without_replaced(preset_table: Any, user_table: Any) -> Any:
    """The preset's table without its mappings of the canonical columns the user maps: the user's replace them."""
    if not isinstance(preset_table, dict) or not isinstance(user_table, dict):
        return preset_table
    user_columns = user_table.get("columns")
    preset_columns = preset_table.get("columns")
    if not isinstance(user_columns, dict) or not isinstance(preset_columns, dict):
        return preset_table
    replaced = {t for value in user_columns.values() for t in targets_of(value)}
    columns: dict[str, Any] = {}
    for export, value in preset_columns.items():
        kept = [t for t in targets_of(value) if t not in replaced]
        if export in user_columns:  # the user's entry replaces it, in the user's order (first non-blank wins)
            continue
        if kept == targets_of(value):
            columns[export] = value
        elif kept:  # CloseDate: [expected_close_on, closed_at] with closed_at mapped by the user
            columns[export] = kept if len(kept) > 1 else kept[0]
    return {**preset_table, "columns": columns}


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
