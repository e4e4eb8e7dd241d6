"""caravana: simulate and forecast migrant caravans and transit migration."""

from ._version import __version__
from .api import run
from .engine.simulation import Simulation
from .model import simulation
from .engine.status import Status
from .errors import CaravanaError, ScenarioError, ScenarioWarning
from .results.results import Results
from .scenario.load import builtin_names, load_scenario
from .scenario.schema import Scenario

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
