"""Behaviour modules: one mechanism each, stepped daily in a fixed order."""

from __future__ import annotations

from ..engine.behaviour import Behaviour
from ..scenario.schema import Scenario
from .closures import Closures
from .conflicts import ConflictEvents
from .flee_movement import FleeMovement
from .flows import PlaceFlows
from .spawning import FleeSpawning


def default_behaviours(scenario: Scenario) -> list[Behaviour]:
    """Flee's daily order: conflicts change, people spawn, closures apply, people move.

    A scenario with a ``corridor`` section gets the corridor behaviours instead
    (see ``behaviours/corridor``). Either way, arrivals and departures per place are
    counted last, on each day's final state (``flows``).
    """
    if scenario.corridor is not None:
        from .corridor import corridor_behaviours

        return [*corridor_behaviours(scenario), PlaceFlows()]
    return [ConflictEvents(), FleeSpawning(), Closures(), FleeMovement(), PlaceFlows()]


__all__ = ["Behaviour", "Closures", "ConflictEvents", "FleeMovement", "FleeSpawning", "PlaceFlows", "default_behaviours"]
