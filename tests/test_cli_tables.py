"""The one rule of :mod:`caravana.cli.tables`: a table printed whole is one in which no word is cut.

Rich shares a short room by narrowing the widest columns of words alike: with two or more columns
that wrap, the sum of their longest words could fit while Rich still cut one ("Esquipula/s") and
left room in the other (session 25's walk). Each table here is one a command prints, filled with
the built-in corridor's longest place names, at every terminal width from 60 to 200 columns (80, a laptop's, among them)."""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from rich.console import Console
from rich.table import Table

from caravana.cli import common
from caravana.cli.common import speaking, use_language
from caravana.cli.tables import fits, shared

PLACES = ["Guatemala City", "Esquipulas", "Santiago Niltepec", "Tijuana El Chaparral", "Juchitan", "Mexico City"]
QUANTITIES = ["caravan_size", "asylum_requests", "present", "arrived", "camp", "arrivals"]
START, END = dt.date(2018, 10, 13), dt.date(2018, 11, 12)


def _held_back(narrow: bool) -> Table:
    from caravana.cli.forecast import _held_back_table

    pairs = []
    for i, (place, quantity) in enumerate(zip(PLACES, QUANTITIES)):
        day = quantity == "arrived"
        first = {"date": START + dt.timedelta(days=i), "place": place, "quantity": quantity,
                 "unit": "day" if day else "people", "observed": 9 if day else 1234, "low": 1000, "high": 1500}
        sims = [{**first, "p5": 8 if day else 800, "p95": 40 if day else 4500, "hit": bool(i % 2), "open_ended": day}
                for _ in range(2)]
        pairs.append({"posterior": sims[0], "prior": sims[1]})
    run = SimpleNamespace(forecast=SimpleNamespace(as_of=START))
    return _held_back_table(run, pairs, START, END, narrow=narrow)


def _arrivals(narrow: bool) -> Table:
    from caravana.cli.forecast import _arrival_table

    rows = []
    for i, place in enumerate(PLACES):
        row = {"caravan": "honduran-oct12", "place": place, "share_arriving": 0.9,
               "arrival_p5": START + dt.timedelta(days=i), "arrival_p50": START + dt.timedelta(days=i + 2),
               "arrival_p95": None if i % 2 else START + dt.timedelta(days=i + 5)}
        for prefix in ("size_on_arrival", "peak_present"):
            row.update({f"{prefix}_p5": 1200.0, f"{prefix}_p50": 2345.0, f"{prefix}_p95": 6789.0})
        rows.append(row)
    prior_of = {(r["caravan"], r["place"]): r for r in rows}
    return _arrival_table(SimpleNamespace(end=END), "honduran-oct12", rows, prior_of, True, narrow=narrow)


def _cut_words(table: Table, columns: tuple[int, ...], console: Console) -> list[str]:
    """The words of ``columns``' cells that the printed table does not hold whole as often as the cells do."""
    console.print(table)
    out = console.export_text(clear=False)
    words = [w for i in columns for cell in table.columns[i].cells for w in str(cell).split()]
    return sorted({w for w in words if len(re.findall(rf"(?<!\w){re.escape(w)}(?!\w)", out)) < words.count(w)})


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("build,wrapping", [(_held_back, (1, 2)), (_arrivals, (0, 2))], ids=["held-back", "arrivals"])
def test_a_full_table_that_fits_cuts_no_word_at_any_width(monkeypatch, lang, build, wrapping):
    monkeypatch.setattr(common, "_speaking", [])  # the language set here ends with the test
    use_language(lang)
    assert speaking().place("Guatemala City") == {"es": "Ciudad de Guatemala", "en": "Guatemala City"}[lang]
    whole = 0
    for width in range(60, 201):
        console = Console(width=width, record=True, file=io.StringIO(), emoji=False, markup=False,
                          highlight=False)
        table = build(False)
        if fits(table, console):
            whole += 1
            assert not _cut_words(shared(table, console), wrapping, console), width
            assert max(map(len, console.export_text().splitlines())) <= width
    assert whole  # the full table is printed at some width: the test saw it


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("build,wrapping", [(_held_back, (0, 1, 3, 4)), (_arrivals, (0, 1))], ids=["held-back", "arrivals"])
def test_the_folded_table_cuts_no_word_at_80_columns(monkeypatch, lang, build, wrapping):
    """The folded tables were printed as Rich shared the room: at 80 columns the Spanish held-back
    table (86 columns at the least: "después del 12 nov" on one line) cut "Esquipulas", "Guatemala",
    "solicitudes". Now :func:`shared` lets a column of several words wrap at its spaces (the open end) and gives each column its
    longest word."""
    from caravana.cli.tables import narrowest

    monkeypatch.setattr(common, "_speaking", [])
    use_language(lang)
    for width in (80, *range(60, 201)):
        console = Console(width=width, record=True, file=io.StringIO(), emoji=False, markup=False,
                          highlight=False)
        folded = shared(build(True), console)
        if width == 80:
            assert narrowest(folded, console) <= 80
        if narrowest(folded, console) <= width:
            assert not _cut_words(folded, wrapping, console), width
            assert max(map(len, console.export_text().splitlines())) <= width


def test_a_table_no_width_keeps_whole_is_left_as_snug_made_it():
    """A folder's path longer than the terminal cannot stay whole (Rich folds it, as `runs list` wants):
    the date over the time ("28 nov" over "2026 15:48") then keeps its snug width, not wrapped for nothing."""
    from caravana.cli.tables import snug

    table = Table()
    for heading in ("id", "created", "folder"):
        table.add_column(heading, overflow="fold")
    table.add_row("a1b2", "28 nov\n2026 15:48", "/tmp/" + "a-rather-long-folder-name/" * 4 + "corrida")
    snug(table, wrapping=(2,))
    console = Console(width=80, file=io.StringIO())
    assert not fits(table, console)
    assert [c.width for c in shared(table, console).columns] == [4, 10, None]
