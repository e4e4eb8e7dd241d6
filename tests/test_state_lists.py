"""The one-pass selections the corridor behaviours use are exactly NumPy's full passes:
people by state (``states.py``), every caravan's members at once (``groups.py``), and the
head-counts with the night flows (``engine/counting.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from caravana.behaviours.corridor.common import Waiting
from caravana.behaviours.corridor.groups import members_by_group, members_of
from caravana.behaviours.corridor.states import ANY, StateLists, members_resting_at, still
from caravana.engine.counting import NEW, NightFlows, count_by_place_and_status
from caravana.engine.population import Population
from caravana.engine.status import N_STATUS, STAYING, Status


def random_people(seed: int, n: int, n_groups: int = 5, n_places: int = 7) -> Population:
    rng = np.random.default_rng(seed)
    pop = Population(optional=())
    pop.add_field("waiting_for", np.int8, 0)
    pop.spawn(rng.integers(0, n_places, n).astype(np.int32))
    # runs of one group and status, as caravans spawn them, and scattered changes
    pop.group[:] = np.repeat(rng.integers(-1, n_groups, n // 10 + 1), 10)[:n]
    pop.status[:] = rng.integers(0, N_STATUS, n)
    pop.waiting_for[:] = rng.integers(0, max(Waiting) + 1, n)
    return pop


CASES = [(seed, n) for seed, n in [(0, 0), (1, 1), (2, 37), (3, 1000), (4, 20_000)]]


@pytest.mark.parametrize(("seed", "n"), CASES)
def test_state_lists_are_numpys_selections(seed, n):
    pop = random_people(seed, n)
    states = [(Status.RESTING, ANY, True), (Status.WAITING, Waiting.PERMIT, None), (Status.WAITING, Waiting.ASYLUM, None),
              (Status.ARRIVED, ANY, None), (Status.DETAINED, ANY, False), (Status.RESTING, ANY, False)]
    lists = StateLists(states).find(pop)
    for (status, waiting, grouped), found in zip(states, lists):
        want = pop.status == status
        if waiting != ANY:
            want &= pop.waiting_for == waiting
        if grouped is not None:
            want &= (pop.group >= 0) == grouped
        np.testing.assert_array_equal(found, np.flatnonzero(want))
        np.testing.assert_array_equal(still(pop, found, status, waiting, grouped), np.flatnonzero(want))


@pytest.mark.parametrize(("seed", "n"), CASES[1:])
def test_still_with_the_people_a_step_changed_is_a_fresh_selection(seed, n):
    pop = random_people(seed, n)
    rng = np.random.default_rng(seed + 100)
    (queue,) = StateLists([(Status.WAITING, Waiting.PERMIT, None)]).find(pop)
    left = rng.choice(queue, size=len(queue) // 3, replace=False) if len(queue) else queue
    pop.status[left] = Status.RESTING
    joined = np.flatnonzero(rng.random(n) < 0.05)
    pop.status[joined] = Status.WAITING
    pop.waiting_for[joined] = Waiting.PERMIT
    fresh = np.flatnonzero((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.PERMIT))
    np.testing.assert_array_equal(still(pop, queue, Status.WAITING, Waiting.PERMIT, added=joined[::-1]), fresh)
    twice = np.concatenate((joined, joined[:3]))
    np.testing.assert_array_equal(still(pop, queue[:0], Status.WAITING, Waiting.PERMIT, added=twice),
                                  fresh[np.isin(fresh, joined)])


@pytest.mark.parametrize(("seed", "n"), CASES)
def test_members_by_group_are_numpys(seed, n):
    pop = random_people(seed, n)
    for g, members in enumerate(members_by_group(pop.group, pop.status, 5)):
        np.testing.assert_array_equal(members, members_of(pop.group, pop.status, g))
        moving = (pop.status == Status.RESTING) | (pop.status == Status.TRAVELLING)
        np.testing.assert_array_equal(members, np.flatnonzero(moving & (pop.group == g)))


def reference_flows(loc, status, night):
    """Arrivals, departures per place and tonight's places, person by person in Python."""
    staying = {int(s) for s in STAYING}
    n_places = int(loc.max(initial=0)) + 1
    arrivals, departures = np.zeros(n_places, np.int64), np.zeros(n_places, np.int64)
    tonight = night.copy()
    for i in range(len(loc)):
        t = int(loc[i]) if int(status[i]) in staying else -1
        if t != night[i]:
            if night[i] >= 0:
                departures[night[i]] += 1
            if t >= 0 and night[i] != NEW:
                arrivals[t] += 1
            tonight[i] = t
    return arrivals, departures, tonight


@pytest.mark.parametrize(("seed", "n"), CASES)
@pytest.mark.parametrize("recount", [True, False])
def test_counts_and_flows_in_one_pass_are_the_reference(seed, n, recount):
    pop = random_people(seed, n)
    flows = NightFlows(pop, 7, STAYING)
    night = pop.field(NightFlows.FIELD)
    night[:] = np.random.default_rng(seed).integers(NEW, 7, n)
    want_arr, want_dep, want_night = reference_flows(pop.loc, pop.status, night)
    tally = np.full((7, N_STATUS), -5, dtype=np.int64)
    flows.count(pop, tally, recount)
    assert flows.pending
    np.testing.assert_array_equal(night, pop.field(NightFlows.FIELD))  # unchanged until committed
    arrivals, departures = flows.commit(pop)
    np.testing.assert_array_equal(arrivals, np.pad(want_arr, (0, 7 - len(want_arr))))
    np.testing.assert_array_equal(departures, np.pad(want_dep, (0, 7 - len(want_dep))))
    np.testing.assert_array_equal(pop.field(NightFlows.FIELD), want_night)
    if recount:
        expected = np.zeros((7, N_STATUS), dtype=np.int64)
        count_by_place_and_status(pop.loc, pop.status, expected)
        np.testing.assert_array_equal(tally, expected)
    else:
        assert (tally == -5).all()  # left alone


@pytest.mark.parametrize(("seed", "n"), CASES)
def test_members_resting_at_places_is_numpys_selection(seed, n):
    pop = random_people(seed, n)
    places = np.random.default_rng(seed).random(7) < 0.5
    want = (pop.status == Status.RESTING) & (pop.group >= 0) & places[pop.loc]
    np.testing.assert_array_equal(members_resting_at(pop, places), np.flatnonzero(want))
