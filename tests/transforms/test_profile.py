"""What inspect infers from an export's values and headers."""

import pandas as pd
import pytest

from salespulse.transforms.profile import best_preset, infer_kind, profile, suggest


@pytest.mark.parametrize(
    ("values", "kind", "detail"),
    [
        (["1", "1"], "boolean-like", "1"),
        (["Done", "To do"], "boolean-like", "to do / done"),
        (["42", "7"], "integer", ""),
        (["12500.50", "8000"], "decimal", ""),
        (["1.234,50", "99,90"], "decimal", "decimal comma"),
        (["2024-01-22T16:14:25.000+0000"], "datetime", "ISO datetime with offset"),
        (["22/01/2024", "03/02/2024"], "date", "day-first (a first number above 12 is seen)"),
        (["Closed Won", "Prospecting"], "text", "2 distinct"),
    ],
)
def test_kinds(values, kind, detail):
    assert infer_kind(pd.Series(values)) == (kind, detail)


def test_profile_counts_blanks_and_keeps_a_few_samples():
    (column,) = profile(pd.DataFrame({"IsWon": ["1", "", None, "1"]}))
    assert (column.kind, column.detail, column.blank_share, column.samples) == (
        "boolean-like",
        "1 / blank",
        0.5,
        ("1",),
    )


def test_suggestion_by_canonical_name_similarity_and_preset_names():
    aliases = {"pipedrive": {"deals": {"deal_id": ["Deal - ID"], "amount": ["Deal - Value"]}}}
    best = suggest(["Deal - ID", "Deal - Value", "Stage", "created at", "Owner"], aliases)[0]
    assert best.table == "deals"
    assert best.columns == {
        "Deal - ID": "deal_id",
        "Deal - Value": "amount",
        "Stage": "stage",
        "created at": "created_at",
    }
    assert best.from_preset == {"Deal - ID": ("pipedrive",), "Deal - Value": ("pipedrive",)}
    assert best_preset([best]) == "pipedrive"
    files = {"salesforce": {"deals": "Opportunity.csv", "accounts": "Account.csv"}}
    assert suggest(["Id", "Name"], {}, "Opportunity.csv", files)[0].table == "deals"  # the file name decides
