"""Transit's "who may join" from the waiting kept by place (``states.WaitingByPlace``, session 18)
against the full scan it replaced (``transit._may_join``): on random states, and at every transit
step of runs (forks, blockades, permit queues, asylum claims; people changed between days)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from caravana.behaviours.corridor.common import Waiting
from caravana.behaviours.corridor.groups import Scratch
from caravana.behaviours.corridor.states import WaitingByPlace
from caravana.behaviours.corridor.transit import _may_join
from caravana.engine.counting import count_by_place_and_status
from caravana.engine.status import N_STATUS, Status

WAITING = int(Status.WAITING)
MECHANISMS = str(Path(__file__).parent / "data" / "corridor_mechanisms_frozen" / "scenario.yml")


class People:
    """Just what ``WaitingByPlace.at`` reads."""

    def __init__(self, status, loc):
        self.status, self.loc = status, loc


def fresh_tally(pop, n_places):
    tally = np.zeros((n_places, N_STATUS), dtype=np.int64)
    count_by_place_and_status(pop.loc, pop.status, tally)
    return tally


@pytest.mark.parametrize("seed", range(6))
def test_the_waiting_at_places_are_a_full_pass_over_random_days(seed):
    """Days of random changes: people put into WAITING and moved as ``set_status`` does (told),
    others leaving it, and some moved or put into WAITING unseen (not told: the head-counts
    tell, and all are found afresh); the people at random places are always a full pass's."""
    rng = np.random.default_rng(seed)
    n, n_places = 3000, 9
    pop = People(rng.integers(0, N_STATUS, n).astype(np.int8), rng.integers(0, n_places, n).astype(np.int32))
    pop.status[rng.random(n) < 0.4] = WAITING
    kept, scratch, rebuilt = WaitingByPlace(), Scratch(), 0
    for _day in range(40):
        told = rng.choice(n, rng.integers(0, 60), replace=False)
        pop.status[told] = WAITING
        pop.loc[told[: len(told) // 2]] = rng.integers(0, n_places, len(told) // 2)
        kept.entered(told, pop.loc)
        pop.status[rng.choice(n, 40, replace=False)] = Status.RESTING  # left (need not be told)
        if rng.random() < 0.2:  # unseen: moved while waiting, or put into WAITING
            unseen = rng.choice(n, 3, replace=False)
            pop.status[unseen] = WAITING
            pop.loc[unseen] = rng.integers(0, n_places, 3)
        for _ask in range(2):
            places = rng.random(n_places) < 0.3
            before = kept.people
            got = kept.at(pop, places, fresh_tally(pop, n_places), scratch)
            rebuilt += kept.people is not before
            np.testing.assert_array_equal(got, np.flatnonzero((pop.status == WAITING) & places[pop.loc]))
    assert 1 <= rebuilt < 40  # found afresh when first asked and when something got there unseen only


def test_the_waiting_kept_are_found_afresh_when_forgotten():
    rng = np.random.default_rng(1)
    pop = People(np.full(100, WAITING, dtype=np.int8), rng.integers(0, 4, 100).astype(np.int32))
    kept, scratch, places = WaitingByPlace(), Scratch(), np.array([True, False, True, False])
    kept.at(pop, places, fresh_tally(pop, 4), scratch)
    pop.loc[:] = 0  # moved between days by a forecast, say: the head-counts of the places asked agree
    pop.status[50:] = Status.RESTING
    kept.forget()
    got = kept.at(pop, places, fresh_tally(pop, 4), scratch)
    np.testing.assert_array_equal(got, np.arange(50))


@pytest.mark.parametrize(("source", "seed", "handed_out"), [
    ("corridor", 1, False), ("corridor", 3, True), (MECHANISMS, 2, False)])
def test_who_may_join_is_the_full_scan_at_every_step(monkeypatch, source, seed, handed_out):
    """At every transit step, the people it finds at the places the caravans passed are those the
    full scan finds (the same people, in the same order: the same draws follow); and a full pass
    is made only now and then (with ``handed_out``: people moved into WAITING between days)."""
    import caravana
    from caravana.behaviours.corridor import states

    real_at, real_by_place = states.WaitingByPlace.at, states.by_place
    asked, passes = [], []

    def checked(self, pop, places, tally, scratch):
        got = real_at(self, pop, places, tally, scratch).copy()
        transit = sim.behaviour("transit")
        room = np.empty(pop.n, dtype=np.int64)
        want = room[: _may_join(pop.status, pop.group, pop.waiting_for, pop.loc, places, transit.rate, 0.0, room)]
        np.testing.assert_array_equal(got[transit.rate[pop.waiting_for[got]] > 0], want)
        np.testing.assert_array_equal(got, np.flatnonzero((pop.status == WAITING) & places[pop.loc]))
        asked.append(len(got))
        return real_at(self, pop, places, tally, scratch)

    def counted(*args):
        passes.append(1)
        return real_by_place(*args)

    monkeypatch.setattr(states.WaitingByPlace, "at", checked)
    monkeypatch.setattr(states, "by_place", counted)
    sim = caravana.simulation(caravana.load_scenario(source), seed=seed)
    while sim.day < sim.days:
        if handed_out and sim.day in (12, 13, 30):
            pop = sim.population
            resting = np.flatnonzero(pop.status == Status.RESTING)[:40]
            pop.status[resting], pop.waiting_for[resting] = WAITING, Waiting.TRANSIT  # unseen by the index
        sim.step()
    assert len(asked) > 20 and sum(asked) > 1000
    assert len(passes) < len(asked) / 3
