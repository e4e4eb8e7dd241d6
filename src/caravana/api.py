"""The few-lines Python API: load a scenario, run it, get results in memory.

>>> import caravana
>>> scenario = caravana.load_scenario("path/to/flee-folder-or-scenario.yml")
>>> results = caravana.run(scenario, seed=3)
>>> results.series("Tapachula")
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .model import simulation
from .results.results import Results
from .scenario.load import load_scenario
from .scenario.schema import Scenario


def run(
    scenario: Scenario | str | Path,
    *,
    seed: int | None = None,
    days: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """Run a scenario (an object, a path or a built-in name) and return its results."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return simulation(scenario, seed=seed, days=days).run(progress=progress)
