"""Pure helpers that word data-quality findings for the report's banner, its appendix and the DQ page.

A team reads the banner; the data owner reads the appendix and dq.html. The helpers here keep the
wording (which rows were left out, and why) in plain Python that tests can call directly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from babel.numbers import format_decimal

from salespulse.reports import format as fmt
from salespulse.reports.i18n import N_, gettext, ngettext
from salespulse.reports.tables import bar_width
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.results import CheckFailure, DqHistoryPoint, DqVerdict, KpiResult

MAX_SAMPLES = 10
SEVERITY_ORDER = ("critical", "warning", "info")
SEVERITY_TITLES = {"critical": N_("Critical"), "warning": N_("Warnings"), "info": N_("Notes")}
SEVERITY_NOUNS = {
    "critical": (N_("%(n)s critical failure"), N_("%(n)s critical failures")),
    "warning": (N_("%(n)s warning"), N_("%(n)s warnings")),
    "info": (N_("%(n)s note"), N_("%(n)s notes")),
}

# Table → its count in words, singular and plural.
TABLE_NOUNS = {
    "deals": (N_("%(n)s deal"), N_("%(n)s deals")),
    "leads": (N_("%(n)s lead"), N_("%(n)s leads")),
    "activities": (N_("%(n)s activity"), N_("%(n)s activities")),
    "orders": (N_("%(n)s order"), N_("%(n)s orders")),
    "reps": (N_("%(n)s rep"), N_("%(n)s reps")),
    "accounts": (N_("%(n)s account"), N_("%(n)s accounts")),
}

# Sample columns that are not a CRM export's own columns (those stay as the export spells them): what the
# runner observed for a table-level check, and the intake and reconciliation checks' derived frames.
SAMPLE_HEADINGS = {
    "observed": N_("observed"),
    "expected": N_("expected"),
    "error": N_("error"),
    "table": N_("table"),
    "rows": N_("rows"),
    "usual": N_("usual"),
    "latest": N_("latest"),
    "won": N_("won"),
    "invoiced": N_("invoiced"),
}


def count_noun(n: int, table: str, locale: str = "en_US") -> str:
    """ "1 deal", "3 activities"; an unknown table counts rows of it ("2 rows of quotes")."""
    nouns = TABLE_NOUNS.get(table)
    if nouns is None:
        return ngettext(locale, "%(n)s row of %(table)s", "%(n)s rows of %(table)s", n) % {"n": n, "table": table}
    return ngettext(locale, nouns[0], nouns[1], n) % {"n": n}


def exclusion_sentence(failure: CheckFailure, locale: str = "en_US") -> str:
    """ "3 deals: created date after the close date, left out only of the KPIs that read that field (each says
    so)". Only a check that excludes rows leaves any out, and every such check has a note."""
    rows = count_noun(failure.excluded, failure.table, locale)
    sentence = "%(rows)s: %(reason)s, left out only of the KPIs that read that field (each says so)"
    return gettext(locale, sentence) % {"rows": rows, "reason": gettext(locale, failure.note or failure.check)}


def unknowable_text(failure: CheckFailure, locale: str = "en_US") -> str:
    """The KPIs a critical failure makes unknowable, by name: "Won revenue, Average deal size"; "" for none."""
    names = [gettext(locale, KPI_CATALOGUE[k].name) for k in failure.unknowable if k in KPI_CATALOGUE]
    return ", ".join(names)


def named_rows(failure: CheckFailure, most: int = 3) -> str:
    """The first rows a finding names, each as its first two sample values ("D-TYPO 4,500,000.00"), so the
    banner on page 1 says which records a person should look at; "" for a table-level finding."""
    rows = [" ".join(_short(v) for v in list(row.values())[:2] if v) for row in failure.samples[:most]]
    rows = [row for row in rows if row]
    more = failure.failing - len(rows)
    return "; ".join(rows) + (" …" if more > 0 and rows else "")


def _short(value: str) -> str:
    """A sample value as the banner shows it: a timestamp as its date ("2026-11-21T03:00:00+00:00" → 2026-11-21)."""
    return value[:10] if len(value) > 10 and value[4:5] == "-" and value[10:11] == "T" else value


def left_out_lines(kpi: KpiResult, locale: str = "en_US") -> list[str]:
    """What a KPI leaves out of its period, one line per check: "Leaves out 15 deals: created date after the close
    date"."""
    return [
        gettext(locale, "Leaves out %(rows)s: %(reason)s") % {
            "rows": count_noun(item.rows, item.table, locale),
            "reason": gettext(locale, item.note),
        }
        for item in kpi.left_out
    ]  # fmt: skip


def banner_failures(verdict: DqVerdict) -> list[CheckFailure]:
    """What page 1 shows: warnings (and critical ones, should a failed verdict ever be rendered).
    Info findings live in the appendix only."""
    return [f for f in verdict.failures if f.severity != "info"]


def exclusion_sentences(verdict: DqVerdict, locale: str = "en_US") -> list[str]:
    return [exclusion_sentence(f, locale) for f in verdict.warnings if f.excluded > 0]


def by_severity(failures: list[CheckFailure]) -> list[tuple[str, list[CheckFailure]]]:
    """Failures grouped critical → warning → info; empty groups are left out; order kept within one."""
    groups = [(severity, [f for f in failures if f.severity == severity]) for severity in SEVERITY_ORDER]
    return [(severity, group) for severity, group in groups if group]


def severity_heading(severity: str, n: int, locale: str = "en_US") -> str:
    """ "1 critical failure", "2 warnings", "3 notes"."""
    nouns = SEVERITY_NOUNS.get(severity)
    if nouns is None:
        return f"{n} {severity}" if n == 1 else f"{n} {severity}s"
    return ngettext(locale, nouns[0], nouns[1], n) % {"n": n}


# A sample value that is a plain number ("0.3126628452318916", "4500000.00", "12", "1e-05"), as the runner
# writes it; anything else ("D-1001", "2026-11-21", "1 to 5") is printed as it came.
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
# Which number a sample column holds, by the words of its name (split at "_").
_KEEP_WORDS = {"id", "period", "date", "day", "week", "month", "quarter", "year", "on", "at", "time", "code", "zip"}
_SHARE_WORDS = {"share", "ratio", "rate", "pct", "fraction"}
_MONEY_WORDS = {"amount", "won", "invoiced", "revenue", "price"}
_COUNT_WORDS = {"rows", "usual", "count", "n", "failing", "total", "records", "deals", "leads", "activities", "orders"}


def _sample_kind(column: str) -> str:
    """keep / share / money / count / number for a sample column; ids and dates are kept as they are."""
    words = set(re.split(r"[^a-z0-9]+", column.lower()))
    if words & _KEEP_WORDS or column.lower().endswith(("id", "date")):
        return "keep"
    for kind, kind_words in (("share", _SHARE_WORDS), ("money", _MONEY_WORDS), ("count", _COUNT_WORDS)):
        if words & kind_words:
            return kind
    return "number"


def _sample_number(column: str, value: object) -> float | None:
    """The number a sample cell holds, when its column is one sample_value formats; None otherwise."""
    text = "" if value is None else str(value)
    if _sample_kind(column) == "keep" or isinstance(value, bool) or not _NUMBER.fullmatch(text.strip()):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def sample_value(column: str, value: object, locale: str = "en_US", cents: bool | None = None) -> str:
    """A sample cell for people: shares and ratios as percents ("31.3%"), amounts with thousands separators
    ("4,500,000", "1,234.50": `cents` says whether the column shows cents, by default whether this amount
    has any), counts as whole numbers ("1,204"), any other number without a float's long tail ("0.313");
    ids, dates and words untouched."""
    text = "" if value is None else str(value)
    kind = _sample_kind(column)
    number = _sample_number(column, value)
    if number is None:
        return text
    if kind == "share":
        shown = fmt.percent_text(number, locale)
    elif kind == "money":
        if cents is None:
            cents = not fmt.whole_money([number])
        pattern = "#,##0.00" if cents else "#,##0"
        shown = format_decimal(number, format=pattern, locale=locale)
    elif kind == "count":
        shown = format_decimal(number, format="#,##0.#", locale=locale)
    elif number.is_integer() and "e" not in text.lower():
        return text  # a plain whole number (a year, a code) as it came
    else:
        shown = format_decimal(number, format="0.###", locale=locale)
    return shown.replace("-", fmt.MINUS)


def sample_table(failure: CheckFailure, locale: str = "en_US") -> tuple[list[str], list[list[str]]]:
    """The first MAX_SAMPLES sample rows as a header and rows; columns in first-seen order, since
    samples from one check normally share keys but nothing guarantees it. Numbers are shown for people
    (sample_value): "31.3%", not "0.3126628452318916"."""
    rows = failure.samples[:MAX_SAMPLES]
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    headings = [gettext(locale, SAMPLE_HEADINGS[c]) if c in SAMPLE_HEADINGS else c for c in columns]
    # One money format per column: cents on every amount of a column where any amount has them.
    cents = {c: any(round(n * 100) % 100 for n in _numbers(rows, c)) for c in columns}
    table = [[sample_value(c, row.get(c, ""), locale, cents[c]) for c in columns] for row in rows]
    return headings, table


def _numbers(rows: list[dict[str, str]], column: str) -> list[float]:
    return [n for row in rows if (n := _sample_number(column, row.get(column, ""))) is not None]


def excluded_text(failure: CheckFailure, locale: str = "en_US") -> str:
    """The appendix's "left out of the KPIs" cell, honest about what each severity does."""
    if failure.severity == "critical":
        return gettext(locale, "the whole report is withheld until this is fixed")
    if failure.excluded > 0:
        rows = count_noun(failure.excluded, failure.table, locale)
        if not failure.column:
            return rows
        return gettext(locale, "%(rows)s, only from the KPIs that read %(column)s") % {
            "rows": rows,
            "column": failure.column,
        }
    return gettext(locale, "none (the rows are counted as delivered)")


@dataclass(frozen=True)
class HistoryRow:
    point: DqHistoryPoint
    current: bool  # the report's own period (the last point)
    failures: int
    widths: tuple[str, str, str]  # CSS widths of the critical, warning and info segments of the bar


def history_rows(history: list[DqHistoryPoint]) -> list[HistoryRow]:
    """The trend table's rows, oldest first, with stacked-bar widths scaled to the worst period."""
    worst = max((p.critical + p.warning + p.info for p in history), default=0)
    rows = []
    for index, point in enumerate(history):
        share = [n / worst if worst else 0.0 for n in (point.critical, point.warning, point.info)]
        widths = (bar_width(share[0]), bar_width(share[1]), bar_width(share[2]))
        total = point.critical + point.warning + point.info
        rows.append(HistoryRow(point, index == len(history) - 1, total, widths))
    return rows
