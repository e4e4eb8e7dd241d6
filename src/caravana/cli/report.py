"""``caravana report``: an offline HTML report with PNG figures for a run or an ensemble."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import N_
from .common import LangOpt, _, app, console, require, use_language, user_errors

REPORT_HELP = N_(
    "Write a self-contained HTML report: the key places' briefings first, then timeline, map, places, needs and "
    "outcomes.\n\n"
    "Writes: the HTML page (--out, default report.html in the results folder) and beside it one PNG per figure "
    "(report_timeline.png, report_map.png, report_places.png, report_needs.png, report_outcomes.png); with --pdf "
    "FILE, the same page printed to A4 pages."
)


@app.command(help=REPORT_HELP)
def report(
    run: Annotated[str, typer.Argument(help=N_("A results folder (a run or an ensemble) or a catalogue run id."))],
    out: Annotated[
        Path | None,
        typer.Option(
            help=N_("The HTML file to write (default: report.html in the results folder); the PNG figures go beside it.")
        ),
    ] = None,
    scenario: Annotated[
        str | None, typer.Option(help=N_("The scenario, for the map, if the catalogue does not know it."))
    ] = None,
    observations: Annotated[
        Path | None,
        typer.Option(help=N_("An observations CSV to draw as points (the built-in corridor uses its 2018 reports).")),
    ] = None,
    day: Annotated[
        str | None, typer.Option(help=N_("The map's day: a day number or a date (default: the last day)."))
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option(help=N_("Also print the report to this PDF file, on A4 pages (needs Chromium)."))
    ] = None,
    lang: LangOpt = None,
) -> None:
    with user_errors():
        lang = use_language(lang).code
        require("report", "matplotlib")
        from ..report import build_report  # Matplotlib loads only when a report is made

        if pdf is not None:
            from ..briefing.pdf import find_browser, html_to_pdf  # brief --pdf's printer

            find_browser()  # no Chromium: say so before any work
        written = build_report(run, out, scenario=scenario, observations=observations, day=day, lang=lang)
        if pdf is not None:  # the page is self-contained (inline figures): print it as written
            written.append(html_to_pdf(written[-1].read_text(encoding="utf-8"), pdf))
    for path in written:
        console.print(_("wrote {path}").format(path=path))
