"""Shortest roads over a scenario's links (Dijkstra with a binary heap).

The corridor's networks have tens to a few hundred places, so a plain heap over the
link arrays is as quick as a sparse-matrix library and keeps SciPy out of the core
install. Parallel links count with their shortest length.
"""

from __future__ import annotations

import heapq

import numpy as np

NO_PREDECESSOR = -9999  # SciPy's convention, kept for the callers that walk predecessors


def shortest_paths(n_places: int, src: np.ndarray, dst: np.ndarray, km: np.ndarray, start: int,
                   directed: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(km, predecessor) from ``start`` to every place along the links ``src -> dst`` of
    length ``km`` (both ways if not ``directed``); ``inf`` and :data:`NO_PREDECESSOR` where
    there is no way. A place is reached through the first predecessor that gives its
    shortest length, in the order places are settled."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    km = np.asarray(km, dtype=np.float64)
    if (km < 0).any():
        raise ValueError("a link has a negative length")
    if not directed:
        src, dst, km = np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([km, km])
    order = np.argsort(src, kind="stable")
    first = np.searchsorted(src[order], np.arange(n_places + 1))
    to, length = dst[order].tolist(), km[order].tolist()
    dist = np.full(n_places, np.inf)
    pred = np.full(n_places, NO_PREDECESSOR, dtype=np.int32)
    done = np.zeros(n_places, dtype=bool)
    dist[start] = 0.0
    heap = [(0.0, start)]
    while heap:
        d, here = heapq.heappop(heap)
        if done[here]:
            continue
        done[here] = True
        for k in range(first[here], first[here + 1]):
            there, total = to[k], d + length[k]
            if total < dist[there] and not done[there]:
                dist[there] = total
                pred[there] = here
                heapq.heappush(heap, (total, there))
    return dist, pred
