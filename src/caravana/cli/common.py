"""What every command shares: the app, the consoles, the progress bar, and turning
input mistakes into one ``error:`` line (file, row, field), exit code 2, nothing written.
Tracebacks are for bugs only."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from typer.core import TyperGroup

from ..errors import E_, CaravanaError, one_line
from ..i18n import N_

if TYPE_CHECKING:
    from rich.progress import Progress

    from ..engine.simulation import Simulation


@contextmanager
def _one_line_usage_errors(args: list[str]) -> Iterator[None]:
    """A wrong option (``--days abc``) gets the same one ``error:`` line and exit code 2
    as a wrong file, not click's boxed usage message; in the language of ``--lang`` if
    ``args`` hold one (they were not all read)."""
    try:
        yield
    except typer.TyperException as exc:  # typer's own copy of click's ClickException
        if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
            raise
        _suggest_version(exc)
        _language_in(args)
        context = getattr(exc, "ctx", None)
        if getattr(exc, "param", None) is not None and context is not None:
            from .metavars import name_in  # "missing argument 'LUGAR'", as the help page names it

            name_in(context.command, context, _reader())
        typer.echo(f"error: {one_line(in_language(exc.format_message()), 400)}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _suggest_version(exc: Exception) -> None:
    """`caravana -v` (many programs' version option) is told of --version; click suggests only long
    options close to the one typed. Not `caravana run -v`: a command has no --version."""
    from typer._click.exceptions import NoSuchOption

    if (isinstance(exc, NoSuchOption) and exc.option_name == "-v" and not exc.possibilities
            and exc.ctx is not None and exc.ctx.parent is None):
        exc.possibilities = ["--version"]


def _language_in(args: list[str]) -> None:
    """Speak the ``--lang`` of raw command-line ``args``, if a valid one is there."""
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value is not None:
            try:
                use_language(value)
            except CaravanaError:
                pass


class _OneLineErrors(TyperGroup):
    """caravana's command groups: one error line for a usage mistake, and ``--help`` pages
    in the language of the command's messages (:mod:`caravana.cli.help`, imported only then)."""

    def resolve_command(self, ctx, args):
        if ctx.parent is None and args[:1] == ["version"] and self.get_command(ctx, "version") is None:
            ctx.fail(E_("No such command 'version': the version is 'caravana --version'."))  # (click's says only the first)
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and set(rest) & {"--help", *ctx.help_option_names}:
            from .help import translate

            _language_in(list(rest))
            translate(command, ctx)
        return name, command, rest

    def format_help(self, ctx, formatter):
        from .help import translate

        translate(self, ctx)  # the group's own page (`caravana --help`, `caravana news`)
        return super().format_help(ctx, formatter)

    def make_context(self, info_name, args, *rest, **kwargs):
        _speaking.clear()  # a new command (the tests run many in one process): no --lang read yet
        with _one_line_usage_errors(list(args)):
            return super().make_context(info_name, args, *rest, **kwargs)

    def invoke(self, ctx):
        with _one_line_usage_errors([*getattr(ctx, "_protected_args", []), *ctx.args]):
            return super().invoke(ctx)


# every command group under `app` (caravana news ...) uses it too, so its pages are translated
CommandGroup = _OneLineErrors

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, cls=_OneLineErrors,
                  help=N_("Simulate and forecast migrant caravans and transit migration."))


def _show_version(value: bool) -> None:
    if value:
        from .version import version_line

        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def root(version: Annotated[bool, typer.Option(
        "--version", "-V", is_eager=True, callback=_show_version,
        help=N_("Show caravana's version and exit."))] = False) -> None:
    # The app's own options; its help is Typer(help=...)'s above. (The console script answers a
    # leading --version before loading the app: caravana.cli.main.)
    pass


def _console(stderr: bool = False) -> Console:
    """A console with no emoji codes and no markup unless a call asks (``markup=True``, with
    ``rich.markup.escape`` on the values it carries): a name or path holding ``:fire:`` or
    ``[x]`` (a table's cells too) is printed as it is. It highlights numbers and paths only on a
    terminal (elsewhere it changes nothing printed, and compiling its patterns and the emoji
    table cost a run 5 ms of CPU)."""
    console = Console(stderr=stderr, emoji=False, markup=False)
    return console if console.is_terminal else Console(stderr=stderr, emoji=False, markup=False, highlight=False)


console = _console()
err_console = _console(stderr=True)


class FleeRules(str, Enum):
    v31 = "3.1"
    latest = "latest"


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn input mistakes into one error line and exit code 2; show warnings plainly."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except CaravanaError as exc:
            print_warnings(caught)
            # plain echo: one line, never wrapped; a long path may take it past the message limit
            typer.echo(f"error: {one_line(_error_text(exc), 600)}", err=True)
            raise typer.Exit(2) from None
    print_warnings(caught)


def require(extra: str, *modules: str) -> None:
    """Stop with one clear line when an optional dependency of this command is missing."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise CaravanaError(f"this command needs the '{extra}' extra ({', '.join(missing)} not installed): "
                            f"pip install 'caravana[{extra}]'")


def print_warnings(caught) -> None:
    if not caught:
        return
    label = _reader()._("warning")
    from ..i18n.errors import dates_written

    for w in caught:
        typer.echo(f"{label}: {one_line(dates_written(in_language(str(w.message)), w.message, _reader()), 400)}",
                   err=True)


def in_language(text: str) -> str:
    """An English error or warning in the command's language (:mod:`caravana.i18n.errors`)."""
    from ..i18n.errors import translated

    return translated(text, _reader())


def _error_text(exc: CaravanaError) -> str:
    from ..i18n.errors import error_text

    return error_text(exc, _reader())


def _reader():
    """The language to tell a mistake in: the command's, else the preferred one, else
    Spanish (when the mistake is the language asked for)."""
    from ..i18n import DEFAULT, language

    if _speaking:
        return _speaking[0]
    try:
        return language()
    except CaravanaError:
        return language(DEFAULT)


def progress_bar(unit: str | None = None) -> Progress:
    """A bar counting ``unit`` (in the command's language; default: days)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .quit import raise_if_interrupted

    class StopsOnCtrlC(Progress):
        """A bar whose every step first stops the command if a Ctrl+C was swallowed (quit.raise_if_interrupted)."""

        def update(self, *args, **kwargs) -> None:
            raise_if_interrupted()
            super().update(*args, **kwargs)

        def advance(self, *args, **kwargs) -> None:
            raise_if_interrupted()
            super().advance(*args, **kwargs)

    return StopsOnCtrlC(
        TextColumn("{task.description}", style="bold", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit or _("days")),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def run_with_progress(sim: Simulation, label: str, every: int | None = None, state: Path | None = None):
    """Run ``sim`` from its current day to the end; with ``every``, pickle it to ``state``
    every ``every`` days (:mod:`caravana.checkpoint`)."""
    from ..checkpoint import run_simulation  # imports pyarrow: not at --help time

    # The collector, off while a run starts (caravana.cli.main), runs again from here on
    # objects made from now on: everything loaded so far lives as long as the process.
    gc.freeze()
    gc.enable()
    if not err_console.is_terminal:
        # Rich draws no bar where stderr is not a terminal (a pipe, a file, a batch job): then
        # neither is rich.progress loaded nor its refresh thread started (10 ms of a Flee run's CPU).
        return run_simulation(sim, every, state)
    with progress_bar() as progress:
        task = progress.add_task(label, total=sim.days, completed=sim.day)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done)

        return run_simulation(sim, every, state, progress=update)


OptionalScenarioArg = Annotated[str | None, typer.Argument(
    help=N_("A scenario YAML file, a folder, a Flee input folder, or a built-in name (not with --resume)."))]
CheckpointOpt = Annotated[int | None, typer.Option(
    "--checkpoint-every", help=N_("Save the state every this many days into OUT.checkpoint/, to --resume after a crash."))]
ResumeOpt = Annotated[Path | None, typer.Option(
    "--resume", help=N_("Carry on an interrupted run from its checkpoint (its --out folder or OUT.checkpoint)."))]


SetOpt = Annotated[
    list[str] | None, typer.Option("--set", help=N_("Change a setting: path=value (YAML value); repeatable."))
]
ParamsOpt = Annotated[
    Path | None,
    typer.Option("--params", help=N_("Fitted values (the fitted.json `caravana calibrate` writes), applied like "
                                     "--set; --set values win.")),
]
ScenarioArg = Annotated[str, typer.Argument(help=N_("A scenario YAML file, a folder, a Flee input folder, or a built-in name."))]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help=N_("Language of what is printed: es or en (default: $CARAVANA_LANG, else the "
                                   "locale's language if it is Spanish or English, else es).")),
]
_speaking: list = []  # the language this command prints in (one command per process)


def use_language(lang: str | None):
    """The :class:`~caravana.i18n.Language` of ``--lang``, else the preferred one
    (:func:`caravana.i18n.preferred`); the command's messages (:func:`_`) are printed in it
    from now on."""
    from ..i18n import language

    speaker = language(lang)
    _speaking[:] = [speaker]
    return speaker


def speaking():
    """The command's :class:`~caravana.i18n.Language` (for its dates and numbers)."""
    return _speaking[0] if _speaking else use_language(None)


def speak_about(scenario: str) -> None:
    """From now on the command shows the places of ``scenario`` (a key of
    :func:`caravana.scenario.names.names_key`): a user's own scenario's by their identifiers,
    not the built-in scenarios' names ("Cordoba" stays "Cordoba"), even one named "corridor"."""
    _speaking[:] = [speaking().about(scenario)]


def _(message: str) -> str:
    """A message of the command line in the command's language (English before --lang is read)."""
    return _speaking[0]._(message) if _speaking else message


FleeRulesOpt = Annotated[FleeRules, typer.Option("--flee-rules", help=N_("How to read a Flee simsetting.yml."))]
IgnoreUnknownOpt = Annotated[
    bool,
    typer.Option(
        "--ignore-unknown-settings",
        help=N_("Run although simsetting.yml has keys caravana does not implement or know (each listed as a warning)."),
    ),
]


def scenario_overrides(scenario, params: Path | None, settings: list[str] | None) -> dict:
    """The overrides of ``--params FILE`` then ``--set path=value`` (which win), each
    checked against ``scenario``."""
    from ..scenario.overrides import read_fitted

    fitted = read_fitted(params, scenario) if params is not None else {}
    return {**fitted, **parse_settings(settings or [])}


def parse_settings(items: list[str]) -> dict:
    """``path=value`` strings to overrides; values read as YAML scalars (``0.2``, ``true``, ``2018-10-20``)."""
    import yaml

    from ..scenario.tables import parse_yaml_value

    overrides = {}
    for item in items:
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise CaravanaError(f"--set {item!r}: expected path=value, e.g. corridor.caravans[0].pace_km=30")
        try:
            overrides[path.strip()] = parse_yaml_value(text) if text.strip() else None
        except yaml.YAMLError as exc:
            raise CaravanaError(f"--set {item!r}: cannot read the value: {str(exc).splitlines()[0]}") from None
    return overrides
