"""Errors the user can fix, each with its documented exit code; the CLI prints them as one line."""

from __future__ import annotations

EXIT_DELIVERED = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_DATA_QUALITY = 3
EXIT_NOT_DELIVERED = 4
EXIT_BUSY = 5


class UserError(Exception):
    """Something wrong with the input or the config; the message says what and what to do."""

    exit_code = EXIT_USAGE


class DataSourceError(UserError):
    """A data folder or file that is missing or cannot be read."""
