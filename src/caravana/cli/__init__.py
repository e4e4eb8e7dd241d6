"""The ``caravana`` command line. Each module here adds its commands to one Typer app;
:func:`main` is the console script."""

import sys

from . import (
    brief,  # noqa: F401  (caravana brief)
    calibrate,  # noqa: F401  (registers calibrate)
    compare,  # noqa: F401
    ensemble,  # noqa: F401
    flee,  # noqa: F401  (caravana flee check)
    forecast,  # noqa: F401  (registers forecast)
    news,  # noqa: F401  (caravana news extract|review)
    report,  # noqa: F401  (caravana report)
    run,  # noqa: F401  (registers run, validate, scenarios)
    runs,  # noqa: F401  (caravana runs list|show|export)
    serve,  # noqa: F401  (registers serve)
)
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    """``caravana ...``: the app, after skipping a library probe that a simulating
    command does not need (:mod:`caravana.cli.probes`); a finished ``run`` or ``validate``
    ends without Python's teardown (:mod:`caravana.cli.quit`)."""
    from .probes import SIMULATING, command_of, skip_unused_probes

    argv = sys.argv[1:]
    command = command_of(argv)
    if command in SIMULATING and "--help" not in argv:
        skip_unused_probes()
    from .quit import QUICK_EXIT, exit_code, exit_now

    if command not in QUICK_EXIT:
        app()
        return
    try:
        app()
    except SystemExit as exc:
        exit_now(exit_code(exc))
    exit_now(0)
