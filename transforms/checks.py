"""The data-quality checks as data: what each flags, how bad that is, and which numbers it may change.

Each check is one declaration here and one row-flag function in `transforms/check_rows.py`. A flagged row
is never deleted: a check that `exclude`s names the columns it makes untrustworthy (`taints`), and the row is
left out only of the KPIs that read one of them, each saying so (`transforms/taints.py`). A `flag` check only
reports. A `critical` check withholds the report, and names the headline numbers it makes unknowable.

Severity follows what the flaw does to the numbers: a field no KPI or breakdown reads is at most `info`;
open deals may lack account, amount and expected close date (CRMs fill them as a deal matures); won and lost
deals need their amount, stage and close date. The README's data-quality table is generated from this list
(a test keeps them equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from salespulse.transforms.schema import TABLES

Severity = Literal["critical", "warning", "info"]
Action = Literal["flag", "exclude"]
# Which of the checked rows a check judges: every row the report's window reads (`scope`), or only the deals
# closed in the window (`closed`: a deal merely open at the period's end is judged by what it was then).
Applies = Literal["scope", "closed"]
WHOLE_ROW = "*"


@dataclass(frozen=True)
class Check:
    name: str  # the id is `<table>.<name>`
    table: str
    severity: Severity
    action: Action
    taints: tuple[str, ...]  # columns the flagged rows cannot be trusted in (WHOLE_ROW: every column)
    meaning: str  # one sentence: what a failure means for the numbers
    fix: str  # one sentence: what the data owner does about it
    note: str  # how a KPI says it left rows out: "created date after the close date"
    shows: tuple[str, ...] = ()  # the columns a sample row shows beside the key
    applies: Applies = "scope"

    @property
    def id(self) -> str:
        return f"{self.table}.{self.name}"

    @property
    def excludes(self) -> bool:
        return self.action == "exclude" and bool(self.taints)


def _c(name: str, table: str, severity: Severity, action: Action, taints: tuple[str, ...], meaning: str,
       fix: str, note: str, shows: tuple[str, ...] = (), applies: Applies = "scope") -> Check:  # fmt: skip
    return Check(name, table, severity, action, taints, meaning, fix, note, shows, applies)


def _generic(table: str, key_severity: Severity, conflict_severity: Severity) -> tuple[Check, ...]:
    """The checks every table has: its key, its repeated rows, its unreadable cells, its padded text."""
    key, noun = TABLES[table].key, {"activities": "activity"}.get(table, table.removesuffix("s"))
    typed = TABLES[table].numbers + TABLES[table].dates + TABLES[table].timestamps
    soft: Severity = "info" if table == "accounts" else "warning"
    return (
        _c("missing_key", table, key_severity, "exclude", (WHOLE_ROW,),
           f"Rows of {table} have no {key}: they cannot be told apart or referred to.",
           f"Fill {key} in the CRM export (every record has an id there).",
           f"no {key}", shows=TABLES[table].columns[:4]),
        _c("conflicting_rows", table, conflict_severity, "exclude", (WHOLE_ROW,),
           f"The same {key} stands on rows with different values: which one is true cannot be known.",
           f"Keep one record per {key} in the export (a join or a merge in the CRM may have copied it).",
           f"{key} repeated with other values", shows=TABLES[table].columns),
        _c("repeated_rows", table, soft, "exclude", (WHOLE_ROW,),
           f"Some {table} appear more than once, identical: each is counted once.",
           f"Export each {noun} once; nothing is lost meanwhile.",
           "repeated rows (counted once)", shows=(key,)),
        *(
            _c(f"unreadable_{column}", table, soft, "exclude", (column,),
               f"Some {column} cells are not a valid {'number' if column in TABLES[table].numbers else 'date'}: "
               "they are read as empty, and the rows are left out of what reads them.",
               f"Correct {column} in the CRM (the sample shows the text as exported).",
               f"unreadable {column}", shows=("parse_errors",))
            for column in typed
        ),
        _c("padded_text", table, "info", "flag", (),
           "Text with spaces before or after it was trimmed.",
           "Trim the values in the CRM so other tools match them too.",
           "", shows=("trimmed",)),
    )  # fmt: skip


CHECKS_LIST: tuple[Check, ...] = (
    *_generic("deals", "critical", "critical"),
    _c("conflicting_open_rows", "deals", "warning", "exclude", (WHOLE_ROW,),
       "An open deal's id stands on rows with different values: the pipeline leaves it out.",
       "Keep one record per deal_id in the export (a join or a merge in the CRM may have copied it).",
       "open deal_id repeated with other values", shows=TABLES["deals"].columns),
    _c("closed_unknown_stage", "deals", "critical", "exclude", ("stage",),
       "Closed deals carry a stage that is not one of won, lost or the open stages: won or lost cannot be known.",
       "Map the export's stage label to a canonical stage (source: stage_map) or correct it in the CRM.",
       "unknown stage on a closed record", shows=("stage", "amount", "closed_at"), applies="closed"),
    _c("open_unknown_stage", "deals", "warning", "exclude", ("stage",),
       "Deals with no close date carry an unknown stage: their weight in the pipeline cannot be known.",
       "Map the export's stage label to a canonical stage (source: stage_map) or correct it in the CRM.",
       "unknown stage on an open record", shows=("stage", "amount")),
    _c("won_amount_unknown", "deals", "critical", "exclude", ("amount",),
       "Won deals have no amount, or a negative one: won revenue cannot be known.",
       "Enter the amount of each won deal in the CRM.",
       "no usable amount on a won deal", shows=("amount", "parse_errors", "closed_at"), applies="closed"),
    _c("lost_amount_unknown", "deals", "warning", "exclude", ("amount",),
       "Lost deals have no amount, or a negative one: they are left out of the win rate by value.",
       "Keep the amount of lost deals in the CRM (0 is a valid amount).",
       "no usable amount on a lost deal", shows=("amount", "parse_errors"), applies="closed"),
    _c("open_amount_unknown", "deals", "info", "exclude", ("amount",),
       "Open deals have no amount yet (usual for early stages): the pipeline leaves them out and says so.",
       "Nothing, unless these deals should already have an amount.",
       "no amount yet on an open deal", shows=("stage", "amount")),
    _c("closed_without_close_date", "deals", "warning", "exclude", ("closed_at",),
       "Won or lost deals have no close date: no period can count them.",
       "Enter the close date of each closed deal in the CRM.",
       "no close date on a closed deal", shows=("stage", "amount")),
    _c("open_with_close_date", "deals", "warning", "exclude", ("closed_at",),
       "Deals in an open stage carry a close date: whether they are still open is unclear.",
       "Clear the close date of open deals, or set their stage to won or lost.",
       "close date on an open deal", shows=("stage", "closed_at")),
    _c("closed_before_created", "deals", "warning", "exclude", ("created_at",),
       "Deals closed before they were created (often a bulk load's created date): only the sales cycle and "
       "created-date cohorts leave them out; revenue, counts and win rate keep them.",
       "Nothing for the revenue; for the cycle time, keep the original created date when loading records.",
       "created date after the close date", shows=("created_at", "closed_at")),
    _c("closed_without_created", "deals", "info", "exclude", ("created_at",),
       "Closed deals have no created date: the sales cycle leaves them out.",
       "Keep the created date when loading records into the CRM.",
       "no created date", shows=("stage", "closed_at")),
    _c("undated_open_deals", "deals", "warning", "flag", (),
       "Open deals have no created date: no period's pipeline holds them.",
       "Keep the created date of each deal in the export.",
       "", shows=("stage", "amount")),
    _c("unknown_owner", "deals", "warning", "flag", (),
       "Deals are owned by nobody or by an id not in the reps table: no team's report counts them.",
       "Assign the deals to a rep, or add the rep to the roster with a team.",
       "", shows=("owner_rep_id", "stage", "amount")),
    _c("missing_account", "deals", "info", "flag", (),
       "Deals have no account (usual for early-stage deals); no KPI reads it.",
       "Nothing, unless won deals should name their customer.",
       "", shows=("stage",)),
    _c("unknown_account", "deals", "info", "flag", (),
       "Deals name an account that is not in the accounts table; no KPI reads it.",
       "Export the accounts table whole, or correct the account id.",
       "", shows=("account_id",)),
    _c("missing_product", "deals", "info", "flag", (),
       "Deals have no product: the by-product breakdown leaves them out; totals keep them.",
       "Fill the product in the CRM.",
       "", shows=("stage", "amount")),
    _c("other_currency", "deals", "warning", "exclude", ("amount",),
       "Deals are in a currency the report does not sum: they are left out of what sums amounts.",
       "Add the currency to quality.currencies with amounts converted, or correct it in the CRM.",
       "another currency", shows=("currency", "amount")),
    _c("implausible_amount", "deals", "warning", "flag", (),
       "Deals far larger than this team's deals usually are: they are counted; check that they are real.",
       "Correct the amount in the CRM if it is a typo; if it is real, nothing (or raise quality.max_amount).",
       "", shows=("amount", "stage", "account_id")),
    _c("future_dated", "deals", "warning", "exclude", ("created_at", "closed_at"),
       "Deals are dated after the run: those dates are typos, and what reads them leaves the deals out.",
       "Correct the dates in the CRM.",
       "dated in the future", shows=("created_at", "closed_at")),
    _c("lookalike_deals", "deals", "warning", "flag", (),
       "Won deals with different ids share account, product, amount and close date: both are counted; they may "
       "be one deal entered twice.",
       "Check them in the CRM; merge them there if they are one deal.",
       "", shows=("account_id", "product", "amount", "closed_at")),
    *_generic("leads", "warning", "warning"),
    _c("missing_created", "leads", "warning", "flag", (),
       "Leads have no created date: no period counts them.",
       "Keep the created date of each lead in the export.",
       "", shows=("source", "status")),
    _c("unknown_status", "leads", "info", "flag", (),
       "Leads carry a status not in the canonical set; no KPI reads it (conversion reads the converted date).",
       "Map the status label (source: status_map) or correct it in the CRM.",
       "", shows=("status",)),
    _c("unknown_owner", "leads", "warning", "flag", (),
       "Leads are owned by nobody or by an id not in the reps table: no team's report counts them.",
       "Assign the leads to a rep, or add the rep to the roster with a team.",
       "", shows=("owner_rep_id",)),
    _c("missing_source", "leads", "info", "flag", (),
       "Leads have no source: the by-source breakdown leaves them out; totals keep them.",
       "Fill the lead source in the CRM.",
       "", shows=("status",)),
    _c("future_dated", "leads", "warning", "exclude", ("created_at", "converted_at"),
       "Leads are dated after the run: what reads those dates leaves them out.",
       "Correct the dates in the CRM.",
       "dated in the future", shows=("created_at", "converted_at")),
    *_generic("activities", "warning", "warning"),
    _c("unknown_type", "activities", "info", "flag", (),
       "Activities carry a type not in call, email, meeting, task: the by-type breakdown leaves them out.",
       "Map the type label (source: type_map) or correct it in the CRM.",
       "", shows=("type",)),
    _c("unknown_owner", "activities", "warning", "flag", (),
       "Activities belong to nobody or to an id not in the reps table: no team's report counts them.",
       "Assign the activities to a rep, or add the rep to the roster with a team.",
       "", shows=("rep_id",)),
    _c("missing_due", "activities", "info", "flag", (),
       "Activities have no due date: task completion leaves them out.",
       "Nothing, unless tasks should have due dates.",
       "", shows=("type",)),
    _c("future_dated", "activities", "warning", "exclude", ("completed_at",),
       "Activities are completed after the run: what reads the completion date leaves them out.",
       "Correct the dates in the CRM.",
       "completion date in the future", shows=("completed_at",)),
    *_generic("orders", "warning", "warning"),
    _c("amount_unknown", "orders", "warning", "exclude", ("amount",),
       "Orders have no amount, or a negative one: invoicing checks leave them out.",
       "Enter the order amounts.",
       "no usable amount", shows=("amount",)),
    _c("missing_account", "orders", "warning", "exclude", ("account_id",),
       "Orders name no account: customer counts leave them out.",
       "Fill the account of each order.",
       "no account", shows=("deal_id",)),
    _c("unknown_account", "orders", "info", "flag", (),
       "Orders name an account that is not in the accounts table; customer counts still count it.",
       "Export the accounts table whole, or correct the account id.",
       "", shows=("account_id",)),
    _c("other_currency", "orders", "warning", "exclude", ("amount",),
       "Orders are in a currency the report does not sum.",
       "Add the currency to quality.currencies, or correct it.",
       "another currency", shows=("currency", "amount")),
    _c("implausible_amount", "orders", "warning", "flag", (),
       "Orders far larger than this team's usually are: they are counted; check that they are real.",
       "Correct the amount if it is a typo.",
       "", shows=("amount", "account_id")),
    _c("future_dated", "orders", "warning", "exclude", ("ordered_at",),
       "Orders are dated after the run: customer counts leave them out.",
       "Correct the dates in the CRM.",
       "dated in the future", shows=("ordered_at",)),
    *_generic("reps", "critical", "critical"),
    _c("missing_team", "reps", "warning", "flag", (),
       "Reps have no team: their deals, leads and activities are in no team's report.",
       "Give each rep a team in the roster.",
       "", shows=("name",)),
    _c("missing_hired", "reps", "warning", "exclude", ("hired_on",),
       "Reps have no hire date: headcount KPIs leave them out.",
       "Fill the hire date in the roster.",
       "no hire date", shows=("name",)),
    _c("missing_name", "reps", "info", "flag", (), "Reps have no name: the report shows their id.",
       "Fill the names in the roster.", "", shows=("email",)),
    _c("missing_email", "reps", "info", "flag", (), "Reps have no email; no KPI reads it.",
       "Nothing.", "", shows=("name",)),
    *_generic("accounts", "info", "info"),
    _c("missing_details", "accounts", "info", "flag", (),
       "Accounts lack a name, industry or country; no KPI reads them.",
       "Fill them in the CRM if other reports need them.", "", shows=("name", "industry", "country")),
)  # fmt: skip

# A deal whose rows disagree withholds the report only where it was closed: merely open at a period's end, it
# is a pipeline question (deals.conflicting_open_rows), as the README's required-fields table says.
CHECKS: dict[str, Check] = {
    check.id: replace(check, applies="closed") if check.id == "deals.conflicting_rows" else check
    for check in CHECKS_LIST
}


@dataclass(frozen=True)
class CheckOverride:
    severity: Severity | None = None
    action: Action | Literal["withhold"] | None = None


def effective_checks(overrides: Mapping[str, CheckOverride] | None = None) -> dict[str, Check]:
    """The registry with the config's `quality.checks` overrides applied. `action: withhold` is the critical
    severity; a check that excludes nothing (no taints) cannot be made to exclude."""
    checks = dict(CHECKS)
    for check_id, override in (overrides or {}).items():
        check = checks[check_id]
        severity = "critical" if override.action == "withhold" else override.severity or check.severity
        action = override.action if override.action in ("flag", "exclude") else check.action
        if action == "exclude" and not check.taints:
            action = "flag"
        checks[check_id] = replace(check, severity=severity, action=action)
    return checks
