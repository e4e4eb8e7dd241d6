"""Ensembles: many runs of one scenario with seeds from one root seed, reduced to
quantiles, on in-process, local-process or Dask backends.

- ``backends``: where members run (``get_backend``), with worker-death recovery
- ``members``:  one member's run, reduced to compact arrays; member seeds
- ``reduce``:   quantiles per place, status and day (and of needs, caravan positions)
- ``outcomes``: per-member arrival days and final totals, and their distribution
- ``store``:    the on-disk layout, written atomically with ``ensemble.json`` last
- ``runner``:   ``run_ensemble`` and ``EnsembleResult``
"""

from .backends import Backend, get_backend
from .members import member_seeds
from .reduce import QUANTILE_COLUMNS, QUANTILES
from .runner import EnsembleResult, run_ensemble

__all__ = [
    "QUANTILES",
    "QUANTILE_COLUMNS",
    "Backend",
    "EnsembleResult",
    "get_backend",
    "member_seeds",
    "run_ensemble",
]
