"""The Arrow fast path reads what pandas reads, and declines every file it cannot vouch for."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from salespulse.sources.plain_csv import as_str, plain_table

PLAIN = {
    "lf": "id,name,amount\nD1,Ana,12.5\nD2,,7\n",
    "crlf": "id,name,amount\r\nD1,Ana,12.5\r\nD2,,7\r\n",
    "blank lines": "\n\nid,name,amount\nD1,Ana,12.5\n\nD2,,7",
    "accents and spaces": "id,name,amount\nD1, Zoë Ærø ,12.5\nD2,Jürgen,\n",
}


@pytest.mark.parametrize("case", sorted(PLAIN))
def test_a_plain_file_reads_as_pandas_reads_it(case):
    text = PLAIN[case]
    table = plain_table(text)
    assert table is not None
    expected = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(table.to_pandas(types_mapper=as_str), expected)


DECLINED = {
    "quotes": 'id,name\nD1,"Smith, Ana"\n',
    "lone carriage return": "id,name\rD1,Ana\r",
    "one column": "id;name\nD1;Ana\n",
    "duplicate names": "id,id\nD1,D2\n",
    "empty name": "id,\nD1,x\n",
    "short row": "id,name,amount\nD1,Ana\n",
    "long row": "id,name\nD1,Ana,extra\n",
    "over-long field": "id,name\nD1," + "x" * (csv.field_size_limit() + 1) + "\n",
    "no header": "\n\n",
}


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_anything_else_is_left_to_the_checked_path(case):
    assert plain_table(DECLINED[case]) is None
