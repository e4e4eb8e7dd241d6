"""The compiled membership passes give exactly the NumPy masks they replace."""

from __future__ import annotations

import numpy as np
import pytest

from caravana.behaviours.corridor.groups import members_by_group, members_of, tally_groups
from caravana.engine.population import Population
from caravana.engine.status import N_STATUS, Status


def test_members_match_the_masks():
    rng = np.random.default_rng(4)
    group = rng.integers(-1, 5, size=20_000).astype(np.int32)
    status = rng.integers(0, N_STATUS, size=20_000).astype(np.int8)
    moving = (status == Status.RESTING) | (status == Status.TRAVELLING)
    every = members_by_group(group, status, 4)  # group 4 is left out, as -1 is
    assert len(every) == 4
    for c in range(5):
        expected = np.flatnonzero(moving & (group == c))
        assert members_of(group, status, c).tolist() == expected.tolist()
        if c < 4:
            assert every[c].tolist() == expected.tolist()
    assert len(members_of(group[:0], status[:0], 1)) == 0


@pytest.mark.parametrize("n", [0, 1, 5_000])
def test_group_tally_is_the_caravan_logs_numpy(n):
    """What the caravan log took with NumPy per caravan, for all caravans in one pass."""
    rng = np.random.default_rng(n)
    k, n_places, n_countries = 4, 9, 3
    pop = Population(optional=())
    pop.add_field("ckm", np.float32, 0.0)
    pop.add_field("first_group", np.int32, -1)
    pop.spawn(rng.integers(0, n_places, n).astype(np.int32))
    pop.group[:] = rng.integers(-1, k + 1, n)
    pop.status[:] = rng.integers(0, N_STATUS, n)
    pop.ckm[:] = rng.choice(np.array([0.0, 10.5, 99.0, 120.0, 300.25], dtype=np.float32), n)
    pop.first_group[:] = rng.integers(-1, k, n)
    country_of = rng.integers(0, n_countries, n_places).astype(np.int32)
    end = np.array([99.0, 120.0, 300.25, 10.5], dtype=np.float32)
    size, arrived, by_country, by_origin, km = tally_groups(pop, country_of, end, n_countries, n_places)
    moving = (pop.status == Status.RESTING) | (pop.status == Status.TRAVELLING)
    for c in range(k):
        on_route = np.flatnonzero(moving & (pop.group == c))
        stopped = np.flatnonzero(~moving & (pop.group == c))
        reached = stopped[pop.ckm[stopped] >= end[c]]
        assert size[c] == len(on_route) and arrived[c] == len(reached)
        np.testing.assert_array_equal(by_country[c], np.bincount(country_of[pop.loc[on_route]], minlength=n_countries))
        first = pop.first_group[on_route]
        origin = np.where(first >= 0, first, k + pop.home[on_route])
        np.testing.assert_array_equal(by_origin[c], np.bincount(origin, minlength=k + n_places))
        want = np.concatenate((pop.ckm[on_route], pop.ckm[reached]))
        np.testing.assert_array_equal(np.sort(km[c]), np.sort(want))
        if len(want):
            assert np.median(km[c]) == np.median(want) and km[c].dtype == want.dtype
