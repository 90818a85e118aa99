"""The tests share what they share through helper modules (tests/**/<name>.py, no `test_` prefix) and fixtures
in conftest.py files, never by importing one another: a test module imported by another runs its module-level
code and fixtures there too and ties the two files together, and a conftest imported by name is loaded twice
(once by pytest, once as a plain module)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MODULES = sorted(TESTS.rglob("*.py"))


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def is_test_or_conftest(name: str) -> bool:
    """`tests.flows.test_cli` or `tests.reports.conftest`: a module pytest loads itself, not one to import."""
    last = name.rsplit(".", 1)[-1]
    return name.split(".", 1)[0] == "tests" and (last.startswith("test_") or last == "conftest")


def imports_in(text: str, module: str) -> list[tuple[int, str]]:
    """(line, module) for every import in `text`, the source of `module`, at any depth (inside functions too),
    relative ones resolved; `from package import name` counts `package.name` too, since `name` may be a module."""
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if alias.name != "*"]
    return found


def test_the_check_sees_every_kind_of_import() -> None:
    source = """\
from tests.flows.test_cli import salespulse
import tests.flows.test_config
from tests.reports import conftest
from .test_report_flow import run
from ..transforms import test_kpis
def helper():
    from tests.conftest import Inbox
from tests.flows.configs import EXAMPLE
from tests.transforms import frames
from . import crm_helpers
import salespulse.flows.report_flow
"""
    found = sorted({(line, name) for line, name in imports_in(source, "tests.flows.x") if is_test_or_conftest(name)})
    assert found == [
        (1, "tests.flows.test_cli"),
        (2, "tests.flows.test_config"),
        (3, "tests.reports.conftest"),
        (4, "tests.flows.test_report_flow"),
        (5, "tests.transforms.test_kpis"),
        (7, "tests.conftest"),
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(TESTS)))
def test_no_module_imports_a_test_module_or_a_conftest(path: Path) -> None:
    imports = imports_in(path.read_text(encoding="utf-8"), module_name(path))
    wrong = sorted({f"line {line}: {name}" for line, name in imports if is_test_or_conftest(name)})
    assert not wrong, (
        f"{path.relative_to(ROOT)} imports a test module or a conftest; move what it shares into a helper module "
        f"next to it (e.g. tests/flows/configs.py, tests/reports/contexts.py) or, a fixture, into conftest.py: {wrong}"
    )
