"""Errors a user can cause, reported as one clear line each.

A :class:`ScenarioError` names the file, the row and the field that is wrong, so
the CLI can print it without a traceback and the user knows exactly where to look.
"""

from __future__ import annotations

from pathlib import Path

MAX_MESSAGE_CHARS = 240  # the what-is-wrong part of an error line; file, row and field come on top


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters (an error is read, not scrolled)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def E_(message: str) -> str:
    """Marks a message a person reads that is not raised where it is written (a reason kept
    in a table, a detail set on a job): tools/babel_errors.py extracts it into the catalogue
    as an error template, and :mod:`caravana.i18n.errors` translates it where it is shown."""
    return message


class CaravanaError(Exception):
    """Base class for errors caused by user input rather than by a bug. ``dates``: dates the
    message states as facts (not a value the user typed), written in ISO form in the message and
    as the reader's language writes dates where it is shown (:func:`caravana.i18n.errors.error_text`).
    ``places``: place identifiers the message names in quotes ('Juchitan'), written as the reader
    sees them there ('Juchitán'), by the names of ``scenario`` (a key of
    :func:`caravana.scenario.names.names_key`; None: not said)."""

    def __init__(self, *args: object, dates: tuple = (), places: tuple[str, ...] = (),
                 scenario: str | None = None) -> None:
        super().__init__(*args)
        self.dates = tuple(dates)
        self.places = tuple(places)
        self.scenario = scenario


class UnknownPlace(CaravanaError):
    """A place a user named that the results cannot answer for: no such place, or (a forecast) none
    of its figures. The dashboard answers it "not found" (404), other mistakes "unprocessable" (422)."""


class ScenarioError(CaravanaError):
    """A scenario file is missing, unreadable or holds an invalid value."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
        dates: tuple = (),
        places: tuple[str, ...] = (),
        scenario: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field
        self.message = message
        super().__init__(str(self), dates=dates, places=places, scenario=scenario)

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{one_line(self.field, 80)}'")
        prefix = ", ".join(where)
        message = one_line(self.message)
        return f"{prefix}: {message}" if prefix else message


class ScenarioWarning(UserWarning):
    """Input that Flee tolerates and caravana accepts, but that is probably a mistake."""


class DatedWarning(UserWarning):
    """A warning whose message states ``dates`` in ISO form, written as the reader's language writes
    dates where it is shown (as :class:`CaravanaError`'s)."""

    def __init__(self, message: str, dates: tuple = ()) -> None:
        super().__init__(message)
        self.dates = tuple(dates)
