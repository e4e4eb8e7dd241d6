"""What the map needs to know about a scenario: where its places are, which routes join
them, and each caravan's planned road with km from its origin (to draw the column's
head-to-tail stretch along the road rather than as a straight line)."""

from __future__ import annotations

from typing import Any

from ..behaviours.corridor.caravan import Itinerary
from ..engine.network import Network
from ..scenario.schema import Scenario


def geography_of(scenario: Scenario) -> dict[str, Any]:
    """``{"places": [...], "routes": [[i, j], ...], "itineraries": {caravan: {places, km, lat, lon}}}``."""
    places = [
        {"name": loc.name, "lat": loc.lat, "lon": loc.lon, "type": str(loc.type), "country": loc.country,
         "capacity": loc.capacity}
        for loc in scenario.locations
    ]
    index = scenario.location_index()
    routes = sorted({tuple(sorted((index[r.start], index[r.end]))) for r in scenario.routes})
    itineraries = {}
    if scenario.corridor is not None and scenario.corridor.caravans:
        network = Network.from_scenario(scenario)
        for spec in scenario.corridor.caravans:
            path = Itinerary.build(network, spec)
            itineraries[spec.name] = {
                "places": [network.names[p] for p in path.places],
                "km": [float(k) for k in path.km],
                "lat": [float(network.lat[p]) for p in path.places],
                "lon": [float(network.lon[p]) for p in path.places],
            }
    return {"places": places, "routes": [list(r) for r in routes], "itineraries": itineraries}


def stretch(itinerary: dict[str, Any], tail_km: float, head_km: float) -> list[list[float]]:
    """The column from tail to head along the planned road, as ``[lat, lon]`` points:
    the tail, every place of the road strictly between, the head."""
    km = itinerary["km"]
    inner = [[itinerary["lat"][i], itinerary["lon"][i]] for i, k in enumerate(km) if tail_km < k < head_km]
    return [point_at(itinerary, tail_km), *inner, point_at(itinerary, head_km)]


def point_at(itinerary: dict[str, Any], at_km: float) -> list[float]:
    """``[lat, lon]`` of a position on the road, straight between the places on each side
    (the same rule as the caravan log's coordinates)."""
    km, lat, lon = itinerary["km"], itinerary["lat"], itinerary["lon"]
    if at_km <= km[0] or len(km) == 1:
        return [lat[0], lon[0]]
    for i in range(1, len(km)):
        if at_km <= km[i]:
            span = km[i] - km[i - 1]
            f = (at_km - km[i - 1]) / span if span > 0 else 1.0
            return [lat[i - 1] + f * (lat[i] - lat[i - 1]), lon[i - 1] + f * (lon[i] - lon[i - 1])]
    return [lat[-1], lon[-1]]


def place_at(itinerary: dict[str, Any], at_km: float) -> str:
    """The last place of the road at or before a position."""
    name = itinerary["places"][0]
    for place, k in zip(itinerary["places"], itinerary["km"]):
        if k <= at_km + 1e-6:
            name = place
    return name
