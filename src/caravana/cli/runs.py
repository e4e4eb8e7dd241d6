"""``caravana runs list | show | export``: the results catalogue from the command line."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ..i18n import N_
from .common import CommandGroup, LangOpt, _, app, console, require, speaking, use_language, user_errors
from .tables import fitting, snug

if TYPE_CHECKING:  # imported where used, so that `caravana --help` starts at once
    from .. import catalogue

runs_app = typer.Typer(no_args_is_help=True, cls=CommandGroup, help=N_(
    "List, show and export catalogued runs (the catalogue is $CARAVANA_HOME/catalogue.sqlite, default ~/.caravana)."))
app.add_typer(runs_app, name="runs")


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    flee = "flee"


RunId = Annotated[str, typer.Argument(help=N_("A run id from 'caravana runs list' (a unique prefix is enough)."))]


def _when(record: catalogue.RunRecord, seconds: bool = True, narrow: bool = False) -> str:
    """When the run was made, in UTC: its day as the reader's language writes dates ("28 nov 2026 15:48");
    ``narrow``, over two lines no wider than an ISO date ("28 nov" over "2026 15:48": the folder keeps the room)."""
    time = record.created.strftime("%H:%M:%S UTC" if seconds else "%H:%M")
    day = record.created.date()
    if narrow:
        return f"{speaking().date(day, year=False)}\n{day.year} {time}"
    return f"{speaking().date(day)} {time}"


def _short(parameters: dict, width: int = 40) -> str:
    text = ", ".join(f"{k}={v}" for k, v in parameters.items())
    return text if len(text) <= width else text[: width - 1] + "…"


@runs_app.command("list", help=N_("List catalogued runs, newest first."))
def list_(
    scenario: Annotated[str | None, typer.Option(help=N_("Only runs of this scenario (name, built-in or path)."))] = None,
    kind: Annotated[str | None, typer.Option(help=N_("Only this kind: run, ensemble, calibration, forecast..."))] = None,
    limit: Annotated[int | None, typer.Option(min=1, help=N_("Show at most this many, newest first."))] = None,
    lang: LangOpt = None,
) -> None:
    from .. import catalogue

    with user_errors():
        use_language(lang)
        records = catalogue.list_runs(scenario=scenario, kind=kind, limit=limit)
    if not records:
        console.print(_("no runs match in {path}").format(path=catalogue.catalogue_path()))
        return
    console.print(fitting(lambda narrow: _runs_table(records, narrow=narrow), console))


def _runs_table(records: list[catalogue.RunRecord], *, narrow: bool) -> Table:
    """The runs, one a row. Short columns as wide as their words, so that in an 80-column terminal
    the room goes to the scenario and the folder (a folder 1 character wide, headings "s / r / e /
    a / l / e / s", session 20's walk H2); narrow, the date goes over the time."""
    from .. import catalogue

    with_parameters = any(r.parameters for r in records)
    table = Table(title=_("runs in {path}").format(path=catalogue.catalogue_path()))
    columns = ["id", "kind", "scenario", "seed", *(["parameters"] if with_parameters else []), "created (UTC)", "wall s",
               "folder"]
    headings = {"id": "id", "kind": _("kind"), "scenario": _("scenario"), "seed": _("seed"), "parameters": _("parameters"),
                "created (UTC)": _("created (UTC)"), "wall s": _("wall s"), "folder": _("folder")}
    for col in columns:
        table.add_column(headings[col], justify="right" if col in ("seed", "wall s") else "left", overflow="fold")
    for r in records:
        cells = [r.id, _kind(r.kind), r.scenario_name or r.scenario, "" if r.seed is None else str(r.seed)]
        if with_parameters:
            cells.append(_short(r.parameters))
        cells += [_when(r, seconds=False, narrow=narrow),
                  "" if r.wall_seconds is None else f"{r.wall_seconds:.2f}", _shown_path(r.path)]
        table.add_row(*cells)
    # the scenario, the parameters and the folder wrap (a path folds); the rest are whole words
    return snug(table, wrapping=[i for i, col in enumerate(columns) if col in ("scenario", "parameters", "folder")])


def _shown_path(path: Path) -> str:
    """A folder under the current one as from here ("corrida"): in an 80-column terminal the whole
    path folded into 10-character pieces ("/tmp/s22us" over "ers/walk/c" over "orrida")."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@runs_app.command(help=N_("Show one run: where it came from, its settings, and its files."))
def show(run_id: RunId, lang: LangOpt = None) -> None:
    from .. import catalogue

    with user_errors():
        use_language(lang)
        r = catalogue.get_run(run_id)
    table = Table(show_header=False, title=_("run {id}").format(id=r.id))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = {
        _("kind"): _kind(r.kind),
        _("scenario"): r.scenario if r.scenario_name in (None, r.scenario) else f"{r.scenario_name} ({r.scenario})",
        _("seed"): "" if r.seed is None else str(r.seed),
        _("created"): _when(r),
        _("wall time"): "" if r.wall_seconds is None else f"{r.wall_seconds:.2f} s",
        "caravana": r.caravana_version,
        _("folder"): str(r.path),
        _("parameters"): json.dumps(r.parameters, indent=1) if r.parameters else _("none"),
        _("metadata"): json.dumps(r.metadata, indent=1) if r.metadata else _("none"),
    }
    for key, value in rows.items():
        table.add_row(key, value)
    console.print(table)
    if not r.path.is_dir():
        console.print(_("the folder {path} no longer exists").format(path=r.path), style="red")
        return
    files = Table(title=_("files in {path}").format(path=r.path))
    files.add_column(_("file"))
    files.add_column(_("bytes"), justify="right")
    for path in sorted(p for p in r.path.iterdir() if not p.name.startswith(".")):
        files.add_row(path.name + ("/" if path.is_dir() else ""), "" if path.is_dir() else f"{path.stat().st_size:,}")
    console.print(files)


@runs_app.command(help=N_("Export a run's results as CSV, Parquet or Flee's out.csv."))
def export(
    run_id: RunId,
    format: Annotated[
        ExportFormat, typer.Option("--format", help=N_("csv or parquet (one table), or flee (Flee's out.csv)."))
    ],
    out: Annotated[Path, typer.Option(help=N_("File to write, or an existing folder to write it in."))],
    table: Annotated[
        str | None, typer.Option(help=N_("Table to export (default: counts, or quantiles for an ensemble)."))
    ] = None,
    lang: LangOpt = None,
) -> None:
    from .. import catalogue

    with user_errors():
        use_language(lang)
        written = catalogue.export_run(catalogue.get_run(run_id), format.value, out, table=table)
    console.print(_("wrote {path}").format(path=written))


# a catalogue row's kind as a user reads it (the catalogue keeps the code; a forecast's posterior is an ensemble)
KINDS = {"run": N_("run"), "ensemble": N_("ensemble")}


def _kind(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


QUERY_HELP = N_(
    "SQL (DuckDB) over the Parquet results of every catalogued run; each view has a run_id column."
)


@runs_app.command(help=QUERY_HELP)
def query(
    sql: Annotated[str, typer.Argument(help=N_("SQL over the views runs, counts, needs, caravans, events, quantiles..."))],
    limit: Annotated[int, typer.Option(min=1, help=N_("Show at most this many rows."))] = 50,
) -> None:
    with user_errors():
        require("query", "duckdb")
        from ..catalogue.query import query as run_query

        columns, rows = run_query(sql)
    table = Table(title=f"{len(rows):,} rows" + (f", first {limit}" if len(rows) > limit else ""))
    for column in columns:
        table.add_column(column)
    for row in rows[:limit]:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
