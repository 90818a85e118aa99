"""Start-up and the cyclic collector: off through a command's imports, frozen and back on once its flow settles,
and back on when the command ends however it ends."""

from __future__ import annotations

import gc
import sys

import pytest

from flows import startup


@pytest.fixture
def collecting():
    """Every test starts and ends with the collector on, as pytest runs."""
    assert gc.isenabled()
    yield
    gc.enable()


def test_the_collector_is_off_while_starting_up_and_back_on_after_however_the_command_ends(collecting):
    with startup.starting_up():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), startup.starting_up():
        raise KeyError("a command that fails before its flow settles")
    assert gc.isenabled()


def test_settle_freezes_what_start_up_made_once_and_resumes_collecting(collecting):
    with startup.starting_up():
        startup.settle()
        assert gc.isenabled()  # on again for the run's own work, before the command ends
        assert "great_expectations" in sys.modules and gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        made_by_a_run = [[] for _ in range(1000)]
        startup.settle()  # a later run in the same process: what earlier runs left is not set aside
        assert gc.get_freeze_count() == frozen and len(made_by_a_run) == 1000
    assert gc.isenabled()


def test_a_caller_that_turned_the_collector_off_keeps_it_off(collecting):
    gc.disable()
    with startup.starting_up():
        startup.settle()
        assert not gc.isenabled()
    assert not gc.isenabled()
