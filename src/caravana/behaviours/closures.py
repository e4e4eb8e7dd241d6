"""Closures in time windows (Flee's closures.csv): borders, places, links and camps.

On its ``start`` day a closure shuts its links (people on them turn back when they
reach the end, as in Flee); on its ``end`` day it reopens them. Flee 3.1 closes
only one direction of a ``link`` closure (a bug in ``remove_link``); here both close.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..engine.behaviour import Behaviour
from ..scenario.schema import Closure


class Closures(Behaviour):
    name = "closures"
    keeps_counts = True  # links only (and who turns back); places and statuses stay
    moves_people = False
    uses = ("bounce",)  # people on a link that closes turn back (FleeMovement reads it)

    def init(self, sim) -> None:
        self.by_day: dict[int, list[tuple[Closure, bool]]] = defaultdict(list)
        for closure in sim.scenario.closures:
            # Flee checks the start day first, then the end day, for each closure in turn.
            self.by_day[closure.start].append((closure, True))
            self.by_day[closure.end].append((closure, False))

    def _links(self, sim, closure: Closure) -> np.ndarray:
        net = sim.network
        if closure.kind == "country":
            a = net.countries.index(closure.name1)
            b = net.countries.index(closure.name2)
            cs, cd = net.country_id[net.src], net.country_id[net.dst]
            return np.flatnonzero(((cs == a) & (cd == b)) | ((cs == b) & (cd == a)))
        if closure.kind == "location":
            place = net.index(closure.name1)
            return np.flatnonzero((net.src == place) | (net.dst == place))
        if closure.kind == "link":
            a, b = net.index(closure.name1), net.index(closure.name2)
            return np.flatnonzero(((net.src == a) & (net.dst == b)) | ((net.src == b) & (net.dst == a)))
        return np.empty(0, dtype=np.int64)

    def step(self, sim) -> None:
        rules = sim.scenario.settings.movement
        for closure, closing in self.by_day.get(sim.day, ()):
            if closure.kind in ("camp", "idpcamp"):
                place = sim.network.index(closure.name1)
                if closing:
                    sim.places.close_camp(place, rules)
                else:
                    sim.places.open_camp(place, rules, idp=closure.kind == "idpcamp")
                continue
            if closure.kind == "remove_forced_redirection":
                continue  # Flee 3.1 stores the flag but no rule reads it
            links = self._links(sim, closure)
            if closing:
                newly_closed = links[sim.links.open[links]]
                sim.links.set_open(links, False)
                pop = sim.population
                pop.bounce[np.isin(pop.link, newly_closed)] = True
            else:
                sim.links.set_open(links, True)
