"""``caravana brief PLACE SOURCE``: a place's briefing, in the terminal, as HTML or as a one-page PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import LangOpt, app, console, use_language, user_errors


@app.command()
def brief(
    place: Annotated[str, typer.Argument(help="The place, e.g. Juchitán, Tijuana El Chaparral, 'Ciudad de México'.")],
    source: Annotated[Path, typer.Argument(help="A run, ensemble or forecast folder.")],
    lang: LangOpt = None,
    pdf: Annotated[Path | None, typer.Option(help="Also write this one-page A4 PDF (needs Chromium).")] = None,
    html: Annotated[Path | None, typer.Option(help="Also write the briefing as this self-contained HTML page.")] = None,
) -> None:
    """A place's briefing: arrival window, people at the peak with its range, days above half
    the peak, people-days, departures, needs (Sphere standards) and the reports nearby.

    Writes: nothing but the summary on the terminal, unless --pdf FILE (one A4 page) or
    --html FILE (the same page as HTML) is given."""
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
