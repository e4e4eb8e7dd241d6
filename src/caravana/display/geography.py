"""What the map needs to know about a scenario: where its places are, which routes join
them, and each caravan's planned road with km from its origin (to draw the column's
head-to-tail stretch along the road rather than as a straight line)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.itinerary import along
from ..engine.world import World
from ..scenario.schema import Scenario


def geography_of(scenario: Scenario) -> dict[str, Any]:
    """``{"places": [...], "routes": [[i, j], ...], "itineraries": {caravan: {places, km, lat, lon}}}``."""
    return World.of(scenario).geography()


def stretch(itinerary: dict[str, Any], tail_km: float, head_km: float) -> list[list[float]]:
    """The column from tail to head along the planned road, as ``[lat, lon]`` points:
    the tail, every place of the road strictly between, the head."""
    km = itinerary["km"]
    inner = [[itinerary["lat"][i], itinerary["lon"][i]] for i, k in enumerate(km) if tail_km < k < head_km]
    return [point_at(itinerary, tail_km), *inner, point_at(itinerary, head_km)]


def point_at(itinerary: dict[str, Any], at_km: float) -> list[float]:
    """``[lat, lon]`` of a position on the road, straight between the places on each side
    (the same rule as the caravan log's coordinates)."""
    lat, lon = along(np.asarray(itinerary["km"], dtype=np.float64), itinerary["lat"], itinerary["lon"], at_km)
    return [float(lat), float(lon)]


def place_at(itinerary: dict[str, Any], at_km: float) -> str:
    """The last place of the road at or before a position."""
    name = itinerary["places"][0]
    for place, k in zip(itinerary["places"], itinerary["km"]):
        if k <= at_km + 1e-6:
            name = place
    return name
