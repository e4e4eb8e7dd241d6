"""The corridor's compiled passes of session 5 against the NumPy code they replaced, on
random populations (statuses, groups and waits mixed as in a run)."""

from __future__ import annotations

import numpy as np
import pytest

from caravana.behaviours.corridor.common import RESTING, Waiting
from caravana.behaviours.corridor.transit import _may_join
from caravana.engine.status import N_STATUS, Status


def _people(seed: int, n: int = 5000):
    rng = np.random.default_rng(seed)
    status = rng.integers(0, N_STATUS, n).astype(np.int8)
    status[rng.random(n) < 0.3] = RESTING  # runs of the common states
    group = rng.integers(-1, 4, n).astype(np.int32)
    waiting_for = rng.integers(0, max(Waiting) + 1, n).astype(np.int8)
    return rng, status, group, waiting_for


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("lone", [0.0, 0.2])
def test_who_may_join_a_caravan_is_the_numpy_selection(seed, lone):
    rng, status, group, waiting_for = _people(seed)
    rate = np.zeros(max(Waiting) + 1)
    rate[Waiting.TRANSIT], rate[Waiting.PERMIT] = 0.3, rng.choice([0.0, 0.1])
    # Transit.step's selection before session 5: four temporaries, then the rate of each.
    waiting = np.flatnonzero((status == Status.WAITING) | ((status == RESTING) & (group < 0)))
    waiting = waiting[np.where(status[waiting] == RESTING, lone, rate[waiting_for[waiting]]) > 0]
    room = np.full(len(status), -1, dtype=np.int64)
    found = room[: _may_join(status, group, waiting_for, rate, lone, room)]
    assert len(waiting) > 0
    np.testing.assert_array_equal(found, waiting)


@pytest.mark.parametrize("seed", range(3))
def test_people_in_a_status_are_numpys_flatnonzero(seed):
    from caravana.behaviours.corridor.groups import Scratch
    from caravana.behaviours.corridor.states import with_status

    _, status, _, _ = _people(seed)
    scratch = Scratch()
    for people in (5000, 100, 4000):  # the buffer kept, grown when needed
        for value in (Status.WAITING, Status.ARRIVED, Status.RESTING):
            want = np.flatnonzero(status[:people] == value)
            np.testing.assert_array_equal(with_status(status[:people], value, scratch), want)
            np.testing.assert_array_equal(with_status(status[:people], value), want)
