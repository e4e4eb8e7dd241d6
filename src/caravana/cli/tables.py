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
    columns of words wrapped at spaces at most, its figures on their own lines.

    The columns' least widths adding up is not enough: Rich shares a short room by narrowing the
    widest columns of words alike, and cut "Esquipula/s" in one while another had room to spare
    (session 25's walk). So the widths Rich will give are asked for, and each column must get its
    longest word."""
    if narrowest(table, console) > console.width:
        return False
    unbounded = console.options.update_width(_UNBOUNDED)
    least = [table._measure_column(console, unbounded, column).minimum for column in table.columns]
    given = table._calculate_column_widths(  # as Table.__rich_console__ asks, borders aside
        console, console.options.update_width(console.width - table._extra_width))
    return all(width >= need for width, need in zip(given, least))


def fitting(build: Callable[[bool], Table], console: Console, *, unwrapped: bool = False) -> Table:
    """The full table ``build(False)`` if it :func:`fits` ``console``, else the folded ``build(True)``.
    ``unwrapped``: the full table only if no cell of it wraps either (its folded one is the better
    read as soon as a name would: Rich shares a short room by cutting the widest columns alike,
    "Esquipula/s" in a place column, even when each word would fit)."""
    wide = build(False)
    if unwrapped:
        whole = Measurement.get(console, console.options.update_width(_UNBOUNDED), wide).maximum <= console.width
        return wide if whole else shared(build(True), console)
    return wide if fits(wide, console) else shared(build(True), console)


def shared(table: Table, console: Console) -> Table:
    """A folded ``table`` with its columns' widths set so that no word is cut where the room is
    enough. Too wide still, its :func:`snug` columns whose lines have spaces wrap at them too (at 80
    columns the Spanish held-back reports' "después del 12 nov" made it 86 wide: "Esquipula/s").
    Where Rich's own sharing would cut a word (:func:`fits`), each column gets its longest word and
    the room left goes a column at a time to the one that lacks most of its longest line."""
    if narrowest(table, console) > console.width:
        for column in table.columns:
            if column.width is not None and any(" " in line for cell in column.cells for line in str(cell).splitlines()):
                column.width = None
    if fits(table, console) or narrowest(table, console) > console.width:
        return table
    unbounded = console.options.update_width(_UNBOUNDED)
    ranges = [table._measure_column(console, unbounded, column) for column in table.columns]
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
