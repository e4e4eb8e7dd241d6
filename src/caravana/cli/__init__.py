"""The ``caravana`` command line. Each module here adds its commands to one Typer app;
:func:`main` is the console script."""

import gc
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
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    from .probes import SIMULATING, command_of, one_blas_thread, skip_unused_probes
    from .quit import QUICK_EXIT, exit_code, exit_now

    argv = sys.argv[1:]
    command = command_of(argv)
    if command in QUICK_EXIT and "--help" not in argv:
        gc.disable()
        one_blas_thread()
    if command in SIMULATING and "--help" not in argv:
        skip_unused_probes()

    if command not in QUICK_EXIT:
        app()
        return
    try:
        app()
    except SystemExit as exc:
        exit_now(exit_code(exc))
    exit_now(0)
