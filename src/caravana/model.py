"""The model: a scenario's world with the behaviours it runs with.

The engine steps whatever behaviours it is given and knows none of them; the
behaviours know the engine. This module, above both, picks the behaviours for a
scenario (Flee's rules, or the corridor's when the scenario has a ``corridor``
section) and builds the simulation; the API, the CLI, ensembles, forecasts and the
dashboard start runs through it.
"""

from __future__ import annotations

from .behaviours import default_behaviours
from .engine.simulation import Simulation
from .scenario.schema import Scenario


def simulation(scenario: Scenario, *, seed: int | None = None, days: int | None = None) -> Simulation:
    """A simulation of ``scenario`` with its default behaviours, ready to run."""
    return Simulation(scenario, default_behaviours(scenario), seed=seed, days=days)


__all__ = ["simulation", "default_behaviours", "Simulation"]
