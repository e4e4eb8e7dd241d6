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
"""

from __future__ import annotations

import numpy as np

from ..engine.behaviour import Behaviour
from ..engine.jit import njit
from ..engine.status import N_STATUS, STAYING
from ..results.declared import Declared, ResultArray

NEW = -2  # a person not seen by the count yet (spawned today)
FIELD = "night_place"  # per person: the place they stayed at last night, -1 none


@njit(nogil=True)
def count_flows(loc, status, staying, last_night, arrivals, departures):
    """Add tonight's arrivals and departures per place; update ``last_night``."""
    for i in range(loc.shape[0]):
        tonight = loc[i] if staying[status[i]] else -1
        before = last_night[i]
        if tonight != before:
            if before >= 0:
                departures[before] += 1
            if tonight >= 0 and before != NEW:
                arrivals[tonight] += 1
            last_night[i] = tonight


class PlaceFlows(Behaviour):
    name = "place_flows"
    keeps_counts = True  # reads places and statuses only
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
        self.staying = np.zeros(N_STATUS, dtype=np.bool_)
        self.staying[[int(s) for s in STAYING]] = True
        if FIELD not in sim.population.fields:
            sim.population.add_field(FIELD, np.int32, NEW)

    def step(self, sim) -> None:
        d = sim.day
        if d > 0:
            self.arrivals[d] = self.arrivals[d - 1]
            self.departures[d] = self.departures[d - 1]
        pop = sim.population
        count_flows(pop.loc, pop.status, self.staying, pop.field(FIELD), self.arrivals[d], self.departures[d])

    def arrays(self, sim) -> dict[str, ResultArray]:
        days = sim.day
        return {"arrivals": ResultArray(self.declares[0], self.arrivals[:days]),
                "departures": ResultArray(self.declares[1], self.departures[:days])}
