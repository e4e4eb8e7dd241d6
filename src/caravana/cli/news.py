"""``caravana news extract`` and ``caravana news review``: news reports become proposed
observations, and a person decides which of them the forecast uses (``docs/news.md``).

The news libraries (the ``news`` extra) are imported inside the commands only."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ..errors import CaravanaError
from ..i18n import N_
from .common import (
    CommandGroup,
    LangOpt,
    _,
    _error_text,
    app,
    console,
    err_console,
    progress_bar,
    speak_about,
    speaking,
    use_language,
    user_errors,
)
from .quit import INPUT_ENDED, INTERRUPTED

news_app = typer.Typer(no_args_is_help=True, cls=CommandGroup,
                       help=N_("Read news reports: propose observations, then review them."))
app.add_typer(news_app, name="news")


def _needs_extra():
    try:
        import dateparser  # noqa: F401
        import pysbd  # noqa: F401
        import rapidfuzz  # noqa: F401
        import selectolax  # noqa: F401
        import text_to_num  # noqa: F401
    except ImportError as exc:
        raise CaravanaError(f"the news commands need the 'news' extra ({exc.name} is missing): "
                            "pip install 'caravana[news]'") from None


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CaravanaError(f"{option} '{text}' is not a date (YYYY-MM-DD)") from None


EXTRACT_HELP = N_("Propose dated observations (counts of people, arrivals, departures) from news reports, "
                  "each with its sentence as evidence, for `caravana news review`.")
REVIEW_HELP = N_("Accept, edit or reject each proposed observation, seeing the sentence it comes from; "
                 "the accepted rows are written to --out, and each decision back to the proposals file.")


@news_app.command("extract", help=EXTRACT_HELP)
def extract_command(
    files: Annotated[list[str], typer.Argument(help=N_("Reports: text or HTML files, folders of them, or - for standard input."))],
    scenario: Annotated[str, typer.Option(help=N_("The scenario whose places are matched."))] = "corridor",
    published: Annotated[str | None, typer.Option(
        help=N_("Publication date (YYYY-MM-DD) of reports that state none (in the page or a reports.csv manifest)."))] = None,
    language: Annotated[str | None, typer.Option(help=N_("es or en (default: manifest, page, or detected)."))] = None,
    out: Annotated[Path | None, typer.Option(help=N_("Proposals CSV to write (default: standard output)."))] = None,
    learned: Annotated[bool, typer.Option(
        "--learned", help=N_("The learned model's confidence instead of the rules' own (a chooser model also rereads "
                          "each figure's quantity, place and day; docs/news.md)."))] = False,
    moves: Annotated[bool, typer.Option(
        "--moves", help=N_("Also the arrivals and departures the learned movement model reads that the rules do not "
                        "(docs/news.md)."))] = False,
    lang: LangOpt = None,
) -> None:
    with user_errors():
        use_language(lang)
        _needs_extra()
        from ..news.extract import extract
        from ..news.loading import load_reports
        from ..news.places import Gazetteer
        from ..news.proposals import proposal_row, write_rows
        from ..news.review import warn_if_outside_period
        from ..scenario.load import load_scenario

        when = _date(published, "--published") if published else None
        if out is not None and out.exists() and out.is_dir():
            raise CaravanaError(f"--out {out}: is a folder")
        loaded = load_scenario(scenario)
        gazetteer = Gazetteer.from_scenario(loaded)
        reports = load_reports(files, when, language)
        model = mover = None
        if learned or moves:
            from ..news.mover import load_mover
            from ..news.rescore import ModelError, load_model

            try:
                model = load_model() if learned else None
                mover = load_mover() if moves else None
            except ModelError as exc:
                raise CaravanaError(str(exc)) from None
        with progress_bar(_("reports")) as progress:
            task = progress.add_task(_("reading"), total=len(reports))
            found = extract(reports, gazetteer, progress=lambda done, total: progress.update(task, completed=done),
                            model=model, mover=mover)
        rows = [proposal_row(p) for p in found]
        write_rows(rows, out, sys.stdout)
        warn_if_outside_period(rows, loaded)
        n_ = speaking().n_
        # Translators: two plural messages make one line ("4 reportes, 14 propuestas"), as gettext has
        # no message with two counts; the trailing ", " belongs to the first.
        said = (n_("{n} report, ", "{n} reports, ", len(reports)).format(n=len(reports))
                + n_("{n} proposal", "{n} proposals", len(rows)).format(n=len(rows)))
        if out:  # Translators: the same English twice on purpose: Spanish "escrita"/"escritas" agrees with the proposals
            said = n_("{said} written to {path}", "{said} written to {path}", len(rows)).format(said=said, path=out)
        err_console.print(said)


@news_app.command("review", help=REVIEW_HELP)
def review_command(
    proposals: Annotated[Path, typer.Argument(help=N_("Proposals CSV from `caravana news extract`."))],
    out: Annotated[Path, typer.Option(help=N_("Observations CSV of the accepted rows (docs/observations.md)."))] = Path("observations.csv"),
    scenario: Annotated[str, typer.Option(help=N_("Scenario the observations are checked against."))] = "corridor",
    accept_all: Annotated[bool, typer.Option(
        "--accept-all", help=N_("Accept every pending row at or above --min-confidence without asking."))] = False,
    min_confidence: Annotated[float, typer.Option(help=N_("Rows below this confidence are not shown (nor accepted)."))] = 0.5,
    again: Annotated[bool, typer.Option("--again", help=N_("Show rows already accepted or rejected too."))] = False,
    lang: LangOpt = None,
) -> None:
    with user_errors():
        use_language(lang)
        from ..news.proposals import read_rows, write_rows
        from ..news.review import check_against, country_of, write_observations
        from ..scenario.load import load_scenario

        rows = read_rows(proposals)
        loaded = load_scenario(scenario)
        from ..scenario.names import names_key

        speak_about(names_key(loaded.name, loaded.builtin))
        pending = [(i, r) for i, r in enumerate(rows, start=2)
                   if (again or not r["status"]) and float(r["confidence"] or 0) >= min_confidence]
        skipped: list[str] = []
        countrywide: list[str] = []  # accepted rows placed at a country, not a town: said once
        stopped = False
        ended = False
        for position, (number, row) in enumerate(pending, start=1):
            where = f"file {proposals}, row {number}"  # in English: it goes into errors, translated whole
            if accept_all:
                try:
                    # the scenario's identifier of a place written by another of its names, as the dialogue keeps it
                    row["place"] = check_against(row, loaded, where)
                    row["status"] = "accepted"
                except CaravanaError as exc:
                    skipped.append(_error_text(exc))
                    continue
                if country_of(row, loaded):
                    countrywide.append(_("file {file}, row {row}").format(file=proposals, row=number))
                continue
            shown = _("file {file}, row {row}").format(file=proposals, row=number)
            try:
                if not _ask(row, loaded, where, shown, position, len(pending)):
                    break
            except (KeyboardInterrupt, typer.Abort) as exc:  # Ctrl+C, or the input's end: keep what was decided, as q
                # Click turns both into Abort; the end of input (a pipe, Ctrl+D) is its context
                ended = isinstance(exc.__context__, EOFError)
                stopped = not ended
                if ended:
                    typer.echo()  # the prompt's line, which the input left open
                    typer.echo(_("the input ended at {where}: the review stops there; this row and those after it "
                                 "stay pending").format(where=shown), err=True)
                break
        for message in skipped:
            typer.echo(_("warning: not accepted, left pending: {why}").format(why=message), err=True)
        if countrywide:
            typer.echo(speaking().n_(
                "warning: {n} row accepted is placed at a country, not a town ({rows}): its figure is compared with "
                "the sum over all the country's places; review it if the sentence names the town",
                "warning: {n} rows accepted are placed at a country, not a town ({rows}): each figure is compared "
                "with the sum over all the country's places; review them if the sentence names the town",
                len(countrywide)).format(n=len(countrywide), rows="; ".join(countrywide)), err=True)
        write_rows(rows, proposals)
        n = write_observations(rows, out)
        err_console.print(speaking().n_("{n} observation written to {path}; decisions saved in {proposals}",
                                        "{n} observations written to {path}; decisions saved in {proposals}", n).format(
            n=n, path=out, proposals=proposals))
        if stopped:
            raise typer.Exit(INTERRUPTED)
        if ended:
            raise typer.Exit(INPUT_ENDED)


def _quantity_names() -> dict[str, str]:
    """Each quantity's code (the file's word) as the review shows it: "llegados (arrived)", the name
    first, as the errors list them (i18n.quantities.typed)."""
    from ..i18n.quantities import NAMES, typed

    return {code: typed(code, speaking()) for code in NAMES}


def _offered(row: dict, column: str) -> str:
    """A column's value as an edit offers it: the place and the quantity by the names the reader
    sees ("Ciudad de México", "llegados"), read back as the scenario's and the file's."""
    from ..i18n.quantities import offered

    value = row.get(column) or ""
    if column == "place" and value:
        return speaking().place(value)
    return offered(value, speaking()) if column == "quantity" else value


def _typed_cell(answer: str) -> str:
    """An edit's answer: "-" (or the table's "—") for an empty field, which Enter cannot give where the
    proposal has a value (an arrival's "valor [100]" would be asked again and again)."""
    answer = answer.strip()
    return "" if answer in ("-", "—") else answer


def _ask(row: dict, scenario, where: str, shown: str, position: int, total: int) -> bool:
    """One proposal: show it and its evidence, take a decision. False: the user quit.
    ``where`` (English) goes into the checks' errors; ``shown`` is it in the reader's language."""
    from ..news.review import EDITABLE, check_against, country_of
    from ..observations import quantity_code

    table = Table(title=_("proposal {position} of {total}  ({where})").format(position=position, total=total, where=shown),
                  show_header=True)
    for column in (_("date"), _("place"), _("quantity"), _("value"), _("low"), _("high"), _("confidence")):
        table.add_column(column)
    names = _quantity_names()
    # the date as the rest of the output writes dates ("21 oct 2018"); the edit takes (and offers) the file's ISO
    cells = {**row, "date": speaking().date(dt.date.fromisoformat(row["date"])),
             "quantity": names.get(row["quantity"], row["quantity"]),
             "place": speaking().place(row["place"]) if row.get("place") else row.get("place")}
    table.add_row(*(cells[c] or "—" for c in ("date", "place", "quantity", "value", "low", "high", "confidence")))
    console.print(table)
    country = country_of(row, scenario)
    if country:
        console.print("  " + _("{place} is a country, not a town: the figure is compared with the sum over all the "
                               "scenario's places in {place}. Keep it for a country-wide count; if the sentence names "
                               "the town, [e]dit the place.").format(place=country), style="yellow")
    sentence = Text(row["sentence"])
    if row.get("evidence"):
        sentence.highlight_words([row["evidence"]], style="bold yellow")
    console.print(Text("  "), sentence)
    console.print(f"  {row.get('source') or row['file']}", style="dim")
    # What the next edit offers: the row, or the last edit the check refused. The row itself keeps its
    # values until an edit is taken: a refused one ("presnetes", a 2021 date) saved with q or s would
    # leave a proposals file the review can no longer read.
    draft = row
    if row.get("reading") == "mover":
        console.print("  " + _("proposed by the learned movement model, not by the rules (--moves)"), style="dim")
    while True:
        choice = typer.prompt("  " + _("[a]ccept  [e]dit  [r]eject  [s]kip  [q]uit"), default="a").strip().lower()[:1]
        if choice == "q":
            return False
        if choice == "s":
            return True
        if choice == "r":
            row["status"] = "rejected"
            return True
        candidate: dict = row
        typed: str | None = None  # the quantity as an edit typed it ("llegados"): the check's errors name it so
        if choice == "e":
            # the column's name as the table above shows it ("fecha"); the file keeps its own. The row
            # changes only once every field is given (a Ctrl+C half-way leaves it as it was) and checked.
            # The place and the quantity are offered by the names a reader sees ("Ciudad de México",
            # "llegados"), read back below.
            console.print("  " + _("(Enter keeps what is in brackets; - leaves the field empty)"), style="dim")
            edited = {column: _typed_cell(typer.prompt(f"    {_(column)}", default=_offered(draft, column),
                                                       show_default=True))
                      for column in EDITABLE}
            typed = edited["quantity"]
            try:  # a quantity typed by a name the tables show ("llegados") is the file's code ("arrived")
                edited["quantity"] = quantity_code(typed)
            except ValueError:  # the check below refuses it, listing the names a user may type
                pass
            candidate = draft = {**row, **edited}
        if choice in ("a", "e"):
            try:
                # the file keeps the scenario's identifier of a place typed by any of its names
                place = check_against(candidate, scenario, where, typed=typed)
            except CaravanaError as exc:
                typer.echo("  " + _("error: {why} — edit or reject it").format(why=_error_text(exc)), err=True)
                continue
            row.update(candidate, place=place, status="edited" if choice == "e" else "accepted")
            return True
