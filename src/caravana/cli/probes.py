"""Two probes for optional packages that libraries run on first use, skipped in the
``caravana`` process because caravana never needs what they look for.

- Numba, on its first compiled call, imports SciPy's linear algebra to learn whether
  ``np.dot`` and friends can be compiled (0.2-0.5 s when SciPy is installed). caravana's
  kernels use no linear algebra.
- pyarrow, on its first ``pa.array``, imports pandas to learn whether it was handed a
  pandas object (0.2-0.5 s when pandas is installed). caravana hands it NumPy arrays
  and lists only, and never converts to pandas.

On a core install neither SciPy nor pandas is there and both probes fail at once; with
the extras installed, the probes run here with those imports refused, so each library
records "not available" for this process. The refusals are lifted right after: a later
``import scipy.linalg`` or ``import pandas`` in the process works as usual (only
pyarrow's ``to_pandas`` and Numba's ``np.dot`` stay off). Only :func:`caravana.cli.main`
(the console script) calls this, and only for commands that simulate; a program that
imports caravana as a library keeps both probes.
"""

from __future__ import annotations

import sys
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


def skip_unused_probes() -> None:
    """Run Numba's BLAS probe and pyarrow's pandas probe now, with both imports refused."""
    with refused("scipy.linalg.cython_blas", "pandas"):
        import numba.np.arraymath  # noqa: F401  (runs numba.np.linalg.ensure_blas once)
        import pyarrow as pa

        pa.array([0])  # the first pa.array tries pandas once and remembers the answer


def command_of(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)
