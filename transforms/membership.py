"""Set membership for columns of ids, at the speed of the column's own storage."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def is_in(values: pd.Series, pool: pd.Series | Collection[object]) -> pd.Series:
    """`values.isin(pool)`, with the same answer (a missing value is in a pool holding one), fast for text.

    pandas 3 keeps text in pyarrow and answers `isin` there by turning every value of the pool into a pyarrow
    scalar, one by one in Python, where pyarrow's own `is_in` hashes the whole pool in C++.
    Exports are mostly ids, and joins by id (a team's orders, the leads' activities, the rows history adds)
    ask this of pools as long as a table."""
    storage = getattr(values.array, "_pa_array", None)
    if storage is None or not pa.types.is_string(storage.type) and not pa.types.is_large_string(storage.type):
        return values.isin(pool)
    try:
        members = pa.array(pool if isinstance(pool, pd.Series) else list(pool), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds of values: pandas decides
        return values.isin(pool)
    if not (
        pa.types.is_string(members.type) or pa.types.is_large_string(members.type) or pa.types.is_null(members.type)
    ):
        return values.isin(pool)  # numbers are never equal to text; pandas says so its own way
    inside = pc.is_in(storage, value_set=members.cast(storage.type), skip_nulls=False)
    return pd.Series(np.asarray(inside, dtype=bool), index=values.index, name=values.name, copy=False)
