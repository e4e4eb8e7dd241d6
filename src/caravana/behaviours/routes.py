"""Candidate routes for Flee's route choice: every simple path of up to
``awareness_level`` weighted hops from each place.

Flee walks these recursively for every person every time they choose. They only
depend on the graph, so they are enumerated once; which are usable today (all
links open) and how attractive they are (scores, capacity) is recomputed per day
for all places at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.jit import njit
from ..engine.network import Network


@dataclass(frozen=True)
class RouteTable:
    origin_ptr: np.ndarray  # int64 (places+1): routes from place u are origin_ptr[u]:origin_ptr[u+1]
    origin: np.ndarray  # int32 per route
    end: np.ndarray  # int32 per route: the place the route leads to
    km: np.ndarray  # float64 per route: total distance
    edge_ptr: np.ndarray  # int64 (routes+1)
    edges: np.ndarray  # int32: the directed links of each route, in order
    n_edges: np.ndarray  # int16 per route

    @property
    def n_routes(self) -> int:
        return len(self.end)


def build_route_table(network: Network, marker: np.ndarray, awareness: int) -> RouteTable:
    """Enumerate routes in Flee's order (``moving.calculateLinkWeight``).

    A marker place gets no route of its own and does not use up a hop of awareness.
    With awareness 0 every link out of a place is a candidate (chosen uniformly).
    """
    depth = max(awareness, 1)
    origins: list[int] = []
    ends: list[int] = []
    kms: list[float] = []
    edge_lists: list[list[int]] = []
    indptr, dst, km = network.indptr, network.dst, network.km

    def walk(origin: int, link: int, prior_km: float, visited: list[int], links: list[int], step: int) -> None:
        place = int(dst[link])
        total = prior_km + float(km[link])
        path = links + [link]
        if not marker[place]:
            origins.append(origin)
            ends.append(place)
            kms.append(total)
            edge_lists.append(path)
        else:
            step -= 1
        if depth > step:
            for nxt in range(indptr[place], indptr[place + 1]):
                if int(dst[nxt]) in visited:  # never loop back through a place on the path
                    continue
                walk(origin, nxt, total, visited + [place], path, step + 1)

    for u in range(network.n_places):
        for link in range(indptr[u], indptr[u + 1]):
            walk(u, link, 0.0, [u], [], 1)

    origin = np.array(origins, dtype=np.int32)
    origin_ptr = np.zeros(network.n_places + 1, dtype=np.int64)
    np.add.at(origin_ptr, origin + 1, 1)
    origin_ptr = np.cumsum(origin_ptr)
    n_edges = np.array([len(e) for e in edge_lists], dtype=np.int16)
    edge_ptr = np.zeros(len(edge_lists) + 1, dtype=np.int64)
    edge_ptr[1:] = np.cumsum(n_edges)
    edges = np.array([link for e in edge_lists for link in e], dtype=np.int32)
    return RouteTable(
        origin_ptr=origin_ptr,
        origin=origin,
        end=np.array(ends, dtype=np.int32),
        km=np.array(kms, dtype=np.float64),
        edge_ptr=edge_ptr,
        edges=edges,
        n_edges=n_edges,
    )


def routes_open(table: RouteTable, link_open: np.ndarray) -> np.ndarray:
    """Which routes have every link open."""
    closed_edge = ~link_open[table.edges]
    closed_before = np.concatenate(([0], np.cumsum(closed_edge)))
    closed_count = closed_before[table.edge_ptr[1:]] - closed_before[table.edge_ptr[:-1]]
    return closed_count == 0


def cumulative_choice_weights(table: RouteTable, weights: np.ndarray, usable: np.ndarray,
                              out: np.ndarray | None = None) -> np.ndarray:
    """Per-origin cumulative weights for drawing a route (into ``out`` if given).

    Routes are normalised within their origin. Where an origin's usable routes all
    weigh zero, they are equally likely (Flee's ``normalizeWeights``); where it has
    no usable route at all, its cumulative weights are all zero and nobody leaves.
    """
    out = np.empty(len(weights)) if out is None else out
    cumulative_into(table.origin_ptr, np.ascontiguousarray(weights, dtype=np.float64), usable, out)
    return out


@njit(error_model="numpy")
def cumulative_into(origin_ptr, weights, usable, out):
    """:func:`cumulative_choice_weights`' loop. Compiled, as a Flee day computes it for every
    route (a dozen small NumPy calls cost ~50 us a day); its numbers are the ones its NumPy
    form gave, to the bit (tests/test_routes.py): each origin's sums in route order, and one
    running sum over all routes, less its value before the origin's first route."""
    running = 0.0
    for u in range(origin_ptr.shape[0] - 1):
        a, b = origin_ptr[u], origin_ptr[u + 1]
        total = 0.0
        n_usable = 0.0
        for j in range(a, b):
            total += weights[j] if usable[j] else 0.0
            n_usable += 1.0 if usable[j] else 0.0
        before = running
        for j in range(a, b):
            if total > 0:
                share = (weights[j] if usable[j] else 0.0) / total
            else:
                share = 1.0 / max(n_usable, 1.0) if usable[j] else 0.0
            running += share
            out[j] = running - before
