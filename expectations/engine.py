"""The GX data source the suites run on: GX's pandas one, filtering each row condition once a batch.

A check with a `row_condition` filters a copy of the whole frame through `DataFrame.query` for every
metric it asks for, and so do the table metrics (row count, column types) of each condition. The deals
suite has 11 such checks over 6 conditions: at 100x the same filters ran about twenty times, 0.85 s of a
2.45 s validation. Here each condition filters a batch once; GX's metrics read the frame, never write it
(the unconditioned path hands them the batch's own frame).

Imported only when a suite first runs: `great_expectations` takes seconds to import.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from great_expectations.datasource.fluent.pandas_datasource import PandasDatasource
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine


class FilterOnceEngine(PandasExecutionEngine):
    """GX's pandas engine, remembering each row condition's rows for as long as one batch is loaded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._filtered: dict[tuple[int, str, Any], tuple[Any, Any]] = {}

    def load_batch_data(self, batch_id: str, batch_data: Any) -> None:
        self._filtered.clear()  # a new batch: the rows remembered belong to the last one
        super().load_batch_data(batch_id=batch_id, batch_data=batch_data)

    def forget_frames(self) -> None:
        """Drop every frame a validation leaves behind once it is over: the rows of each condition (up to
        six filtered copies of the deals frame) and GX's own batch of the frame, which a long-lived
        `salespulse serve` would otherwise hold until its next run. Each validation loads its batch anew."""
        self._filtered.clear()
        self.batch_manager.batch_data_cache.clear()
        self.batch_manager.reset_batch_cache()

    def _apply_row_condition_filter(self, data: Any, row_condition: Any, domain_kwargs: dict) -> Any:
        key = (id(data), _condition_key(row_condition), domain_kwargs.get("condition_parser"))
        if key not in self._filtered:
            rows = super()._apply_row_condition_filter(data, row_condition, domain_kwargs)
            # the frame is kept with its rows, so its id cannot be reused by another frame meanwhile
            self._filtered[key] = (data, rows)
        return self._filtered[key][1]


def _condition_key(row_condition: Any) -> str:
    if isinstance(row_condition, dict):
        return json.dumps(row_condition, sort_keys=True, default=str)
    return f"{type(row_condition).__name__}:{row_condition!r}"


class FramesDatasource(PandasDatasource):
    """Registered with GX as `salespulse_frames`: `context.data_sources.add_salespulse_frames(name)`."""

    type: Literal["salespulse_frames"] = "salespulse_frames"
    execution_engine_override: ClassVar[type[PandasExecutionEngine]] = FilterOnceEngine
