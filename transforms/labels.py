"""A canonical value proposed for an export's stage, status or type label, by the words in it. Pure.

`salespulse inspect --yaml` lists every label of the data with this proposal; the user reads and corrects
it. A label no rule recognises gets no proposal (None): inspect marks it TODO rather than guess.
Rules are tried in order, so "Closed - Not Converted" is disqualified before "converted" is seen.
"""

from __future__ import annotations

import re

from salespulse.transforms.mapping import VOCABULARIES

_RULES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("deals", "stage"): (
        (r"\b(lost|dead|disqualified|rejected|cancel+ed|no decision)\b", "lost"),
        (r"\b(won|win|closed won|signed|booked)\b", "won"),
        (r"\b(negotiat\w*|review|contract\w*|commit\w*|verbal\w*|legal)\b", "negotiation"),
        (
            r"\b(proposal\w*|quot\w*|price|pricing|value proposition|decision\w*|perception|presentation\w*|"
            r"bought-in|solution\w*)\b",
            "proposal",
        ),
        (r"\b(qualif\w*|engag\w*|discovery|needs?|analysis|demo\w*|evaluat\w*|meeting)\b", "qualification"),
        (r"\b(prospect\w*|lead\w*|new|appointment\w*|contact\w*|initial|open|cold|intro\w*)\b", "prospecting"),
    ),  # fmt: skip
    ("leads", "status"): (
        (
            r"\b(not converted|unqualif\w*|disqualif\w*|junk|spam|lost|bad timing|bad_timing|rejected|dead|"
            r"unqualified)\b",
            "disqualified",
        ),
        (r"\b(converted|open deal|open_deal|customer|opportunity)\b", "converted"),
        (r"\b(qualified|sql|mql|sales ready)\b", "qualified"),
        (r"\b(not contacted|new|unassigned|untouched|open - not contacted)\b", "new"),
        (
            r"\b(working|contacted|attempted\w*|in progress|in_progress|nurtur\w*|connected|open|recycled|"
            r"follow\w*)\b",
            "working",
        ),
    ),  # fmt: skip
    ("activities", "type"): (
        (r"\b(call\w*|phone|dial\w*)\b", "call"),
        (r"\b(e-?mail\w*|listemail|mail|inmail)\b", "email"),
        (r"\b(meeting\w*|demo|lunch|visit|event|appointment|video|zoom)\b", "meeting"),
        (r"\b(task\w*|to-?do|deadline|follow\w*|other|reminder)\b", "task"),
    ),
}


def propose(table: str, column: str, label: str) -> str | None:
    """The canonical value a label most likely means, or None when no word tells."""
    vocabulary = VOCABULARIES.get((table, column), ())
    text = " ".join(re.sub(r"[_/]+", " ", str(label)).casefold().split())
    if text in vocabulary:
        return text
    glued = " " not in text  # one word: it may be several run together (HubSpot's closedwon, contractsent)
    for pattern, value in _RULES.get((table, column), ()):
        if re.search(pattern, text) or (glued and re.search(pattern.replace(r"\b", ""), text)):
            return value
    return None
