"""``caravana serve``: the offline web dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..dashboard import DEFAULT_HOST, DEFAULT_PORT
from ..i18n import N_, chosen
from .common import LangOpt, _, app, console, require, speaking, use_language, user_errors

SERVE_HELP = N_(
    "Serve the dashboard: place briefings, map, per-place bands, needs, scenario runner and a JSON API.\n\n"
    "Writes: only the runs started from the page, each in a folder under --workspace (as caravana run --out writes "
    "it); the result folders given are read, never changed."
)


@app.command(help=SERVE_HELP)
def serve(
    results: Annotated[list[Path] | None, typer.Argument(
        help=N_("Result folders to show: run folders (caravana run --out) or ensemble folders."))] = None,
    host: Annotated[str, typer.Option(help=N_("Address to listen on. The default serves this machine only; "
                                      "0.0.0.0 opens the dashboard to the network."))] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=0, max=65535, help=N_("Port (0: any free port)."))] = DEFAULT_PORT,
    workspace: Annotated[Path, typer.Option(help=N_("Folder for runs started from the dashboard."))] = Path("caravana-runs"),
    catalogued: Annotated[int, typer.Option(min=0, help=N_("Also list this many of the newest runs and ensembles of "
                                            "the results catalogue (0: none)."))] = 20,
    lang: LangOpt = None,
) -> None:
    with user_errors():
        use_language(lang)  # of these lines; the page picks its own (?lang=, else the browser's)
        require("dashboard", "fastapi", "uvicorn", "multipart")
        from ..dashboard.serving import build_server, url_of  # FastAPI loads only for this command

        server, sock = build_server(workspace, results or [], host=host, port=port, catalogued=catalogued)
    url = url_of(sock)
    # The page follows the browser's language; a language chosen here (--lang, $CARAVANA_LANG, the
    # locale's) goes into the address printed, so the link opened is in it even from an English browser.
    page = f"{url}?lang={speaking().code}" if lang or chosen() else url
    typer.echo(_("caravana dashboard on {page}  (API: {url}openapi.json; Ctrl+C stops)").format(page=page, url=url))
    if host not in (DEFAULT_HOST, "localhost", "::1"):
        console.print(_("[yellow]warning:[/] listening on {host}: other machines on the network can reach it").format(
            host=escape(host)), markup=True)
    server.run(sockets=[sock])
