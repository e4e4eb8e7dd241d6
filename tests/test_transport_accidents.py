"""Accidents without passes over all riders (``transport.accident_loads``): the same loads,
person by person, as the earlier per-accident ``rng.choice(riders, load, replace=False,
p=km * alive)`` from the same random numbers (up to draws within rounding error of a
rider's boundary in the cumulative km)."""

from __future__ import annotations

import numpy as np
import pytest

from caravana.behaviours.corridor.transport import _riding, accident_loads
from caravana.engine.status import N_STATUS, Status


def reference(rng, weight, alive, occupancy, n_accidents, fatality):
    """The earlier algorithm, as it was in Transport.step."""
    riders = np.arange(len(weight))
    for _ in range(n_accidents):
        if not alive.any():
            return
        load = min(occupancy, int(alive.sum()))
        w = weight * alive
        aboard = rng.choice(riders, size=load, replace=False, p=w / w.sum())
        killed = aboard[rng.random(load) < fatality]
        alive[killed] = False
        yield aboard, killed


def test_loads_are_distinct_living_riders_and_the_dead_ride_no_more():
    rng = np.random.default_rng(5)
    weight = rng.uniform(0.01, 100.0, size=300)
    alive = rng.random(300) < 0.7
    was_alive = alive.copy()
    dead_so_far = set()
    for aboard, killed in accident_loads(rng, weight, alive, 40, 50, 0.5):
        assert len(set(aboard.tolist())) == len(aboard) == min(40, int(was_alive.sum()) - len(dead_so_far))
        assert was_alive[aboard].all() and not dead_so_far & set(aboard.tolist())
        assert set(killed.tolist()) <= set(aboard.tolist())
        dead_so_far |= set(killed.tolist())
    assert not alive[list(dead_so_far)].any() and alive.sum() == was_alive.sum() - len(dead_so_far)


def test_everyone_aboard_when_fewer_than_a_load():
    rng = np.random.default_rng(2)
    alive = np.array([True, False, True, True])
    (aboard, killed), = accident_loads(rng, np.array([1.0, 2.0, 1e-6, 3.0]), alive, 40, 1, 0.0)
    assert sorted(aboard.tolist()) == [0, 2, 3] and len(killed) == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_riders_as_rng_choice_from_the_same_numbers(seed):
    """Many riders, many accidents, a high fatality (many excluded): identical loads and deaths."""
    rng = np.random.default_rng(seed)
    weight = rng.uniform(0.5, 120.0, size=5000)
    alive = rng.random(5000) < 0.95
    old = list(reference(np.random.default_rng(seed + 100), weight, alive.copy(), 40, 60, 0.6))
    new = list(accident_loads(np.random.default_rng(seed + 100), weight, alive.copy(), 40, 60, 0.6))
    assert len(old) == len(new) == 60
    for (a_old, k_old), (a_new, k_new) in zip(old, new):
        assert a_old.tolist() == a_new.tolist()
        assert k_old.tolist() == k_new.tolist()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_riders_in_one_pass_are_numpys_selections(dtype):
    rng = np.random.default_rng(3)
    km = np.where(rng.random(5000) < 0.3, 0.0, rng.random(5000) * 80).astype(dtype)
    idx = np.sort(rng.choice(20_000, 5000, replace=False))
    status = rng.integers(0, N_STATUS, 20_000).astype(np.int8)
    riders, weight, alive, cum = _riding(km, idx, status)
    riding = km > 0
    np.testing.assert_array_equal(riders, idx[riding])
    np.testing.assert_array_equal(weight, km[riding])
    np.testing.assert_array_equal(alive, status[idx[riding]] != Status.DEAD)
    assert cum.dtype == np.cumsum(km[riding]).dtype
    np.testing.assert_array_equal(cum, np.cumsum(km[riding]))
    assert len(_riding(km[:0], idx[:0], status)[0]) == 0


@pytest.mark.parametrize("n", [0, 1, 40, 300])
def test_first_occurrences_keep_the_order_of_first_picks(n):
    from caravana.behaviours.corridor.transport import _first_occurrences

    picked = np.random.default_rng(n).integers(0, max(n // 2, 1), n).astype(np.int64)
    seen: list[int] = []
    for p in picked.tolist():
        if p not in seen:
            seen.append(p)
    assert _first_occurrences(picked).tolist() == seen
