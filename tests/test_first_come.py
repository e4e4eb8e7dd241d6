"""``first_come`` picks the head of the queue without sorting it: the same people, in the
same order, as sorting everyone by (-waited, a random number) with the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from caravana.behaviours.corridor.common import first_come


def sorted_queue(idx, waited, capacity, rng):
    """The earlier rule: sort the whole queue."""
    if capacity <= 0 or len(idx) == 0:
        return idx[:0]
    order = np.lexsort((rng.random(len(idx)), -waited.astype(np.int64)))
    return idx[order[:capacity]]


@pytest.mark.parametrize("seed", range(40))
def test_same_people_in_the_same_order_as_sorting_everyone(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 3000))
    idx = rng.permutation(10 * n + 1)[:n].astype(np.int64)
    waited = rng.integers(0, int(rng.integers(1, 12)), size=n).astype(np.int16)  # many ties
    for capacity in (0, 1, 80, n // 2, n - 1, n, n + 5):
        expected = sorted_queue(idx, waited, capacity, np.random.default_rng(seed + 1000))
        got = first_come(idx, waited, capacity, np.random.default_rng(seed + 1000))
        assert got.tolist() == expected.tolist()
