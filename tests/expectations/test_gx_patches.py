"""GX's look-ups, read once per call, give GX's own answers for every check of every suite."""

import json
from importlib import resources

import great_expectations as gx
import pytest
from great_expectations.expectations.expectation import Expectation

from expectations import gx_patches, runner

SUITES = sorted(p.name.removesuffix(".json") for p in resources.files("expectations").joinpath("suites").iterdir())


# What the runner passes (pass/fail, SUMMARY with sample columns, COMPLETE), and none at all
RUNTIME_CONFIGURATIONS = [
    None,
    {},
    {"result_format": "BOOLEAN_ONLY"},
    {"result_format": {"result_format": "SUMMARY", "unexpected_index_column_names": ["deal_id"],
                       "partial_unexpected_count": 10}, "catch_exceptions": False},
    {"result_format": {"result_format": "COMPLETE"}, "include_config": False},
]  # fmt: skip


def _checks() -> list[Expectation]:
    checks = []
    for table in SUITES:
        suite = runner.load_suite(table)
        checks += gx.ExpectationSuite(name=f"patches-{table}", expectations=suite["expectations"]).expectations
    return checks


def test_a_lookup_is_replaced_exactly_when_gx_code_is_the_verified_one():
    replaced = gx_patches.apply()
    for name, original in gx_patches.ORIGINALS.items():
        assert replaced[name] == gx_patches.is_verified(name, original)
        assert getattr(Expectation, name) is (gx_patches.REPLACEMENTS[name] if replaced[name] else original)
    if gx.__version__ == "1.24.1":  # the release verified: its look-ups must be the fast ones
        assert all(replaced.values())


@pytest.mark.parametrize(
    "check", _checks(), ids=lambda c: f"{c.expectation_type}:{json.dumps(c.configuration.kwargs)[:40]}"
)
def test_every_lookup_in_use_answers_as_gx_own_does(check):
    gx_patches.apply()
    original = gx_patches.ORIGINALS
    assert check._get_domain_kwargs() == original["_get_domain_kwargs"](check)
    assert check._get_success_kwargs() == original["_get_success_kwargs"](check)
    for key in (*check.domain_keys, *check.success_keys, *check.runtime_keys, "not_a_field"):
        for default in (None, "fallback"):
            assert check._get_success_kwarg(key, default) == original["_get_success_kwarg"](check, key, default)
    for runtime in RUNTIME_CONFIGURATIONS:
        assert check._get_runtime_kwargs(runtime) == original["_get_runtime_kwargs"](check, runtime)


def test_a_method_whose_source_differs_from_the_verified_one_is_left_to_gx():
    def _get_domain_kwargs(self):  # same name, other code: what a GX upgrade could bring
        return {}

    assert gx_patches.is_verified("_get_domain_kwargs", gx_patches.ORIGINALS["_get_domain_kwargs"])
    assert not gx_patches.is_verified("_get_domain_kwargs", _get_domain_kwargs)
    assert not gx_patches.is_verified("_get_domain_kwargs", None)
