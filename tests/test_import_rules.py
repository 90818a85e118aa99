"""The import rules of ARCHITECTURE.md, read from the source: which room may import which, and no cycles.

Every import counts, those inside functions and under TYPE_CHECKING too: an import moved into a function
hides a cycle from Python, not from a reader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import salespulse

ROOT = Path(__file__).resolve().parent.parent
# The user's folders, installed as salespulse.<folder>, and the rooms under salespulse/.
FOLDERS = {"flows", "transforms", "reports", "expectations"}

# room -> the rooms it may import (besides itself). Listed from the bottom up.
ALLOWED: dict[str, set[str]] = {
    "transforms": set(),
    "expectations": {"transforms"},
    "reports": {"transforms"},
    "errors": set(),
    "schedules": {"transforms"},
    "sources": {"transforms", "errors"},
    "config": {"transforms", "errors", "sources", "schedules"},
    "plan": {"transforms", "errors", "sources", "config"},
    "demo": {"transforms"},
    "store": {"transforms", "reports", "errors", "config", "plan"},
    "mail": {"transforms", "reports", "errors", "config", "plan", "store"},
    "onboarding": {"transforms", "expectations", "errors", "sources", "config", "plan"},
    "flows": {
        "transforms",
        "expectations",
        "reports",
        "errors",
        "schedules",
        "sources",
        "config",
        "plan",
        "store",
        "mail",
    },
    "cli": set(),  # the top: anything (filled in below)
}
ALLOWED["cli"] = set(ALLOWED) - {"cli"}


def module_files() -> dict[str, Path]:
    """salespulse.<...> module name -> file, for the package as installed from this repository."""
    files: dict[str, Path] = {}
    package = Path(salespulse.__file__).parent
    bases = [(package, "salespulse")] + [(ROOT / folder, f"salespulse.{folder}") for folder in FOLDERS]
    for base, prefix in bases:
        for path in base.rglob("*.py"):
            if prefix == "salespulse" and path.relative_to(base).parts[0] in FOLDERS:
                continue
            parts = path.relative_to(base).with_suffix("").parts
            name = ".".join((prefix, *parts))
            files[name.removesuffix(".__init__")] = path
    return files


MODULES = module_files()


def room(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "salespulse"


def imports(module: str) -> set[str]:
    """The salespulse modules `module` imports, wherever in its file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found |= {name for name in names if name in MODULES and name != module}
    return found


GRAPH = {module: imports(module) for module in MODULES}


def test_the_rooms_are_all_known() -> None:
    assert {room(m) for m in MODULES} - {"salespulse"} == set(ALLOWED)


def test_no_module_imports_the_folders_by_their_bare_names() -> None:
    """`import flows.x` would load a second copy of a module beside salespulse.flows.x."""
    bare = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FOLDERS:
                bare.append(f"{module}: from {node.module}")
            if isinstance(node, ast.Import):
                bare += [f"{module}: import {a.name}" for a in node.names if a.name.split(".")[0] in FOLDERS]
    assert bare == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_the_rooms_below_its_own(module: str) -> None:
    mine = room(module)
    allowed = ALLOWED.get(mine, set()) | {mine, "salespulse"}
    wrong = sorted(f"{dep} ({room(dep)})" for dep in GRAPH[module] if room(dep) not in allowed)
    assert wrong == [], f"{module} ({mine}) may import only {sorted(allowed)}"


def test_the_import_graph_has_no_cycles() -> None:
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        for dep in sorted(GRAPH[module]):
            visit(dep, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])
    assert cycles == []


def test_the_installed_package_works_from_any_folder_without_the_bare_folder_names(tmp_path: Path) -> None:
    """Outside the repository the folders are importable only as salespulse.<folder>: every module imports, and
    the templates, styles, translations and suites load by package (not by the folder's bare name)."""
    import subprocess
    import sys

    script = "\n".join(
        [
            "import importlib, sys",
            *(f"importlib.import_module({name!r})" for name in sorted(MODULES)),
            "from salespulse.reports import i18n, render",
            "from salespulse.expectations import runner",
            "assert render.html_env().get_template('report.html') and render.stylesheet()",
            "assert runner.load_suite('intake')",
            "assert i18n.gettext('es_ES', 'Correction: %(subject)s') != 'Correction: %(subject)s'",
            "print(sorted(set(sys.modules) & {'flows', 'transforms', 'reports', 'expectations'}))",
        ]
    )
    env = {key: value for key, value in __import__("os").environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_the_wheel_holds_one_import_package_with_every_module() -> None:
    """pyproject's package list is `salespulse` and its subpackages only, and it lists every package the import
    graph above has (a package left out would be missing from `pip install .`)."""
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    assert {name.split(".")[0] for name in listed} == {"salespulse"}
    assert set(setuptools["package-dir"]) <= listed
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert packages == listed
