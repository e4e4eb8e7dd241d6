"""Shortest roads (scenario/graph.py): the lengths SciPy's Dijkstra gives, on random graphs
and on the corridor's network; parallel links count with their shortest length."""

from __future__ import annotations

import numpy as np
import pytest

from caravana.scenario.graph import NO_PREDECESSOR, shortest_paths


def _path_km(pred, src, dst, km, start, end):
    """Walk the predecessors back from ``end`` and add up the links' lengths."""
    total, here = 0.0, end
    while here != start:
        back = pred[here]
        assert back != NO_PREDECESSOR
        total += min(k for s, d, k in zip(src, dst, km) if s == back and d == here)
        here = back
    return total


def test_a_small_graph_by_hand():
    src, dst, km = np.array([0, 0, 1, 2, 2]), np.array([1, 2, 3, 3, 3]), np.array([1.0, 5.0, 10.0, 2.0, 1.0])
    dist, pred = shortest_paths(5, src, dst, km, 0)
    assert dist.tolist() == [0.0, 1.0, 5.0, 6.0, np.inf]  # 0-2-3 by the shorter parallel link
    assert pred.tolist() == [NO_PREDECESSOR, 0, 0, 2, NO_PREDECESSOR]
    back, _ = shortest_paths(5, src, dst, km, 3)
    assert back[0] == np.inf  # directed
    assert shortest_paths(5, src, dst, km, 3, directed=False)[0][0] == 6.0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("directed", [True, False])
def test_the_same_lengths_as_scipy_on_random_graphs(seed, directed):
    sparse = pytest.importorskip("scipy.sparse")
    csgraph = pytest.importorskip("scipy.sparse.csgraph")
    rng = np.random.default_rng(seed)
    n = 40
    src, dst = rng.integers(0, n, 120), rng.integers(0, n, 120)
    keep = src != dst
    pairs = {}
    for s, d, k in zip(src[keep], dst[keep], rng.uniform(1, 100, keep.sum()).round(1)):
        key = (s, d) if directed else (min(s, d), max(s, d))
        pairs[key] = min(pairs.get(key, np.inf), k)  # SciPy would add parallel links up
    src, dst, km = (np.array(v) for v in zip(*((s, d, k) for (s, d), k in pairs.items())))
    graph = sparse.csr_matrix((km, (src, dst)), shape=(n, n))
    for start in range(0, n, 7):
        expected = csgraph.dijkstra(graph, directed=directed, indices=start)
        dist, pred = shortest_paths(n, src, dst, km, start, directed=directed)
        np.testing.assert_allclose(dist, expected)
        for end in np.flatnonzero(np.isfinite(dist)):
            s2, d2, k2 = (src, dst, km) if directed else (np.r_[src, dst], np.r_[dst, src], np.r_[km, km])
            assert _path_km(pred, s2, d2, k2, start, end) == pytest.approx(dist[end])


def test_negative_lengths_are_refused():
    with pytest.raises(ValueError, match="negative"):
        shortest_paths(2, np.array([0]), np.array([1]), np.array([-1.0]), 0)
