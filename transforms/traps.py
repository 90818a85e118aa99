"""Normalisation traps the data-quality gate counts: names that differ only in case or spacing.

"GTXPro" and "GTX Pro", or "acme corp" and "Acme Corp", are most likely one product or customer typed two
ways. Merging them would be a guess, so nothing is merged: the `names` suite flags each group, and the
data owner fixes the spelling at the source.
"""

from __future__ import annotations

import pandas as pd

# What a name belongs to → the (table, column) pairs it is written in.
NAME_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "product": (("deals", "product"), ("orders", "product")),
    "account": (("accounts", "name"),),
    "rep": (("reps", "name"),),
}
COLUMNS = ["written", "rows", *NAME_FIELDS]


def name_key(names: pd.Series) -> pd.Series:
    """What is left of a name without case and spaces: equal keys, likely the same thing."""
    return names.astype(str).str.casefold().str.replace(r"\s+", "", regex=True)


def name_variants(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per distinct name as written, with how many rows use it and its key in the column of its
    kind (product, account or rep; empty in the others). The suite expects each key once per kind, so a
    name with two spellings fails with both."""
    parts = []
    for kind, sources in NAME_FIELDS.items():
        columns = [frames[t][c] for t, c in sources if t in frames and c in frames[t].columns]
        names = pd.concat(columns).dropna() if columns else pd.Series([], dtype=object)
        counts = names.value_counts(sort=False)
        if counts.empty:
            continue
        written = pd.Series(counts.index.astype(str), dtype=object)
        parts.append(pd.DataFrame({"written": written, "rows": counts.to_numpy(), kind: name_key(written)}))
    if not parts:
        return pd.DataFrame({column: pd.Series([], dtype=object) for column in COLUMNS})
    frame = pd.concat(parts, ignore_index=True).reindex(columns=COLUMNS)
    frame[list(NAME_FIELDS)] = frame[list(NAME_FIELDS)].astype(object).where(frame[list(NAME_FIELDS)].notna(), None)
    return frame.sort_values([*NAME_FIELDS, "written"], na_position="last", ignore_index=True)
