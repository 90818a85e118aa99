"""What makes two runs' outputs the same: the ids a run stamps on its verdict and report.

A report is known by what it shows, not by the files it was read from: an export holds every period, so
its checksums change whenever any week is added or fixed, and a report keyed by them would look changed
(a new "generated" time, then a correction email) when its own period's numbers had not moved. The same
goes for the config file's hash, which any edit (a comment, another team's recipients) changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import UTC, datetime

from salespulse.reports.context import ReportContext
from salespulse.store.ledger import verdict_hash
from salespulse.transforms.results import DqVerdict

VERSION = "0.1.0"
_UNSET = datetime(1970, 1, 1, tzinfo=UTC)  # stands in for the generated time, which the identity cannot hold


def run_fingerprint(checksums: dict[str, str], config: str, team: str, period: str) -> str:
    """This run's files, config, team and period: when dq.html (which lists the files) was first made."""
    text = "|".join([*sorted(checksums.values()), config, team, period, VERSION])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def validation_id(verdict: DqVerdict, team: str, period: str) -> str:
    """The checks' outcome: the same findings give the same id, whatever else the export holds and however
    the config file is worded (its checks' settings show in the findings), so the id the report shows
    changes only when the report's findings do."""
    text = "|".join([verdict_hash(verdict), team, period, VERSION])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def report_identity(context: ReportContext) -> str:
    """Everything the report shows but its generated time, as one digest: the key of that time, so a
    rerun that would show the same thing shows the same time too and is byte-identical."""
    shown = asdict(replace(context, generated_at=_UNSET))
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(f"{VERSION}|{text}".encode()).hexdigest()


def _plain(value: object) -> object:
    """Values JSON has no form for, spelled the same in every process (a set's order is not)."""
    if isinstance(value, set | frozenset):
        return sorted(str(item) for item in value)
    return str(value)  # dates, timestamps and numpy scalars: their text is exact and stable
