"""The mapping functions on tiny frames: renames, value maps, outcomes, names, products, dates."""

import pandas as pd
import pytest

from salespulse.transforms.mapping import (
    Outcome,
    TableMapping,
    date_format_problems,
    map_table,
    map_values,
    missing_columns,
)
from salespulse.transforms.mapping_dates import describe_dates, to_iso
from salespulse.transforms.mapping_lookups import LookupContext, ProductRule
from salespulse.transforms.normalise import normalise_table
from salespulse.transforms.schema import TABLES

DEALS = TABLES["deals"]
EXPORT = {
    "Id": ["o1", "o2", "o3"],
    "Account": ["a1", "a2", "a1"],
    "Owner": ["Ana Peña", "ana  peña", "Bob"],
    "Stage": ["Closed Won", "Prospecting", "Weird"],
    "Amount": ["100", "0", ""],
    "Close": ["2024-01-22", "2024-02-01", "2024-03-01"],
    "Created": ["2024-01-22T16:14:25.000+0000"] * 3,
    "Product": ["GTXPro", "gtx pro", "Unknown"],
}
COLUMNS = {
    "Id": ("deal_id",),
    "Account": ("account_id",),
    "Owner": ("owner_rep_id",),
    "Stage": ("stage",),
    "Amount": ("amount",),
    "Close": ("expected_close_on", "closed_at"),
    "Created": ("created_at",),
    "Product": ("product",),
}
STAGES = {"closed won": "won", "Prospecting": "prospecting"}


def deals(**changes):
    return pd.DataFrame({**EXPORT, **changes})


def test_renames_value_maps_and_defaults_give_canonical_text():
    spec = TableMapping(columns=COLUMNS, values={"stage": STAGES}, defaults={"currency": "EUR"})
    mapped = map_table(deals(), DEALS, spec)
    assert list(mapped.frame.columns) == list(DEALS.columns)
    assert mapped.frame["stage"].tolist() == ["won", "prospecting", "Weird"]  # unmapped: kept, never dropped
    assert mapped.frame["currency"].tolist() == ["EUR"] * 3
    assert mapped.frame["amount"].tolist() == ["100", "0", None]
    assert mapped.problems == (
        "stage: unmapped values 'Weird' (1); map each to one of prospecting, qualification, proposal, "
        "negotiation, won, lost",
    )


def test_value_maps_ignore_case_and_spaces():
    assert map_values(pd.Series([" CLOSED WON ", "x", None]), STAGES).tolist() == ["won", "x", None]


def test_missing_columns_name_what_has_no_source():
    assert missing_columns(list(EXPORT), DEALS, TableMapping(columns=COLUMNS), {}) == ["currency"]
    assert missing_columns(["deal_id"], TABLES["reps"], TableMapping(defaults={"left_on": ""}), {}) == [
        "rep_id",
        "name",
        "email",
        "team",
        "hired_on",
    ]


def test_first_non_blank_of_several_export_columns():
    raw = pd.DataFrame({"Won time": ["2024-01-02", None], "Lost time": [None, "2024-01-05"]})
    spec = TableMapping(columns={"Won time": ("closed_at",), "Lost time": ("closed_at",)})
    frame = map_table(raw.assign(**{c: "x" for c in DEALS.columns if c != "closed_at"}), DEALS, spec).frame
    assert frame["closed_at"].tolist() == ["2024-01-02T12:00:00+00:00", "2024-01-05T12:00:00+00:00"]


def test_outcome_from_flags_and_closed_at_only_for_closed_deals():
    spec = TableMapping(
        columns=COLUMNS,
        values={"stage": {"Weird": "proposal"}},
        defaults={"currency": "EUR"},
        outcome=Outcome(closed="IsClosed", won="IsWon"),
        only_when={"closed_at": "closed"},
    )
    frame = map_table(deals(IsClosed=["1", "true", ""], IsWon=["1", "", ""]), DEALS, spec).frame
    assert frame["stage"].tolist() == ["won", "lost", "proposal"]
    assert frame["closed_at"].tolist() == ["2024-01-22T12:00:00+00:00", "2024-02-01T12:00:00+00:00", None]


def test_outcome_from_a_status_column():
    spec = TableMapping(
        columns=COLUMNS, defaults={"currency": "EUR"}, outcome=Outcome(status="Status", won_values=("Won",))
    )
    frame = map_table(deals(Status=["won", "Lost", "open"]), DEALS, spec).frame
    assert frame["stage"].tolist() == ["won", "lost", "Weird"]


def test_owner_names_become_rep_ids_and_unknown_names_are_listed():
    reps = pd.DataFrame({"rep_id": ["r1", "r2"], "name": ["Ana Peña", "Cy Twombly"]})
    spec = TableMapping(columns=COLUMNS, defaults={"currency": "EUR"}, by_name=("owner_rep_id",))
    mapped = map_table(deals(Owner=["Ana Peña", "ana  peña", "r2"]), DEALS, spec, LookupContext(tables={"reps": reps}))
    assert mapped.frame["owner_rep_id"].tolist() == ["r1", "r1", "r2"]  # an id already is kept
    unknown = map_table(deals(), DEALS, spec, LookupContext(tables={"reps": reps}))
    assert unknown.frame["owner_rep_id"].tolist() == ["r1", "r1", "Bob"]
    assert "owner_rep_id: 'Bob' (1) match no reps name or id" in unknown.problems[0]


def test_products_matched_and_lost_deals_valued_at_list_price():
    products = pd.DataFrame({"product": ["GTX Pro", "MG Special"], "sales_price": ["4821", "55"]})
    spec = TableMapping(
        columns=COLUMNS,
        values={"stage": {"closed won": "won", "prospecting": "lost", "weird": "lost"}},
        defaults={"currency": "EUR"},
        products=ProductRule(lookup="products", price="sales_price", price_lost=True),
    )
    mapped = map_table(deals(), DEALS, spec, LookupContext(lookups={"products": products}))
    assert mapped.frame["product"].tolist() == ["GTX Pro", "GTX Pro", "Unknown"]
    assert mapped.frame["amount"].tolist() == ["100", "4821", None]  # won kept; lost at 0 priced; no price: blank
    assert mapped.problems == ("product: 'Unknown' (1) not in the products table",)


def test_keep_prefixed_blanks_references_to_other_objects():
    raw = pd.DataFrame({c: ["x", "y"] for c in TABLES["activities"].columns})
    raw["deal_id"] = ["0068d00000O1", "0018d00000A2"]
    spec = TableMapping(keep_prefixed={"deal_id": "006"}, dates={"due_at": "iso"})
    assert map_table(raw, TABLES["activities"], spec).frame["deal_id"].tolist() == ["0068d00000O1", None]


@pytest.mark.parametrize(
    ("values", "fmt", "timestamp", "zone", "expected"),
    [
        (
            ["22/01/2024", "1/2/2024 4:14 PM"],
            "day-first",
            True,
            "UTC",
            ["2024-01-22T12:00:00+00:00", "2024-02-01T16:14:00+00:00"],
        ),
        (["1/22/2024", "12/31/24"], "month-first", False, "UTC", ["2024-01-22", "2024-12-31"]),
        (
            ["2024-01-22 16:14", "2024-01-22T16:14:25.000+0000"],
            "iso",
            True,
            "America/New_York",
            ["2024-01-22T21:14:00+00:00", "2024-01-22T16:14:25.000+0000"],
        ),
        (
            ["22.01.2024 16:14", "junk", None],
            "%d.%m.%Y %H:%M",
            True,
            "Europe/Madrid",
            ["2024-01-22T15:14:00+00:00", "junk", None],
        ),
        (["1705940065000"], "epoch-ms", True, "Europe/Madrid", ["2024-01-22T16:14:25+00:00"]),
        # DST: 01:30 happens twice on 3 November (the first, summer time, is taken); 02:30 on 10 March never
        (
            ["2024-11-03 01:30", "2024-03-10 02:30"],
            "iso",
            True,
            "America/New_York",
            ["2024-11-03T05:30:00+00:00", "2024-03-10T07:00:00+00:00"],
        ),
    ],
)
def test_dates_in_a_stated_format_become_iso(values, fmt, timestamp, zone, expected):
    assert to_iso(pd.Series(values, dtype=object), fmt, timestamp, zone).tolist() == expected


def test_dates_are_described_never_guessed():
    assert describe_dates(pd.Series(["03/04/2024", "05/06/2024"])).startswith("day-first or month-first: ambiguous")
    assert describe_dates(pd.Series(["22/01/2024"])).startswith("day-first")
    assert describe_dates(pd.Series(["2024-01-22T16:14:25.000+0000"])) == "ISO datetime with offset"
    assert describe_dates(pd.Series(["Acme", "Globex"])) is None


def test_an_ambiguous_date_without_a_format_is_a_clear_problem():
    spec = TableMapping(columns=COLUMNS)
    problems = date_format_problems(deals(Close=["03/04/2024"] * 3), DEALS, spec, "source.tables.deals.dates")
    assert problems[0] == (
        "Close → expected_close_on: dates like '03/04/2024' are not ISO (day-first or month-first: ambiguous "
        "(no number above 12 tells them apart)); state their format as source.tables.deals.dates.expected_close_on: "
        "day-first, month-first, epoch-ms or a pattern such as '%d.%m.%Y %H:%M'"
    )
    stated = TableMapping(columns=COLUMNS, dates={"expected_close_on": "day-first", "closed_at": "day-first"})
    assert date_format_problems(deals(Close=["03/04/2024"] * 3), DEALS, stated, "x") == []


def test_mapped_deals_pass_normalise_without_parse_errors():
    spec = TableMapping(
        columns=COLUMNS, values={"stage": {**STAGES, "weird": "proposal"}}, defaults={"currency": "EUR"}
    )
    typed = normalise_table(map_table(deals(), DEALS, spec).frame, DEALS)
    assert typed["parse_errors"].isna().all()
    assert typed["created_at"].iloc[0] == pd.Timestamp("2024-01-22T16:14:25", tz="UTC")
