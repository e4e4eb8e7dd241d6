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


@pytest.mark.parametrize("seed", range(10))
def test_waits_spread_wide_or_few_people_give_the_same_head(seed):
    """Counted or partitioned (waits spread over more values than people), the same head."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    idx = np.arange(n, dtype=np.int64)
    waited = rng.integers(0, 30000 if seed % 2 else 3, size=n).astype(np.int16)
    for capacity in (1, n // 3, n - 1):
        expected = sorted_queue(idx, waited, capacity, np.random.default_rng(seed))
        assert first_come(idx, waited, capacity, np.random.default_rng(seed)).tolist() == expected.tolist()
