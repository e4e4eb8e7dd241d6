"""A move re-writes the night just passed (forecast/nights.py): after the filter moves a
caravan's body between days, the day's head-counts and each place's arrivals and
departures say where people stayed that night, as if the model had put them there."""

from __future__ import annotations

import numpy as np
import pytest

import caravana
from caravana.behaviours.corridor.interfaces import CaravanGroups, CaravanTrack
from caravana.engine.status import STAYING
from caravana.forecast.moves import shift
from caravana.forecast.nights import amend, before_last_day

from .test_flows import NightLog, expected_flows

MOVED_ON = 10  # Oct 22: the 2018 caravan's body is at Huixtla (seed 3), two towns past Ciudad Hidalgo


def staying_at(sim, day: int) -> np.ndarray:
    return sim.counts[day][:, [int(s) for s in STAYING]].sum(axis=1)


def moved_run(fix: bool, back_to: str = "Tapachula"):
    """The corridor to MOVED_ON, its body then moved back to ``back_to`` (a move between days),
    and on to day 14; with ``fix``, the night re-written (``amend``)."""
    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=3, days=15, extra=[NightLog()])
    while sim.day < MOVED_ON:
        sim.step()
    before = before_last_day(sim)
    sim.step()
    st = sim.provider(CaravanGroups).states[0]
    target = float(st.path.km[st.path.index_of(sim.network.index(back_to))])
    assert float(st.body) > target  # the body is past it: the move takes it back
    assert shift(sim, 0, target) > 1000
    log = sim.behaviour("night_log")
    if fix:
        assert amend(sim, before) > 1000
        log.step(sim)  # the night as the move left it
        log.nights.pop(-2)
    while sim.day < 15:
        sim.step()
    return sim, sim.results(), log


def test_a_moved_body_arrives_where_it_is_moved_and_the_flows_match_each_persons_nights():
    sim, results, log = moved_run(fix=True)
    arrivals, departures = results.arrays["arrivals"].values, results.arrays["departures"].values
    want_arr, want_dep, spawned = expected_flows(log.nights, len(results.places))
    assert np.array_equal(arrivals, want_arr)
    assert np.array_equal(departures, want_dep)
    # the day's head-counts are the moved state's: present = spawned there + arrived - left
    present = results.counts[:, :, [int(s) for s in STAYING]].sum(axis=2)
    assert np.array_equal(present, spawned + arrivals - departures)
    tapachula, huixtla = (results.places.index(p) for p in ("Tapachula", "Huixtla"))
    assert present[MOVED_ON, tapachula] > 1000 and present[MOVED_ON, huixtla] < 1000
    # everyone counted once (the day's counts are its spawned), and the caravan log of the day is the moved column's
    assert (results.counts.sum(axis=(1, 2)) == results.spawned).all()
    table = results.tables["caravans"].to_pydict()
    log = {k: [v for v, c in zip(vs, table["caravan"]) if c == "october-2018"] for k, vs in table.items()}
    tapachula_km = sim.provider(CaravanGroups).states[0].path.km[
        sim.provider(CaravanGroups).states[0].path.index_of(sim.network.index("Tapachula"))]
    assert log["body_km"][MOVED_ON] == pytest.approx(float(tapachula_km))
    assert abs(log["centre_km"][MOVED_ON] - float(tapachula_km)) < 1.0


def test_a_size_move_keeps_the_days_accounting():
    """Joiners spawned by a move between days are counted in the day's spawned and head-counts."""
    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=3, days=15)
    while sim.day < MOVED_ON:
        sim.step()
    before = before_last_day(sim)
    sim.step()
    caravans = sim.provider(CaravanGroups)
    size = caravans.size(sim, 0)
    caravans.resize(sim, 0, size + 500, np.random.default_rng(1), "assimilation")
    amend(sim, before)
    assert sim.counts[MOVED_ON].sum() == sim.spawned[MOVED_ON] == sim.population.n
    assert sim.provider(CaravanTrack).to_table(sim.scenario.period.start, sim.day).column("size")[MOVED_ON].as_py() \
        == caravans.size(sim, 0)


def test_without_the_amendment_the_moved_night_is_lost():
    """What the filter did before: the next day's flows compare the next night with the night
    before the move, so the arrivals fall where and when the body was not."""
    _, before, _ = moved_run(fix=False)
    _, after, _ = moved_run(fix=True)
    huixtla = before.places.index("Huixtla")
    arrivals_before, arrivals_after = before.arrays["arrivals"].values, after.arrays["arrivals"].values
    # Oct 22: the pre-move night counted 5,000+ arrivals at Huixtla, where the moved body did not sleep
    assert arrivals_before[MOVED_ON, huixtla] > 1000 and arrivals_after[MOVED_ON, huixtla] < 1000
    # Oct 23: the body, still in Tapachula, "arrived" there again (its recorded night was Huixtla),
    # and walking to Huixtla later it arrived there a second time: the same people counted twice
    tapachula = before.places.index("Tapachula")
    assert arrivals_before[MOVED_ON + 1, tapachula] > arrivals_after[MOVED_ON + 1, tapachula] + 1000
    assert arrivals_before[-1, huixtla] > arrivals_after[-1, huixtla] + 1000
    assert arrivals_after[-1, huixtla] - arrivals_after[MOVED_ON, huixtla] > 1000  # it did walk there after


def test_amend_without_the_night_before_recounts_the_day_only():
    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=3, days=15)
    while sim.day <= MOVED_ON:
        sim.step()
    st = sim.provider(CaravanGroups).states[0]
    place = sim.network.index("Tapachula")
    shift(sim, 0, float(st.path.km[st.path.index_of(place)]))
    was = staying_at(sim, MOVED_ON)[place]
    assert amend(sim, None) == 0
    assert staying_at(sim, MOVED_ON)[place] > was + 1000
