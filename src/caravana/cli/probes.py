"""A probe for an optional package that pyarrow runs on first use, skipped in the
``caravana`` process because caravana never needs what it looks for.

pyarrow, on its first ``pa.array``, imports pandas to learn whether it was handed a
pandas object (0.2-0.5 s when pandas is installed). caravana hands it NumPy arrays
and lists only, and never converts to pandas.

On a core install pandas is not there and the probe fails at once; with the extras
installed, the probe runs here with the import refused, so pyarrow records "not
available" for this process. The refusal is lifted right after: a later ``import pandas``
in the process works as usual (only pyarrow's ``to_pandas`` stays off). Only
:func:`caravana.cli.main` (the console script) calls this, and only for commands that
simulate; a program that imports caravana as a library keeps the probe.

Numba, as it is imported, imports SciPy when it is installed, only to check its version:
it is imported here with SciPy refused as well (a later ``import scipy`` works as usual).

pyarrow, as it is imported, imports cloudpickle when it is installed (its pickler for Python
objects inside Arrow data: extension types, user functions), and ``pyarrow.parquet`` loads the
remote filesystems (S3, Azure, GCS, HDFS) and their atexit hooks: 5-10 ms of a Flee run's CPU.
caravana writes local files of plain columns, so they are refused the same way: in this
process pyarrow pickles with the standard pickle and reports those filesystems as not built
(``import cloudpickle`` still works, for Dask). ``run`` and ``validate`` do not import
``pyarrow.parquet`` at all (nor ``pyarrow.fs``): a run writes its Parquet files with pyarrow's
writer itself (:mod:`caravana.results.parquet`).

For ``run`` and ``validate`` of a Flee scenario, Flee's kernels are compiled ahead of time if
they are not yet for this source (:func:`kernels_for`): once, and a Flee run imports no Numba
from then on.

(Numba's BLAS probe, which imports SciPy's linear algebra, was skipped here too. It runs
when Numba's compiler loads its rules, and kernels found in the cache are now loaded
without them (:mod:`caravana.engine.jit`), so it runs only when kernels are compiled.)
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.abc import MetaPathFinder

# The commands that load Numba's kernels and write results with pyarrow anyway.
SIMULATING = frozenset({"run", "validate", "ensemble", "compare", "calibrate", "forecast"})


class _Refuse(MetaPathFinder):
    """An import finder that reports ``names`` as not installed."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@contextmanager
def refused(*names: str) -> Iterator[None]:
    """Within the block, importing any of ``names`` (not yet imported) fails as if absent."""
    finder = _Refuse({n for n in names if n not in sys.modules})
    # A None entry stops a dotted import before its parent packages load (for
    # scipy.linalg.cython_blas: without importing scipy.linalg, the costly part).
    blocked = [n for n in finder.names if "." in n]
    for n in blocked:
        sys.modules[n] = None  # type: ignore[assignment]
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for n in blocked:
            if sys.modules.get(n, 0) is None:
                del sys.modules[n]


def kernels_ahead_of_time():
    """Flee's kernels compiled ahead of time for this source (:func:`caravana.engine.aot.ensure`),
    built now if they are missing, saying so on stderr in the command's language; None if they
    cannot be (then Numba's kernels serve)."""
    import typer

    from ..engine import aot
    from .common import _

    def building() -> None:
        typer.echo(_("compiling Flee's kernels ahead of time, once for this version (5-20 s)"), err=True)

    def waiting() -> None:
        typer.echo(_("waiting for another caravana to finish compiling Flee's kernels..."), err=True)

    def failed(reason: str) -> None:
        typer.echo(f"{_('warning')}: " + _("Flee's kernels could not be compiled ahead of time ({reason}): "
                                           "Numba's kernels are used (to try again: {python} -m caravana.engine.aot)")
                   .format(reason=reason, python=sys.executable), err=True)

    return aot.ensure(building, failed, waiting)


def skip_unused_probes(*, kernels_later: bool = False) -> None:
    """Run pyarrow's pandas probe now, with the import refused; import Numba with SciPy
    refused too (Numba imports SciPy only to check its version, 10-20 ms), unless Flee's
    kernels were compiled ahead of time: then a Flee run needs no Numba.

    With ``kernels_later`` (``run`` and ``validate``), Numba waits until the command has read
    its scenario (:func:`kernels_for`): a Flee scenario then has Flee's kernels built ahead of
    time if they are not yet, a corridor (whose own kernels are Numba's) does not."""
    with refused("pandas", "scipy", *_UNUSED_BY_PYARROW):
        if kernels_later:
            _later[:] = [True]
        else:
            _numba_or_ahead(aot_module())
        import pyarrow as pa

        if not kernels_later:  # `run` and `validate` never import it (caravana.results.parquet)
            import pyarrow.parquet  # noqa: F401 - here, with the remote filesystems refused

        pa.array([0])  # the first pa.array tries pandas once and remembers the answer


# What pyarrow imports as it loads but caravana never uses (see the module's docstring).
_UNUSED_BY_PYARROW = ("cloudpickle", "pyarrow._s3fs", "pyarrow._azurefs", "pyarrow._gcsfs", "pyarrow._hdfs")


def kernels_for(scenario) -> None:
    """Load Numba, or Flee's kernels compiled ahead of time (built now for a Flee scenario,
    one without a corridor, if they are missing), for ``scenario`` (None: as found). Does
    nothing unless :func:`skip_unused_probes` left it for later (the console script's
    ``run`` and ``validate``); must come before the engine's kernels are imported."""
    if not _later:
        return
    _later.clear()
    ahead = kernels_ahead_of_time() if scenario is not None and scenario.corridor is None else aot_module()
    with refused("scipy"):
        _numba_or_ahead(ahead)


def aot_module():
    from ..engine import aot

    return aot.load()


def _numba_or_ahead(ahead) -> None:
    if ahead is None:
        import numba  # noqa: F401
    from ..engine import jit  # which the run imports anyway, to make its kernels

    if ahead is not None:  # Numba, if a kernel not compiled ahead of time needs it, comes later
        jit.import_guard = lambda: refused("scipy")
    jit.on_compile = _say_compiling


def _say_compiling() -> None:
    """A first run's kernels compile for 5-30 s before its first day: say so (once), in the
    command's language, rather than leave the progress bar at 0 without a word."""
    import typer

    from .common import _

    typer.echo(_("preparing (first time: compiling the model, up to 30 s)"), err=True)


_later: list[bool] = []  # set by skip_unused_probes(kernels_later=True)


def no_plugin_lookup() -> None:
    """pydantic's plugin loader (``pydantic.plugin._loader``) imports ``importlib.metadata``
    (and with it email, zipfile, csv: 30 M machine instructions, 5-7 ms of a Flee run's CPU)
    as pydantic builds its first validator, only to be told by ``PYDANTIC_DISABLE_PLUGINS=__all__``
    to look for no plugin. With that setting (the console script's for ``run`` and
    ``validate`` unless the user set another), the loader is a module whose ``get_plugins``
    finds none, which is what pydantic's own returns then."""
    name = "pydantic.plugin._loader"
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") != "__all__" or name in sys.modules:
        return
    loader = types.ModuleType(name, "pydantic's plugin loader with plugins turned off (caravana.cli.probes)")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> (): no plugin
    sys.modules[name] = loader


def one_blas_thread() -> None:
    """Have NumPy's BLAS (OpenBLAS) start no thread pool of its own, unless the user set its
    size: one run makes no matrix products worth a second thread, and the pool's threads,
    started as NumPy is imported, cost CPU time (10-30 ms a process here, more with more
    cores). Must run before NumPy is imported; a later process can set its own."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def command_of(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)
