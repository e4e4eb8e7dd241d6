"""The interface every behaviour module implements.

A behaviour is one mechanism (spawning, closures, movement, detention...). The
simulation calls ``init`` once, then ``step`` once a day, in a fixed order. Each
behaviour gets its own random stream in ``self.rng``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ..results.declared import Declared, ResultArray

if TYPE_CHECKING:
    import pyarrow as pa

if TYPE_CHECKING:
    from .simulation import Simulation


class Behaviour:
    name: ClassVar[str] = "behaviour"
    # The arrays this behaviour produces (see caravana.results.declared): a run folder, an
    # ensemble, the dashboard's API and the report take each of them with no other code.
    declares: ClassVar[tuple[Declared, ...]] = ()
    # True if a step leaves ``sim.place_status_counts()`` right: it changes nobody's place or
    # status, or updates those counts as it does. Otherwise they are recounted when next asked.
    keeps_counts: ClassVar[bool] = False
    # False if a step changes nobody's place or status and spawns nobody (it reads people, or
    # changes other fields): a count made before it still holds after it (``Simulation.day_flows``).
    moves_people: ClassVar[bool] = True
    # The engine's optional per-person fields this behaviour reads or writes
    # (caravana.engine.population.OPTIONAL_FIELDS); a run allocates only those its behaviours name.
    uses: ClassVar[tuple[str, ...]] = ()
    rng: np.random.Generator

    def init(self, sim: Simulation) -> None:
        """Set up state before day 0 (register population fields, pre-fill places)."""

    def step(self, sim: Simulation) -> None:
        """Advance this mechanism by one day (``sim.day``)."""
        raise NotImplementedError

    def arrays(self, sim: Simulation) -> dict[str, ResultArray]:
        """The values of every declared result, for the days run so far (name -> array)."""
        return {}

    def outputs(self, sim: Simulation) -> dict[str, pa.Table]:
        """Tables this behaviour adds to the results (name -> table), e.g. a caravan log."""
        return {}
