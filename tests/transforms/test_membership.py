"""is_in gives pandas' own isin answer for every kind of pool, missing values included."""

import numpy as np
import pandas as pd
import pytest

from salespulse.transforms.membership import is_in

IDS = pd.Series(["a", "b", None, "d", "Peña"], dtype="str", index=[10, 11, 12, 13, 14], name="id")


@pytest.mark.parametrize(
    "pool",
    [
        pd.Series(["a", "Peña"], dtype="str"),
        pd.Series(["d", None], dtype=object),
        pd.Series([], dtype="str"),
        {"b"},
        ["a", None],
        ["a", np.nan],
        (),
        [1, 2],
        ["a", 1],
        pd.Index(["b"]),
    ],
    ids=["text", "objects with a gap", "empty series", "set", "None", "NaN", "empty", "numbers", "mixed", "index"],
)
def test_the_same_answer_as_pandas(pool):
    expected = IDS.isin(pool)
    got = is_in(IDS, pool)
    pd.testing.assert_series_equal(got, expected)


def test_columns_that_are_not_text_are_left_to_pandas():
    numbers = pd.Series([1.0, 2.0, np.nan])
    pd.testing.assert_series_equal(is_in(numbers, [2.0, np.nan]), numbers.isin([2.0, np.nan]))
    objects = pd.Series(["a", None], dtype=object)
    pd.testing.assert_series_equal(is_in(objects, ["a"]), objects.isin(["a"]))


def test_a_pool_as_long_as_a_table():
    pool = pd.Series([f"T{i:06d}" for i in range(0, 50_000, 2)], dtype="str")
    values = pd.Series([f"T{i:06d}" for i in range(0, 50_000, 5)], dtype="str")
    assert is_in(values, pool).sum() == len(range(0, 50_000, 10))
