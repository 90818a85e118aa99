"""Words for what transforms/ hands over as data (a baseline's basis, funnel stages, activity types): worded
here, through the catalogue, so transforms/ stays free of any language and each language can inflect.
"""

from __future__ import annotations

from salespulse.reports.i18n import N_, gettext, ngettext
from salespulse.transforms.results import BaselineBasis, KpiResult, ScopeTerm

# (kind, cadence) → singular and plural. One message per cadence, not a shared "%(num)s %(unit)s": Spanish
# agrees the words around the number with the unit's gender ("las últimas 8 semanas", "los últimos 8 meses").
BASELINE_WORDS: dict[tuple[str, str], tuple[str, str]] = {
    ("average", "weekly"): (N_("average of the last %(num)s week"), N_("average of the last %(num)s weeks")),
    ("average", "monthly"): (N_("average of the last %(num)s month"), N_("average of the last %(num)s months")),
    ("average", "quarterly"): (N_("average of the last %(num)s quarter"), N_("average of the last %(num)s quarters")),
    ("average", ""): (N_("average of the last %(num)s period"), N_("average of the last %(num)s periods")),
    ("benchmark", "weekly"): (
        N_("industry benchmark (less than %(num)s week of own history)"),
        N_("industry benchmark (less than %(num)s weeks of own history)"),
    ),
    ("benchmark", "monthly"): (
        N_("industry benchmark (less than %(num)s month of own history)"),
        N_("industry benchmark (less than %(num)s months of own history)"),
    ),
    ("benchmark", "quarterly"): (
        N_("industry benchmark (less than %(num)s quarter of own history)"),
        N_("industry benchmark (less than %(num)s quarters of own history)"),
    ),
    ("benchmark", ""): (
        N_("industry benchmark (less than %(num)s period of own history)"),
        N_("industry benchmark (less than %(num)s periods of own history)"),
    ),
    ("too_short", "weekly"): (
        N_("no baseline: less than %(num)s week of history"),
        N_("no baseline: less than %(num)s weeks of history"),
    ),
    ("too_short", "monthly"): (
        N_("no baseline: less than %(num)s month of history"),
        N_("no baseline: less than %(num)s months of history"),
    ),
    ("too_short", "quarterly"): (
        N_("no baseline: less than %(num)s quarter of history"),
        N_("no baseline: less than %(num)s quarters of history"),
    ),
    ("too_short", ""): (
        N_("no baseline: less than %(num)s period of history"),
        N_("no baseline: less than %(num)s periods of history"),
    ),
    ("no_values", "weekly"): (
        N_("no baseline: n/a in each of the last %(num)s week"),
        N_("no baseline: n/a in each of the last %(num)s weeks"),
    ),
    ("no_values", "monthly"): (
        N_("no baseline: n/a in each of the last %(num)s month"),
        N_("no baseline: n/a in each of the last %(num)s months"),
    ),
    ("no_values", "quarterly"): (
        N_("no baseline: n/a in each of the last %(num)s quarter"),
        N_("no baseline: n/a in each of the last %(num)s quarters"),
    ),
    ("no_values", ""): (
        N_("no baseline: n/a in each of the last %(num)s period"),
        N_("no baseline: n/a in each of the last %(num)s periods"),
    ),
}


def basis_label(basis: BaselineBasis | None, locale: str) -> str:
    """The basis in the reader's language: "average of the last 8 weeks", "media de las últimas 8 semanas";
    "" without one."""
    if basis is None:
        return ""
    words = BASELINE_WORDS.get((basis.kind, basis.cadence)) or BASELINE_WORDS[(basis.kind, "")]
    return ngettext(locale, words[0], words[1], basis.periods) % {"num": basis.periods}


def baseline_label(kpi: KpiResult, locale: str) -> str:
    return basis_label(kpi.basis, locale)


# The canonical deal stages (salespulse.transforms.schema) as the funnel shows them; unknown stages show as they are.
STAGE_NAMES = {
    "prospecting": N_("Prospecting"),
    "qualification": N_("Qualification"),
    "proposal": N_("Proposal"),
    "negotiation": N_("Negotiation"),
    "won": N_("Won"),
    "lost": N_("Lost"),
}

# The canonical activity types (salespulse.transforms.schema), the keys of the "by activity type" breakdown.
ACTIVITY_TYPE_NAMES = {"call": N_("Call"), "email": N_("Email"), "meeting": N_("Meeting"), "task": N_("Task")}


def stage_name(stage: str, locale: str) -> str:
    """ "won" → "Won" / "Ganada"; a stage outside the canonical list is shown as the data has it."""
    return gettext(locale, STAGE_NAMES[stage]) if stage in STAGE_NAMES else stage


def activity_type_name(activity_type: str, locale: str) -> str:
    return (
        gettext(locale, ACTIVITY_TYPE_NAMES[activity_type]) if activity_type in ACTIVITY_TYPE_NAMES else activity_type
    )


# A goal's filter by dimension (config allows rep, product and source); another shows as "<dimension> <value>".
SCOPE_WORDS = {"product": N_("product %(value)s"), "source": N_("source %(value)s"), "rep": N_("rep %(value)s")}
BEST_SELLER = N_("product %(value)s (best seller in the year before the start)")


def scope_text(terms: tuple[ScopeTerm, ...], locale: str) -> str:
    """A goal's filters in words: "product GTX Pro", "producto GTX Pro"; "" for the whole team."""
    words = []
    for term in terms:
        if term.best_seller:
            words.append(gettext(locale, BEST_SELLER) % {"value": term.value})
        elif term.dimension in SCOPE_WORDS:
            words.append(gettext(locale, SCOPE_WORDS[term.dimension]) % {"value": term.value})
        else:
            words.append(term.label)
    return ", ".join(words)


# The lineage keys flows/ writes; each input file's checksum is keyed "input <file name>".
LINEAGE_KEYS = {"config": N_("config"), "validation run": N_("validation run")}


def lineage_key(key: str, locale: str) -> str:
    """ "input deals.csv" → "entrada deals.csv", "config" → "configuración"; other keys as they are."""
    if key.startswith("input "):
        return gettext(locale, "input %(file)s") % {"file": key.removeprefix("input ")}
    return gettext(locale, LINEAGE_KEYS[key]) if key in LINEAGE_KEYS else key
