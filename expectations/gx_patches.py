"""Three of GX's per-check costs a validation does not need, removed only where GX's code is the code measured.

Profiled in a 24-week backfill at 1x: GX was 60% of the run's process, and 42% of GX was one property,
`Expectation.configuration`, which rebuilds the whole configuration (a pydantic `dict()`, a regex over the
class name, a new `ExpectationConfiguration`) each time it is read. GX reads it once per kwarg it looks up:
about 1,400 times for one period's ~100 checks. The four look-ups below read it once per call instead
(same values, nothing kept between calls), and the class name's snake case is worked out once per class.

A replaced method is replaced only while its source is the one verified (great_expectations 1.24.1); any
other GX release keeps its own code, correct and slower. Nothing here changes what a check decides:
tests/expectations/test_gx_patches.py compares every replaced look-up with GX's own on every suite check.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from collections.abc import Callable
from typing import Any

from great_expectations.execution_engine import pandas_execution_engine
from great_expectations.expectations import expectation

# The first 16 hex digits of the sha256 of each replaced method's source, as verified
VERIFIED = {
    "_get_domain_kwargs": "91ad2a0670ff463a",
    "_get_success_kwargs": "fe376905e18bc525",
    "_get_success_kwarg": "baef37a186b40871",
    "_get_runtime_kwargs": "4196ca2a2cdb5bbf",
}
ORIGINALS: dict[str, Callable[..., Any]] = {name: getattr(expectation.Expectation, name, None) for name in VERIFIED}


def _get_domain_kwargs(self: Any) -> dict[str, Any]:
    return _values(self, self.configuration.kwargs, self.domain_keys)


def _get_success_kwargs(self: Any) -> dict[str, Any]:
    return _success(self, self.configuration.kwargs)


def _get_success_kwarg(self: Any, key: str, default: Any = None) -> Any:
    return _kwarg(self, self.configuration.kwargs, key, default)


def _get_runtime_kwargs(self: Any, runtime_configuration: dict[str, Any] | None = None) -> dict[str, Any]:
    runtime_configuration = runtime_configuration or {}
    kwargs = self.configuration.kwargs
    runtime = {key: runtime_configuration.get(key, _kwarg(self, kwargs, key)) for key in self.runtime_keys}
    runtime.update(_success(self, kwargs))
    runtime["result_format"] = expectation.parse_result_format(runtime["result_format"])
    return runtime


# GX's look-ups given the configuration's kwargs, read once by the caller. (No GX expectation overrides
# `_get_domain_kwargs` or `_get_success_kwargs`, so composing them here answers as their methods would.)
def _values(self: Any, kwargs: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: kwargs.get(key, self._get_default_value(key)) for key in keys}


def _success(self: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {**_values(self, kwargs, self.success_keys), **_values(self, kwargs, self.domain_keys)}


def _kwarg(self: Any, kwargs: dict[str, Any], key: str, default: Any = None) -> Any:
    if key in kwargs:
        return kwargs[key]
    field = self.__fields__.get(key)
    if field is not None:
        return field.default if not field.required else default
    expectation.logger.warning(
        f'_get_success_kwarg called with key "{key}", but it is not a known field of {type(self).__name__}'
    )
    return default


REPLACEMENTS = {
    fn.__name__: fn for fn in (_get_domain_kwargs, _get_success_kwargs, _get_success_kwarg, _get_runtime_kwargs)
}


def is_verified(name: str, method: Callable[..., Any] | None) -> bool:
    if method is None:
        return False
    try:
        source = inspect.getsource(method)
    except (OSError, TypeError):  # no source shipped: cannot tell, so leave GX's own
        return False
    return hashlib.sha256(source.encode()).hexdigest()[:16] == VERIFIED[name]


@functools.cache
def apply() -> dict[str, bool]:
    """Replace what is verified; once per process. Returns which methods were replaced."""
    replaced = {name: is_verified(name, ORIGINALS[name]) for name in VERIFIED}
    for name, verified in replaced.items():
        if verified:
            setattr(expectation.Expectation, name, REPLACEMENTS[name])
    if callable(getattr(expectation, "camel_to_snake", None)):
        expectation.camel_to_snake = functools.cache(expectation.camel_to_snake)  # a pure function of a name
    # GX fingerprints every in-memory frame it is given (an md5 over a hash of every row: 0.22 s at 100x, once
    # per batch) only to record it among the batch markers, which nothing here reads. Frames of this many
    # bytes or more are not fingerprinted (GX's own cut-off is 1 GB): none is.
    pandas_execution_engine.HASH_THRESHOLD = 0
    return replaced
