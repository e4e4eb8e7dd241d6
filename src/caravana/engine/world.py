"""The world a scenario compiles to, once: its network, its places with their
metadata, and each caravan's road with its geometry.

Everything that needs a place's coordinates or a caravan's road reads them here:
the caravans as they walk, the caravan log, ensembles and forecasts, observations,
the dashboard's map and the report. A run folder stores :meth:`World.geography`, so
it can be drawn without its scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..scenario.schema import Scenario
from .itinerary import Itinerary
from .network import Network

if TYPE_CHECKING:  # a Flee run loads no corridor model (caravana.scenario.schema)
    from ..scenario.corridor import CaravanSpec


def caravan_specs(scenario: Scenario) -> list[CaravanSpec]:
    """The declared caravans, then the groups that split off them at a set place, then
    those that may split off at a fork (each a caravan of its own), in the order the
    caravans behaviour numbers them."""
    if scenario.corridor is None:
        return []
    declared = list(scenario.corridor.caravans)
    splits = [group for spec in declared for group in spec.split_groups()]
    at_forks = [group for spec in declared for group in spec.choice_groups()]
    return declared + splits + at_forks


@dataclass(frozen=True)
class World:
    network: Network
    itineraries: dict[str, Itinerary]  # caravan name -> its road, split groups included
    places: tuple[dict[str, Any], ...]  # name, lat, lon, type, country, capacity
    specs: list[CaravanSpec] = field(default_factory=list)  # the caravans, for the roads at their forks

    @classmethod
    def of(cls, scenario: Scenario) -> World:
        network = Network.from_scenario(scenario)
        specs = caravan_specs(scenario)
        itineraries = {spec.name: Itinerary.build(network, spec) for spec in specs}
        places = tuple(
            {"name": loc.name, "lat": loc.lat, "lon": loc.lon, "type": str(loc.type), "country": loc.country,
             "capacity": loc.capacity, "population": loc.population}
            for loc in scenario.locations
        )
        return cls(network=network, itineraries=itineraries, places=places, specs=specs)

    def road(self, caravan: str) -> dict[str, list]:
        """A caravan's road for a map: places, km from the origin, lat, lon."""
        return self._drawn(self.itineraries[caravan])

    def _drawn(self, path: Itinerary) -> dict[str, list]:
        net = self.network
        return {
            "places": [net.names[p] for p in path.places],
            "km": [float(k) for k in path.km],
            "lat": [float(net.lat[p]) for p in path.places],
            "lon": [float(net.lon[p]) for p in path.places],
        }

    def with_roads(self, roads: dict[str, Itinerary]) -> World:
        """This world with some caravans' roads replaced (a road extended at a fork during a run):
        a new object, so the world the run's clones share is never changed."""
        return replace(self, itineraries={**self.itineraries, **roads})

    def fork_roads(self, specs: list[CaravanSpec]) -> dict[str, dict[str, dict[str, list]]]:
        """For each caravan with destinations to choose from, the road it would take from its first
        fork (its itinerary's last place) to each destination it can reach (the shortest road of its
        modes, as the assembly's choice takes it): what the map may draw beyond the fork."""
        from .roads import road_to, shortest_roads

        out: dict[str, dict[str, dict[str, list]]] = {}
        net = self.network
        for spec in specs:
            if not spec.destinations or spec.name not in self.itineraries:
                continue
            path = self.itineraries[spec.name]
            j = int(path.index_of(net.index(spec.itinerary[-1])))  # the first fork, on a road extended or not
            here = int(path.places[j])
            dist, pred = shortest_roads(net, spec.modes, here, path.places[:j])
            out[spec.name] = {
                dest: self._drawn(path.extended(net, spec, j, road_to(pred, here, net.index(dest))))
                for dest in spec.destinations
                if net.index(dest) != here and np.isfinite(dist[net.index(dest)])
            }
        return out

    def geography(self) -> dict[str, Any]:
        """``{"places": [...], "routes": [[i, j], ...], "itineraries": {caravan: road},
        "fork_roads": {caravan: {destination: road}}}`` (JSON). ``itineraries`` holds the roads as
        this world has them (a run's world: as extended at the forks it met); ``fork_roads`` the
        roads from each caravan's first fork to each of its destinations."""
        net = self.network
        routes = sorted({tuple(sorted((int(a), int(b)))) for a, b in zip(net.src, net.dst)})
        return {
            "places": [dict(p) for p in self.places],
            "routes": [list(r) for r in routes],
            "itineraries": {name: self.road(name) for name in self.itineraries},
            "fork_roads": self.fork_roads(self.specs),
        }
