"""Errors a user can cause, reported as one clear line each.

A :class:`ScenarioError` names the file, the row and the field that is wrong, so
the CLI can print it without a traceback and the user knows exactly where to look.
"""

from __future__ import annotations

from pathlib import Path


class CaravanaError(Exception):
    """Base class for errors caused by user input rather than by a bug."""


class ScenarioError(CaravanaError):
    """A scenario file is missing, unreadable or holds an invalid value."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ScenarioWarning(UserWarning):
    """Input that Flee tolerates and caravana accepts, but that is probably a mistake."""
