"""Message catalogues: English source strings, Spanish from reports/locale/es/LC_MESSAGES/salespulse.po.

The .po file is read at runtime (no compiled .mo in git): Babel parses it, writes an in-memory .mo and
builds a Translations object from it, cached per language. Any locale without a catalogue reads English.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from functools import lru_cache, partial
from importlib import resources
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "salespulse"
LANGUAGES = ("es",)  # languages with a catalogue; English is the source language


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; it is translated where it is shown."""
    return message


def language(locale: str) -> str:
    """ "es_ES" → "es"; "en_US", "" → "en"."""
    return (locale or "en").replace("-", "_").split("_", 1)[0].lower()


@lru_cache(maxsize=8)
def _catalogue(lang: str) -> _gettext.NullTranslations:
    if lang not in LANGUAGES:
        return _gettext.NullTranslations()
    po = resources.files(__package__).joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(fp=mo, domain=DOMAIN)


def translations(locale: str) -> _gettext.NullTranslations:
    """The catalogue for a locale ("es_ES" → Spanish); English (no translation) for anything else."""
    return _catalogue(language(locale))


def gettext(locale: str, message: str) -> str:
    # gettext("") is the catalogue's header: an empty text (a check without a meaning) must stay empty
    return translations(locale).gettext(message) if message else message


def translator(locale: str) -> Callable[[str], str]:
    """gettext bound to a locale: the templates' `tr` for runtime strings (KPI names, suite texts)."""
    return partial(gettext, locale)


def gettext_or_none(locale: str, message: str) -> str | None:
    """The message in the locale's language, or None when its catalogue lacks it, so the caller can word it
    another way. A language without a catalogue reads English, the source: the message itself."""
    if language(locale) not in LANGUAGES:
        return message
    text = gettext(locale, message)
    return None if text == message else text


def ngettext(locale: str, singular: str, plural: str, n: int) -> str:
    return translations(locale).ngettext(singular, plural, n)


# Strings that come from outside reports/ (transforms) or are chosen at runtime; marked here so the
# catalogue check finds them.
RUNTIME_MESSAGES = (
    # trend words and verdicts (salespulse.reports.format.trend_of)
    N_("up"),
    N_("down"),
    N_("flat"),
    N_("n/a"),
    N_("better"),
    N_("worse"),
    # goal statuses (transforms)
    N_("on track"),
    N_("at risk"),
    N_("off track"),
    N_("achieved"),
    N_("missed"),
    N_("too early"),
    N_("no data"),
    # severities and DQ statuses
    N_("critical"),
    N_("warning"),
    N_("info"),
    N_("clean"),
    N_("warnings"),
    N_("failed"),
    # KPI names and definitions (transforms/kpis.py)
    N_("Won revenue"),
    N_("Sum of the amounts of deals won in the period."),
    N_("Deals won"),
    N_("Number of deals won in the period."),
    N_("Win rate"),
    N_("Share of the deals closed in the period that were won; open deals excluded."),
    N_("Win rate by value"),
    N_("Share of the value of deals closed in the period that was won."),
    N_("Average deal size"),
    N_("Average amount of the deals won in the period."),
    N_("Sales cycle"),
    N_("Median days from creation to close of the deals won in the period."),
    N_("Open pipeline"),
    N_("Amount of open deals expected to close in the next period."),
    N_("Quarter pipeline"),
    N_("Amount of open deals expected to close by the quarter's end."),
    N_("Weighted pipeline"),
    N_("Quarter pipeline weighted by the chance of winning at each stage."),
    N_("Pipeline coverage"),
    N_("How many times the quarter pipeline covers the quota still to win."),
    N_("Quota attainment"),
    N_("Won revenue against quota, for the team and for each rep."),
    N_("Revenue per active rep"),
    N_("Won revenue divided by the reps employed in the period."),
    N_("Revenue growth"),
    N_("Change in won revenue against the previous period."),
    N_("Revenue growth, year on year"),
    N_("Change in won revenue against the same period last year."),
    N_("New leads"),
    N_("Number of leads created in the period."),
    N_("Lead conversion"),
    N_("Share of the leads created in the period that became opportunities."),
    N_("Funnel conversion"),
    N_("Share of the deals created in the 13 weeks to the period's end that have reached won."),
    N_("Lead response time"),
    N_("Median hours from a lead's creation to its first completed activity."),
    N_("Leads answered within SLA"),
    N_("Share of new leads answered within the SLA hours from config."),
    N_("Activities per rep"),
    N_("Completed calls, emails, meetings and tasks per rep employed."),
    N_("Task completion"),
    N_("Share of the activities due in the period that were completed by its end."),
    N_("New customers"),
    N_("Accounts whose first order falls in the period."),
    N_("Customer retention"),
    N_("Share of the customers active at the start still active at the end."),
    N_("Customer churn"),
    N_("Share of the customers active at the start who were lost."),
    N_("Rep retention"),
    N_("Share of the reps employed at the start still employed at the end."),
    N_("Sales velocity"),
    N_("Revenue the open pipeline is expected to bring in per day."),
)
