"""``caravana brief PLACE SOURCE``: a place's briefing, in the terminal, as HTML or as a one-page PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import N_
from .common import LangOpt, app, console, use_language, user_errors

BRIEF_HELP = N_(
    "A place's briefing: arrival window, people at the peak with its range, days above half the peak, people-days, "
    "departures, needs (Sphere standards) and the reports nearby.\n\n"
    "Writes: nothing but the summary on the terminal, unless --pdf FILE (one A4 page) or --html FILE (the same page "
    "as HTML) is given."
)


@app.command(help=BRIEF_HELP)
def brief(
    place: Annotated[str, typer.Argument(help=N_("The place, e.g. Juchitán, Tijuana El Chaparral, 'Ciudad de México'."))],
    source: Annotated[Path, typer.Argument(help=N_("A run, ensemble or forecast folder."))],
    lang: LangOpt = None,
    pdf: Annotated[Path | None, typer.Option(help=N_("Also write this one-page A4 PDF (needs Chromium)."))] = None,
    html: Annotated[Path | None, typer.Option(help=N_("Also write the briefing as this self-contained HTML page."))] = None,
) -> None:
    from ..briefing import page
    from ..briefing.sources import briefing
    from ..briefing.text import summary
    from ..results.io import atomic_write_text

    with user_errors():
        language_ = use_language(lang)
        b = briefing(source, place)
        console.print(summary(b, language_))
        written = []
        if html is not None:
            atomic_write_text(html, page(b, language_))
            written.append(html)
        if pdf is not None:
            from ..briefing.pdf import html_to_pdf

            written.append(html_to_pdf(page(b, language_), pdf))
    for path in written:
        console.print(language_._("wrote {path}").format(path=path))
