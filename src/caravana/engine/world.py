"""The world a scenario compiles to, once: its network, its places with their
metadata, and each caravan's road with its geometry.

Everything that needs a place's coordinates or a caravan's road reads them here:
the caravans as they walk, the caravan log, ensembles and forecasts, observations,
the dashboard's map and the report. A run folder stores :meth:`World.geography`, so
it can be drawn without its scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..scenario.corridor import CaravanSpec
from ..scenario.schema import Scenario
from .itinerary import Itinerary
from .network import Network


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

    @classmethod
    def of(cls, scenario: Scenario) -> World:
        network = Network.from_scenario(scenario)
        itineraries = {spec.name: Itinerary.build(network, spec) for spec in caravan_specs(scenario)}
        places = tuple(
            {"name": loc.name, "lat": loc.lat, "lon": loc.lon, "type": str(loc.type), "country": loc.country,
             "capacity": loc.capacity, "population": loc.population}
            for loc in scenario.locations
        )
        return cls(network=network, itineraries=itineraries, places=places)

    def road(self, caravan: str) -> dict[str, list]:
        """A caravan's road for a map: places, km from the origin, lat, lon."""
        path, net = self.itineraries[caravan], self.network
        return {
            "places": [net.names[p] for p in path.places],
            "km": [float(k) for k in path.km],
            "lat": [float(net.lat[p]) for p in path.places],
            "lon": [float(net.lon[p]) for p in path.places],
        }

    def geography(self) -> dict[str, Any]:
        """``{"places": [...], "routes": [[i, j], ...], "itineraries": {caravan: road}}`` (JSON)."""
        net = self.network
        routes = sorted({tuple(sorted((int(a), int(b)))) for a, b in zip(net.src, net.dst)})
        return {
            "places": [dict(p) for p in self.places],
            "routes": [list(r) for r in routes],
            "itineraries": {name: self.road(name) for name in self.itineraries},
        }
