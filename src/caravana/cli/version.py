"""``caravana --version`` (``-V``): the installed package's version, one line.

The console script answers it before loading Typer or any command (:func:`caravana.cli.main`);
the root option (:func:`caravana.cli.common.root`) gives the same line through the app, and
lists it on ``caravana --help``. Neither imports the engine.
"""

from __future__ import annotations

FLAGS = ("--version", "-V")


def version_line() -> str:
    """``caravana X.Y.Z``: the version pip installed (importlib.metadata), else, when the source
    is run without installing it, the one in :mod:`caravana._version` (which pyproject.toml reads)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("caravana")
    except PackageNotFoundError:
        from .._version import __version__ as number
    return f"caravana {number}"
