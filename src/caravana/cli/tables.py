"""Tables that stay legible in a narrow terminal: whether a table fits the console's width
without cutting a word (:func:`fits`), so that a command prints a narrower layout instead.

An 80-column terminal (a laptop's default) cut the forecast's 8-column tables into
"(3,327…" and "Juchit…" (session 20's walk, B7): a command builds its full table and, if it
does not fit, its folded one (fewer columns, a figure over its range)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

_UNBOUNDED = 10_000  # measured as if the terminal had no edge


def fits(table: Table, console: Console) -> bool:
    """Whether ``table``, made :func:`snug`, prints in ``console``'s width with every cell whole: its
    columns of words wrapped at spaces at most, its figures on their own lines."""
    return narrowest(table, console) <= console.width


def fitting(build: Callable[[bool], Table], console: Console, *, unwrapped: bool = False) -> Table:
    """The full table ``build(False)`` if it :func:`fits` ``console``, else the folded ``build(True)``.
    ``unwrapped``: the full table only if no cell of it wraps either (its folded one is the better
    read as soon as a name would: Rich shares a short room by cutting the widest columns alike,
    "Esquipula/s" in a place column, even when each word would fit)."""
    wide = build(False)
    if unwrapped:
        whole = Measurement.get(console, console.options.update_width(_UNBOUNDED), wide).maximum <= console.width
        return wide if whole else build(True)
    return wide if fits(wide, console) else build(True)


def narrowest(table: Table, console: Console) -> int:
    """The fewest columns a :func:`snug` ``table`` prints in with every cell whole: its fixed
    columns' widths, the others' longest words, and the borders."""
    return Measurement.get(console, console.options.update_width(_UNBOUNDED), table).minimum


def snug(table: Table, wrapping: Collection[int] = (0,)) -> Table:
    """Give each column but those in ``wrapping`` the width of its longest line (its heading may
    wrap at spaces). Rich shares a narrow terminal's room by shrinking the widest columns alike,
    which cut "(3,327-6,736)" to "(3,327…" and a window of dates in two: now only the columns of
    words (a place's name) give room, and :func:`fits` can tell beforehand whether they can."""
    for i, column in enumerate(table.columns):
        if i in wrapping:
            continue
        lines = [line for cell in column.cells for line in str(cell).splitlines()]
        words = str(column.header).split()
        column.width = max(cell_len(text) for text in (*lines, *words, ""))
    return table
