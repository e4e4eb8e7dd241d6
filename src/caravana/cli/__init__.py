"""The ``caravana`` command line. Each module here adds its commands to one Typer app;
:func:`main` is the console script.

``from caravana.cli import app`` gives the app with every command. The console script
registers only the module of the command it was given when that module holds several
commands (``caravana run`` loads run, validate, scenarios): the other modules' imports and
Typer's building of their commands cost a ``run`` about 25 ms of CPU (``benchmarks/startup.py``).
Anything else (``--help``, an unknown word, a one-command module, which Typer would
otherwise treat as the whole app) registers them all, as before.
"""

import gc
import importlib
import os
import sys
from typing import Any

from .version import FLAGS as VERSION_FLAGS

__all__ = ["app", "main"]

# Every command module, in the order of `caravana --help`'s list (calibrate imports ensemble).
MODULES = ("brief", "ensemble", "calibrate", "compare", "flee", "forecast", "news", "report", "run", "runs",
           "serve")
# The module of each command name, for the console script's lighter start.
MODULE_OF = {"run": "run", "validate": "run", "scenarios": "run"}


def register(command: str | None = None) -> Any:
    """The app, with ``command``'s module registered (or every module); returns the app."""
    from .common import app

    module = MODULE_OF.get(command or "")
    if module is not None:
        importlib.import_module(f"{__name__}.{module}")
        if len(app.registered_commands) + len(app.registered_groups) > 1:  # Typer keeps a group
            return app
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    # Typer lists commands as they were registered: in MODULES' order, whichever was imported first.
    app.registered_commands.sort(key=lambda info: _place(info.callback))
    app.registered_groups.sort(key=lambda info: _place(next(
        (c.callback for c in getattr(info.typer_instance, "registered_commands", ())), None)))
    return app


def _place(callback: Any) -> int:
    module = getattr(callback, "__module__", "").rpartition(".")[2]
    return MODULES.index(module) if module in MODULES else len(MODULES)


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole app, as the modules that import it expect
        return register()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """``caravana ...``: the app, after skipping a library probe that a simulating
    command does not need (:mod:`caravana.cli.probes`); a finished ``run`` or ``validate``
    ends without Python's teardown (:mod:`caravana.cli.quit`).

    Python's cycle collector is made to run less often: a command's start imports a few
    hundred thousand objects that live as long as the process (modules, classes, pydantic's
    schemas, Numba's types) and makes almost no cyclic garbage, and the collector's passes
    over them cost ``caravana run mali2012`` about 0.1 s of CPU (``benchmarks/startup.py``).
    What is already loaded is set aside for good (``gc.freeze``); the collector still runs,
    after every 100,000 new objects instead of 700. A ``run`` or ``validate`` (one process,
    one scenario) goes further: the collector is off while the command starts (one pass
    over the 100,000 objects its imports make costs 15-30 ms, and finds a few hundred
    cycles) and back on, with all that set aside, when the simulation starts
    (:func:`caravana.cli.common.run_with_progress`)."""
    if sys.argv[1:2] and sys.argv[1] in VERSION_FLAGS:  # nothing else to load for it
        from .version import version_line

        print(version_line())
        return
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    from .probes import SIMULATING, command_of, no_plugin_lookup, one_blas_thread, skip_unused_probes
    from .quit import INTERRUPTED, QUICK_EXIT, exit_code, exit_now, said_if_interrupted, was_interrupted, watch_ctrl_c

    watch_ctrl_c()

    argv = sys.argv[1:]
    command = command_of(argv)
    if command in QUICK_EXIT:
        # pydantic looks for plugins of its own (validation observers) among the entry points of
        # every installed package when it makes its first validator (10-20 ms); caravana uses none.
        # Only for `run` and `validate`, whose start-up this speeds: set in os.environ, it would
        # reach the processes another command starts (Dask's workers, `serve`) and turn off the
        # user's own pydantic plugins there. A value the user set wins.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        no_plugin_lookup()
    if command in QUICK_EXIT and "--help" not in argv:
        gc.disable()
        one_blas_thread()
    if command in SIMULATING and "--help" not in argv:
        skip_unused_probes(kernels_later=command in QUICK_EXIT)

    try:
        app = register(command)
        if command not in QUICK_EXIT:
            try:
                app()
            except SystemExit as exc:
                if exc.code == INTERRUPTED:  # (exit_code would print a message code, which Python prints again)
                    said_if_interrupted(INTERRUPTED)
                raise
            return
        try:
            app()
        except SystemExit as exc:
            exit_now(said_if_interrupted(exit_code(exc)))
        exit_now(0)
    except KeyboardInterrupt:  # while the command's modules load, before Typer's own handling
        raise SystemExit(said_if_interrupted(INTERRUPTED)) from None
    except Exception as exc:
        if was_interrupted():  # a library's own error after it swallowed the Ctrl+C (quit.watch_ctrl_c)
            raise SystemExit(said_if_interrupted(INTERRUPTED, after=exc)) from None
        raise
