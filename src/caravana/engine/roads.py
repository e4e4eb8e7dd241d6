"""Shortest roads over a network's links: the road a caravan takes from a fork to the
destination its assembly chose (behaviours), and the roads a results folder's map draws
from each fork (:meth:`caravana.engine.world.World.geography`)."""

from __future__ import annotations

import numpy as np

from ..scenario.graph import shortest_paths


def shortest_roads(network, modes: list[str], start: int, exclude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """km of the shortest road from ``start`` to every place over links of ``modes``, not through
    the places ``exclude``, and the predecessors (-9999: none)."""
    usable = np.array([m in modes for m in network.mode], dtype=bool)
    blocked = np.zeros(network.n_places, dtype=bool)
    blocked[exclude] = True
    blocked[start] = False
    usable &= ~blocked[network.src] & ~blocked[network.dst]
    return shortest_paths(network.n_places, network.src[usable], network.dst[usable], network.km[usable], start)


def road_to(pred: np.ndarray, start: int, dest: int) -> np.ndarray:
    """Places after ``start`` up to ``dest`` along the predecessors."""
    places = [dest]
    while places[-1] != start:
        places.append(int(pred[places[-1]]))
    return np.array(places[-2::-1], dtype=np.int32)
