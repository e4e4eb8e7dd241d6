"""Tables that stay legible in a narrow terminal: whether a table fits the console's width
without cutting a word (:func:`fits`), so that a command prints a narrower layout instead, and
the columns' widths that keep every word whole (:func:`shared`).

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
# shared() asks Rich for the widths it would give through Table's private methods (_measure_column,
# _calculate_column_widths, _extra_width, _get_padding_width; written against Rich 15.0): should an update
# change them, tests/test_cli_tables.py fails (it checks no word is cut), rather than tables cutting words.


def fits(table: Table, console: Console) -> bool:
    """Whether ``table``, made :func:`snug`, prints in ``console``'s width with every cell whole once
    :func:`shared`: its columns of words wrapped at spaces at most, its figures on their own lines."""
    return narrowest(table, console) <= console.width


def fitting(build: Callable[[bool], Table], console: Console, *, unwrapped: bool = False) -> Table:
    """The full table ``build(False)`` if it :func:`fits` ``console``, else the folded ``build(True)``,
    :func:`shared` either way. ``unwrapped``: the full table only if no cell of it wraps either (its
    folded one is the better read as soon as a name would)."""
    wide = build(False)
    if unwrapped:
        whole = Measurement.get(console, console.options.update_width(_UNBOUNDED), wide).maximum <= console.width
        return wide if whole else shared(build(True), console)
    return shared(wide if fits(wide, console) else build(True), console)


def shared(table: Table, console: Console) -> Table:
    """``table`` with its columns' widths set, where needed, so that no word of it is cut.

    Rich shares a short room by narrowing the widest columns of words alike: with two of them it cut
    "Esquipula/s" or "solicitudes" in one while the other had room to spare (session 25's walk). So
    where the widths Rich would give leave a column short of its longest word, each column gets its
    longest word and the room left goes a column at a time to the one that lacks most of its longest
    line. A folded table still too wide first lets its :func:`snug` columns whose lines have spaces
    wrap at them (at 80 columns the Spanish held-back reports' "después del 12 nov" made it 86 wide)."""
    if not fits(table, console):
        snug_widths = [column.width for column in table.columns]
        for column in table.columns:
            if column.width is not None and any(" " in line for cell in column.cells for line in str(cell).splitlines()):
                column.width = None
        if not fits(table, console):  # nothing keeps every word whole (a long path): as snug made it, Rich folds
            for column, width in zip(table.columns, snug_widths):
                column.width = width
            return table
    unbounded = console.options.update_width(_UNBOUNDED)
    ranges = [table._measure_column(console, unbounded, column) for column in table.columns]
    given = table._calculate_column_widths(  # as Table.__rich_console__ asks, borders aside
        console, console.options.update_width(console.width - table._extra_width))
    if all(width >= r.minimum for width, r in zip(given, ranges)):
        return table
    widths = [r.minimum for r in ranges]
    for _ in range(console.width - table._extra_width - sum(widths)):
        lack = [r.maximum - w for r, w in zip(ranges, widths)]
        if max(lack) <= 0:
            break
        widths[lack.index(max(lack))] += 1
    for column, width in zip(table.columns, widths):
        column.width = width - table._get_padding_width(column._index)
    return table


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
