"""Ending a finished command's process without Python's teardown.

When a command has written, printed and catalogued everything, CPython still finalises
the interpreter: it frees every module and object one by one (Numba's compiler and LLVM,
pyarrow, pydantic's schemas). For ``caravana run`` that is about 0.25 s of CPU, a sixth
of the whole command, spent on memory the operating system takes back at once anyway.
:func:`exit_now` runs what libraries asked to run at exit (``atexit``: logging's flush,
temporary folders' clean-up, ...), flushes the standard streams and ends the process with
the command's exit code, skipping only that freeing. While another (non-daemon) thread
still runs, the process exits the usual way, which waits for it.

A command ended by Ctrl+C says so (:func:`said_if_interrupted`): Typer ends it with code 130
and no word, and a library may swallow the KeyboardInterrupt and fail its own way
(:func:`watch_ctrl_c`).
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from typing import NoReturn

# The commands that end this way: their work is all done when the app returns.
QUICK_EXIT = frozenset({"run", "validate"})
INTERRUPTED = 130  # Ctrl+C: Typer ends the command with this code, silently
INPUT_ENDED = 1  # a review whose answers ran out with rows pending: a script can tell it from a finished one
_ctrl_c: list[bool] = []


def watch_ctrl_c() -> None:
    """Remember a Ctrl+C even when a library swallows its KeyboardInterrupt: Numba's compiler
    (a first run compiles kernels) gets it in a ctypes callback, prints "Exception ignored" and
    then fails with its own error ("no compiled object yet"). Ctrl+C still raises KeyboardInterrupt;
    a SIGINT the process was told to ignore stays ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(signum, frame) -> None:
    _ctrl_c.append(True)
    signal.default_int_handler(signum, frame)


def was_interrupted() -> bool:
    return bool(_ctrl_c)


def raise_if_interrupted() -> None:
    """Raise the KeyboardInterrupt of a Ctrl+C a library swallowed and then carried on after.
    Numba's compiler gets it in a ctypes callback of llvmlite ("Exception ignored ...
    KeyboardInterrupt"; 6 of 28 tries of session 21 in a pseudo-terminal); mostly it then fails
    ("no compiled object yet", said as an interruption), but when its compile goes on, the forecast
    ran to its end and wrote its results (1 of 6 tries of session 20's walk).
    Called on each step of a command's progress (:func:`caravana.cli.common.progress_bar`)."""
    if _ctrl_c:
        raise KeyboardInterrupt


def said_if_interrupted(code: int, after: Exception | None = None) -> int:
    """Say on stderr that Ctrl+C stopped the command (Typer says nothing: the progress bar
    just stops); return ``code``. ``after``: the error raised once the Ctrl+C had been
    swallowed (Numba's "no compiled object yet"), named so that a real bug raised after a
    Ctrl+C is not reported as a mere interruption."""
    if code == INTERRUPTED:
        from ..errors import one_line
        from .common import _reader

        _ = _reader()._
        said = _("interrupted (Ctrl+C)")
        if after is not None:
            error = one_line(f"{type(after).__name__}: {after}" if str(after) else type(after).__name__, 120)
            said = _("interrupted (Ctrl+C); then: {error}").format(error=error)
        print(said, file=sys.stderr, flush=True)
    return code


def exit_code(exc: SystemExit) -> int:
    """The exit status Python gives ``exc`` (printing a message code, as Python does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` after the ``atexit`` functions, skipping the teardown."""
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: Python's own exit would not print either
            pass
    os._exit(code)
