import pandas as pd

from salespulse.transforms.normalise import normalise_table
from salespulse.transforms.schema import PARSE_ERRORS, TABLES, TRIMMED
from tests.transforms.frames import raw


def test_bad_numbers_and_dates_are_kept_as_parse_errors_not_lost():
    frame = raw(
        "deals",
        [
            {
                "deal_id": "d1",
                "amount": "1200.50",
                "created_at": "2026-11-16T09:30:00Z",
                "expected_close_on": "2026-12-01",
            },
            {
                "deal_id": "d2",
                "amount": "12,00",
                "created_at": "16/11/2026",
                "expected_close_on": "2026-09-31",
            },
            {"deal_id": "d3", "amount": "", "created_at": " ", "stage": "  won "},
        ],
    )
    typed = normalise_table(frame, TABLES["deals"])
    assert typed["amount"].tolist()[0] == 1200.5
    assert pd.isna(typed["amount"][1]) and pd.isna(typed["created_at"][1])
    assert typed[PARSE_ERRORS][1] == "amount=12,00; expected_close_on=2026-09-31; created_at=16/11/2026"
    assert pd.isna(typed[PARSE_ERRORS][0]) and pd.isna(typed[PARSE_ERRORS][2])  # blanks are missing, not errors
    assert typed["stage"][2] == "won"
    assert str(typed["created_at"].dt.tz) == "UTC"


def test_offsets_are_converted_to_utc_and_input_is_untouched():
    frame = raw("leads", [{"lead_id": "l1", "created_at": "2024-01-22T16:14:25.000+0100"}])
    before = frame.copy()
    typed = normalise_table(frame, TABLES["leads"])
    assert typed["created_at"][0] == pd.Timestamp("2024-01-22T15:14:25Z")
    assert frame.equals(before)


def test_padded_text_is_trimmed_and_kept_in_the_trimmed_column():
    frame = raw("deals", [{"deal_id": "d1", "product": "GTX Pro ", "stage": " won"}, {"deal_id": "d2", "stage": "  "}])
    typed = normalise_table(frame, TABLES["deals"])
    assert typed["product"][0] == "GTX Pro" and typed["stage"][0] == "won"
    assert typed[TRIMMED].tolist() == ["product='GTX Pro '; stage=' won'", None]  # only spaces: just empty


def test_text_is_python_strings_blank_and_missing_are_none_and_repeats_share_one_object():
    frame = raw("deals", [{"deal_id": "d1", "stage": "won"}, {"deal_id": "d2", "stage": " won"}, {"deal_id": "d3"}])
    frame.loc[1, "deal_id"] = " "
    typed = normalise_table(frame, TABLES["deals"])
    assert typed["stage"].dtype == object and typed["deal_id"].dtype == object
    assert typed["deal_id"].tolist() == ["d1", None, "d3"]  # a blank key is None too, never pd.NA
    assert typed["stage"][2] is None
    assert typed["stage"][0] is typed["stage"][1]  # one "won" for every row: the 100× demo's memory depends on it
