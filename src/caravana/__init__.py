"""caravana: simulate and forecast migrant caravans and transit migration.

The names below are imported on first use (PEP 562), so that ``import caravana`` and
``caravana --help`` stay quick: the engine (Numba), pyarrow and pydantic load only when
a scenario is loaded or run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_getattr
from ._version import __version__

_LAZY = {
    "run": ".api",
    "Simulation": ".engine.simulation",
    "simulation": ".model",
    "Status": ".engine.status",
    "CaravanaError": ".errors",
    "ScenarioError": ".errors",
    "ScenarioWarning": ".errors",
    "Results": ".results.results",
    "builtin_names": ".scenario.load",
    "load_scenario": ".scenario.load",
    "Scenario": ".scenario.schema",
}

if TYPE_CHECKING:
    from .api import run
    from .engine.simulation import Simulation
    from .engine.status import Status
    from .errors import CaravanaError, ScenarioError, ScenarioWarning
    from .model import simulation
    from .results.results import Results
    from .scenario.load import builtin_names, load_scenario
    from .scenario.schema import Scenario


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "CaravanaError",
    "Results",
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "Simulation",
    "Status",
    "__version__",
    "builtin_names",
    "load_scenario",
    "run",
    "simulation",
]
