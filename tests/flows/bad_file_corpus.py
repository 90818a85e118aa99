"""The corpus in tests/data/bad_files: six good tables (good/) and one broken file per case. A test copies the
good folder and puts one broken file in place of its table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from salespulse.errors import DataSourceError
from salespulse.sources.load import check_tables, read_tables

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_files"


def data_folder(folder: Path, broken: str | None = None) -> Path:
    """The good tables, with `broken` (a corpus file named <table>_<case>.csv) as its table."""
    shutil.copytree(CORPUS / "good", folder)
    if broken:
        shutil.copy(CORPUS / broken, folder / f"{broken.split('_')[0]}.csv")
    return folder


def error_of(folder: Path) -> str:
    """The message of read_tables, which the pre-flight check must give word for word."""
    with pytest.raises(DataSourceError) as read:
        read_tables(folder)
    with pytest.raises(DataSourceError) as checked:
        check_tables(folder)
    message = str(read.value)
    assert str(checked.value) == message
    assert "\n" not in message and "Traceback" not in message
    return message
