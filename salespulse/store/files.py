"""File writes that never leave a half-written file under its final name."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Readable by a web server serving output_dir (README: Share the reports); tempfile alone makes files 0600.
FILE_MODE = 0o644
FOLDER_MODE = 0o755


def write_atomic(path: Path, data: bytes | str) -> Path:
    _make_folders(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, FILE_MODE)  # before the rename: the file never appears under its name unreadable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _make_folders(folder: Path) -> None:
    """The folder and its missing parents, each 0755 whatever the umask; existing folders are left alone."""
    target, missing = folder, []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir()
        except FileExistsError:  # another process made it first
            continue
        os.chmod(created, FOLDER_MODE)
    target.mkdir(parents=True, exist_ok=True)  # a file in the folder's place fails here, as it always did
