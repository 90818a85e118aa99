"""The documentation names everything a user can type or read about, as Datasette's docs tests do: every CLI
command and option, every config key (with its default), every KPI and every data-quality check. Each item is
one test case, found by introspecting the code (the typer app, the pydantic config models, the KPI catalogue,
the check registry and the derived suites), so a new one fails here until it is documented, and a documented
one that no longer exists fails too.

Commands, KPIs and checks are in README.md; config keys in docs/configuration.md, which the README links.
tests/transforms/test_checks.py already holds the check table's id, severity and action to the registry; here
the rest of each row (the columns it taints, what it means) and the derived checks are held too.
"""

from __future__ import annotations

import importlib
import re
import tomllib
import types
import typing
from pathlib import Path

import pytest
import typer
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from salespulse.config import Config, QualityOptions, load_config
from salespulse.expectations.runner import DERIVED, load_suite
from salespulse.transforms.checks import WHOLE_ROW, effective_checks
from salespulse.transforms.kpis import KPI_CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONFIG_DOC_NAME = "docs/configuration.md"
CONFIG_DOC = (ROOT / CONFIG_DOC_NAME).read_text(encoding="utf-8")
# Fields of Config that load_config fills in itself, whatever the file says (a test below proves it).
SET_BY_LOAD_CONFIG = ("source_path", "fingerprint")


def section(text: str, heading: str) -> str:
    """The text under a `## heading` (its `###` subsections included), up to the next `## `."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def rows_starting(text: str, prefix: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


# --- CLI: the typer app behind the `salespulse` console script --------------------------------------------


def cli_group() -> typer.core.TyperGroup:
    """The click group of the typer app the `salespulse` script runs (pyproject's [project.scripts])."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _ = scripts["salespulse"].split(":")
    app = importlib.import_module(module).app
    assert isinstance(app, typer.Typer), f"{module}.app is not the typer app"
    return typer.main.get_command(app)


COMMANDS = {name: command for name, command in cli_group().commands.items() if not command.hidden}
COMMANDS_TABLE = section(README, "Commands")


def command_row(name: str) -> str | None:
    """The first cell of the README's Commands row for `salespulse NAME`."""
    rows = [cells(line)[0] for line in rows_starting(COMMANDS_TABLE, "| `salespulse ")]
    return next((row for row in rows if re.match(rf"`salespulse {re.escape(name)}[ `]", row)), None)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_its_options_are_in_the_readme(name):
    row = command_row(name)
    assert row is not None, f"README, Commands: no row for `salespulse {name}`"
    for param in COMMANDS[name].params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            metavar = (param.metavar or param.name).upper()  # as typer's usage line writes it
            assert re.search(rf"\b{metavar}\b", row), f"README, Commands: {name} lacks its argument {metavar}"
        else:
            for option in (opt for opt in param.opts if opt.startswith("--")):
                assert re.search(rf"{re.escape(option)}(?![\w-])", row), f"README, Commands: {name} lacks {option}"


def test_every_command_the_readme_lists_exists():
    listed = {re.match(r"`salespulse ([\w-]+)", cells(line)[0])[1]
              for line in rows_starting(COMMANDS_TABLE, "| `salespulse ")}  # fmt: skip
    assert listed - set(COMMANDS) == set(), "README, Commands: rows for commands the CLI does not have"


# --- Config keys: every field of the pydantic models, nested sections included --------------------------


def models_in(annotation: typing.Any) -> list[tuple[str, type[BaseModel]]]:
    """The models an annotation holds, each with how it is reached: '' itself, '[]' a list item, '{}' a
    mapping's value (`str | None`, `Annotated[...]` and unions looked through)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [("", annotation)]
    if origin is typing.Annotated:
        return models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [found for arg in typing.get_args(annotation) for found in models_in(arg)]
    if origin is list:
        return [("[]" + way, model) for way, model in models_in(typing.get_args(annotation)[0])]
    if origin is dict:
        return [("{}" + way, model) for way, model in models_in(typing.get_args(annotation)[1])]
    return []


def config_keys(model: type[BaseModel] = Config, prefix: str = "") -> dict[str, FieldInfo]:
    """Every key as the reference writes it: `smtp.port`, `teams[].goals[].kpi`, `source.tables.<table>.file`
    (a mapping's key is named after the field: tables → <table>, checks → <check>)."""
    keys = {}
    for name, field in model.model_fields.items():
        if model is Config and name in SET_BY_LOAD_CONFIG:
            continue
        key = prefix + name
        keys[key] = field
        for way, sub in models_in(field.annotation):
            placeholder = f".<{name.removesuffix('s')}>"
            keys |= config_keys(sub, key + way.replace("{}", placeholder) + ".")
    return keys


KEYS = config_keys()


def documented_default(value: typing.Any) -> str | None:
    """How the reference writes a default; None where it is free text (a factory, a section, a filled map)."""

    def plain(item: typing.Any) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, float):
            return f"{item:g}"
        if isinstance(item, list):
            return "[" + ", ".join(plain(x) for x in item) + "]"
        return str(item)

    if value is None:
        return "none"
    if isinstance(value, BaseModel) or (isinstance(value, dict) and value):
        return None
    return f"`{'{}' if isinstance(value, dict) else plain(value)}`"


def reference_rows() -> dict[str, list[str]]:
    """key → its row's cells, from the reference's tables (`| `key` | default | meaning |`)."""
    return {cells(line)[0].strip("`"): cells(line) for line in rows_starting(CONFIG_DOC, "| `")}


def test_the_readme_links_the_configuration_reference():
    assert f"]({CONFIG_DOC_NAME})" in section(README, "Configuration"), f"README, Configuration: link {CONFIG_DOC_NAME}"


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_config_key_is_documented_with_its_default(key):
    row = reference_rows().get(key)
    assert row is not None, f"{CONFIG_DOC_NAME}: no row for `{key}`"
    assert len(row) == 3 and row[2], f"{CONFIG_DOC_NAME}: `{key}` needs a default and a meaning"
    field = KEYS[key]
    if field.default_factory is not None:
        return  # computed (every KPI, the stage probabilities): the row words it
    expected = "required" if field.default is PydanticUndefined else documented_default(field.default)
    if expected is not None:
        default = row[1]
        assert default == expected or default.startswith(expected + " "), (
            f"{CONFIG_DOC_NAME}: `{key}` defaults to {expected}, the reference says {default}"
        )


def test_every_documented_config_key_exists():
    stale = sorted(set(reference_rows()) - set(KEYS))
    assert not stale, f"{CONFIG_DOC_NAME} documents keys the config does not have: {stale}"


def test_what_load_config_fills_in_is_no_setting(tmp_path):
    """The fields left out of the reference: a file that sets them is overruled."""
    path = tmp_path / "salespulse.yaml"
    path.write_text(
        "company: Acme\ndata_dir: data\ndata_owners: [data@example.com]\n"
        "teams: [{id: north, name: North, recipients: [north@example.com]}]\n"
        "source_path: elsewhere.yaml\nfingerprint: chosen\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.source_path == path
    assert config.fingerprint not in ("", "chosen")


# --- KPIs: the catalogue's table in the README -------------------------------------------------------------

KPIS_SECTION = section(README, "KPIs")


@pytest.mark.parametrize("kpi_id", list(KPI_CATALOGUE))
def test_every_kpi_is_in_the_readme_as_declared(kpi_id):
    kpi = KPI_CATALOGUE[kpi_id]
    rows = rows_starting(KPIS_SECTION, f"| `{kpi_id}` |")
    assert len(rows) == 1, f"README, KPIs: no row for `{kpi_id}`"
    _, name, formula, period_date, better, breakdowns = cells(rows[0])
    assert (name, period_date, better) == (kpi.name, kpi.period_date, kpi.direction)
    assert kpi.formula in formula, f"README, KPIs: `{kpi_id}`'s formula is not the catalogue's: {kpi.formula}"
    assert breakdowns == (", ".join(kpi.breakdowns) or "–")


@pytest.mark.parametrize("kpi_id", list(KPI_CATALOGUE))
def test_every_kpi_is_listed_under_the_tables_whose_absence_skips_it(kpi_id):
    """Partial data: a row that lists KPIs lists every KPI that needs its table, and only those."""
    partial = section(README, "KPIs").split("\n### Partial data\n", 1)[1]
    for line in rows_starting(partial, "| "):
        table, skipped = cells(line)[:2]
        listed = set(re.findall(r"\w+", skipped)) & set(KPI_CATALOGUE)
        if listed:
            needs = table in KPI_CATALOGUE[kpi_id].tables
            assert (kpi_id in listed) == needs, f"README, Partial data: row {table} and {kpi_id} disagree"


def test_every_kpi_the_readme_lists_exists():
    listed = set(re.findall(r"^\| `(\w+)` \|", KPIS_SECTION.split("\n### ", 1)[0], re.M))
    assert listed == set(KPI_CATALOGUE)


# --- Data-quality checks: the registry's and the derived suites' -------------------------------------------

CHECKS = effective_checks()
DQ_SECTION = section(README, "Data-quality checks")
DERIVED_CHECKS = {
    expectation["meta"]["check"]: expectation["severity"]
    for suite in DERIVED
    for expectation in load_suite(suite)["expectations"]
}


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_every_check_row_states_its_taints_and_meaning(check_id):
    check = CHECKS[check_id]
    taints = "whole row" if check.taints == (WHOLE_ROW,) else ", ".join(check.taints) or "–"
    row = f"| `{check.id}` | {check.severity} | {check.action} | {taints} | {check.meaning} |"
    assert row in DQ_SECTION.splitlines(), f"README, Data-quality checks: no row {row}"


@pytest.mark.parametrize("check_id", sorted(DERIVED_CHECKS))
def test_every_derived_check_is_in_the_readme_with_its_severity(check_id):
    rows = [cells(line) for line in rows_starting(DQ_SECTION, "| `") if f"`{check_id}`" in cells(line)[0]]
    assert rows, f"README, Data-quality checks: no row for the derived check `{check_id}`"
    assert rows[0][1] == DERIVED_CHECKS[check_id], f"README: `{check_id}` is {DERIVED_CHECKS[check_id]}"


def test_every_check_id_the_readme_names_exists():
    named = set(re.findall(r"`((?:\w+)\.(?:\w+))`", DQ_SECTION))
    ids = set(CHECKS) | set(DERIVED_CHECKS)
    tables = {check.table for check in CHECKS.values()} | set(DERIVED)
    stale = sorted(name for name in named if name.split(".")[0] in tables and name not in ids)
    assert not stale, f"README, Data-quality checks: no such check {stale}"


def test_the_readme_override_example_is_a_valid_quality_block():
    block = DQ_SECTION.split("```yaml\nquality:\n", 1)[1].split("```", 1)[0]
    quality = QualityOptions.model_validate(yaml.safe_load(block))
    assert quality.checks, "README, Data-quality checks: the overrides example overrides nothing"
    changed = effective_checks(quality.checks)
    same = [check_id for check_id in quality.checks if changed[check_id] == CHECKS[check_id]]
    assert not same, f"README, Data-quality checks: the example's overrides of {same} change nothing"
