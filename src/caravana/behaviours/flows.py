"""People arriving at and leaving each place: cumulative counts per place and day.

What a shelter or a town hall reports besides the head-count: how many have arrived by
a date, how many have left. Definitions, on the same head-count as ``present``
(people staying at a place tonight: resting, waiting for papers, or arrived at the
border; ``engine.status.STAYING``):

- an *arrival* at a place: someone staying there tonight who was not staying there
  last night, and who existed last night (people spawned at a place, e.g. joiners or
  Flee's new displaced, are there already: they are not arrivals);
- a *departure* from a place: someone staying there last night who is not staying
  there tonight, whatever took them away (moved on, detained, deported, returned,
  crossed, settled, died).

So for every place and day: present = spawned there and staying + arrivals -
departures, summed over the days (``tests/test_flows.py`` checks it). Someone who
passes through a place within one day, without a night there, neither arrives nor
leaves it. Stepped after every other behaviour, it sees each day's final state.

The flows are found in the engine's one counting pass a day (``Simulation.day_flows``,
``engine.counting``), not by a pass of their own; on a Flee day, by the movement kernel as
it moves each person (``Simulation.flows_for_mover``).
"""

from __future__ import annotations

import numpy as np

from ..engine.behaviour import Behaviour
from ..results.declared import Declared, ResultArray


class PlaceFlows(Behaviour):
    name = "place_flows"
    keeps_counts = True  # reads places and statuses only
    moves_people = False
    declares = (
        Declared("arrivals", ("day", "place"), "int64", "quantiles",
                 "cumulative arrivals: people who came from elsewhere to stay at the place, by the end of the day"),
        Declared("departures", ("day", "place"), "int64", "quantiles",
                 "cumulative departures: people who stayed at the place and left it (or were detained, "
                 "crossed, returned... there), by the end of the day"),
    )

    def init(self, sim) -> None:
        shape = (sim.days, sim.network.n_places)
        self.arrivals = np.zeros(shape, dtype=np.int64)
        self.departures = np.zeros(shape, dtype=np.int64)
        sim.track_flows()

    def step(self, sim) -> None:
        d = sim.day
        arrivals, departures = sim.day_flows()
        if d > 0:
            np.add(self.arrivals[d - 1], arrivals, out=self.arrivals[d])
            np.add(self.departures[d - 1], departures, out=self.departures[d])
        else:
            self.arrivals[d] = arrivals
            self.departures[d] = departures

    def arrays(self, sim) -> dict[str, ResultArray]:
        days = sim.day
        return {"arrivals": ResultArray(self.declares[0], self.arrivals[:days]),
                "departures": ResultArray(self.declares[1], self.departures[:days])}
