"""A pytest plugin (loaded by tests/conftest.py): `--dist loadgroup` as pytest-xdist documents it, through
public hooks only. Tests marked `xdist_group(name)` run on one worker, whatever their files.

pytest-xdist 3.8 tells its scheduler a test's group by rewriting the test's id to "<nodeid>@<group>" on the
worker; pytest 9.2 keeps ids where that rewrite no longer reaches, so the groups are lost and each test goes to
any worker (pytest-dev/pytest-xdist#1386; a fix is proposed in #1388). Here each worker writes the groups of
its tests to a file at collection, before it reports its collection; the controller's scheduler, xdist's own
`LoadGroupScheduling`, then gets the ids in the "<nodeid>@<group>" form it reads. The tests' ids are untouched.
Without `--dist loadgroup` (or without `-n`) this plugin does nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from xdist.workermanage import WorkerController

FOLDER = pytest.StashKey[Path]()  # on the controller: where the workers write their groups
FOLDER_KEY = "salespulse_xdist_groups"  # the same folder, in each worker's workerinput


def pytest_configure(config: pytest.Config) -> None:
    controller = not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))
    if controller and config.getvalue("dist") == "loadgroup":
        config.stash[FOLDER] = Path(tempfile.mkdtemp(prefix="salespulse-xdist-groups-"))


def pytest_unconfigure(config: pytest.Config) -> None:
    if folder := config.stash.get(FOLDER, None):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: WorkerController) -> None:
    if folder := node.config.stash.get(FOLDER, None):
        node.workerinput[FOLDER_KEY] = str(folder)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a worker: the groups of its tests, whole or not at all, named for the worker."""
    workerinput = getattr(config, "workerinput", {})
    if folder := workerinput.get(FOLDER_KEY):
        groups = {item.nodeid: group for item in items if (group := group_of(item))}
        partial = Path(folder) / f"{workerinput['workerid']}.json.partial"
        partial.write_text(json.dumps(groups), encoding="utf-8")
        os.replace(partial, partial.with_suffix(""))


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:  # noqa: ANN401 - xdist's Producer, Scheduling
    if folder := config.stash.get(FOLDER, None):
        return marked_group_scheduling(config, log, folder)
    return None


def group_of(item: pytest.Item) -> str | None:
    """The test's group as xdist names it: its `xdist_group` names, sorted and joined by "_"."""
    names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    return "_".join(sorted(names)) or None


def marked_group_scheduling(config: pytest.Config, log: Any, folder: Path) -> Any:  # noqa: ANN401
    """xdist's `--dist loadgroup` scheduler, told each marked test's group by the file its worker wrote."""
    from xdist.scheduler import LoadGroupScheduling

    class MarkedGroupScheduling(LoadGroupScheduling):
        def __init__(self) -> None:
            super().__init__(config, log)
            self.groups: dict[str, str] = {}

        def add_node_collection(self, node: WorkerController, collection: Sequence[str]) -> None:
            written = folder / f"{node.workerinput['workerid']}.json"
            if written.exists():  # the worker wrote it before it reported its collection
                self.groups |= json.loads(written.read_text(encoding="utf-8"))
            super().add_node_collection(node, [self.grouped(nodeid) for nodeid in collection])

        def remove_node(self, node: WorkerController) -> str | None:
            crashed = super().remove_node(node)
            return crashed and self.ungrouped(crashed)  # as the worker's reports name it

        def grouped(self, nodeid: str) -> str:
            group = self.groups.get(nodeid)
            return f"{nodeid}@{group}" if group and not nodeid.endswith(f"@{group}") else nodeid

        def ungrouped(self, nodeid: str) -> str:
            return next((test for test, group in self.groups.items() if nodeid == f"{test}@{group}"), nodeid)

    return MarkedGroupScheduling()
