"""The daily loop: conservation, determinism, spawning, closures, travel speeds."""

from __future__ import annotations

import numpy as np
import pytest

from caravana import Status, load_scenario, simulation
from caravana.engine.population import Population
from caravana.scenario.schema import Closure

from .helpers import scenario


def test_population_grows_without_losing_people():
    pop = Population(capacity=16)
    pop.spawn(np.arange(10) % 3)
    pop.spawn(np.full(100, 7))
    assert pop.n == 110
    assert pop.loc[:10].tolist() == (np.arange(10) % 3).tolist()
    assert (pop.loc[10:] == 7).all() and (pop.home[10:] == 7).all()
    assert (pop.status == Status.RESTING).all()
    assert pop.nbytes_per_person < 64


def test_every_spawned_person_is_counted_once_every_day():
    sc = load_scenario("mali2012")
    sim = simulation(sc, seed=3, days=80)
    while sim.day < sim.days:
        sim.step()
        day = sim.day - 1
        assert sim.counts[day].sum() == sim.population.n == sim.spawned[day]
        status = sim.population.status
        assert np.isin(status, [s.value for s in Status]).all()
        travelling = status == Status.TRAVELLING
        assert (sim.population.link[travelling] >= 0).all()
        assert (sim.population.link[~travelling] == -1).all()


def test_same_seed_same_results_different_seed_different_results():
    sc = load_scenario("burundi2015")
    a = simulation(sc, seed=11, days=60).run()
    b = simulation(sc, seed=11, days=60).run()
    c = simulation(sc, seed=12, days=60).run()
    assert np.array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts, c.counts)


def test_spawning_follows_rises_in_the_total_and_pays_off_falls_first():
    # Totals: 0, 100, 60 (fall of 40 becomes a debt), 150 (+90 minus the debt = 50).
    sc = scenario(
        [("A", "conflict_zone", 1000, None), ("B", "town", 0, None)],
        [("A", "B", 50)],
        days=4,
        spawn=[(0, 0), (1, 100), (2, 60), (3, 150)],
    )
    sim = simulation(sc, seed=0)
    sim.run()
    assert sim.spawned.tolist() == [0, 100, 100, 150]


def test_camps_are_prefilled_with_their_day0_count():
    sc = scenario(
        [("A", "conflict_zone", 1000, None), ("C", "camp", 0, 500)],
        [("A", "C", 50)],
        days=1,
        spawn=[(0, 300)],
        camp_counts={"C": [(0, 120), (10, 300)]},
        movement={"camp_movechance": 0.0},
    )
    sim = simulation(sc, seed=0)
    sim.run()
    assert sim.counts[0, sim.network.index("C"), Status.RESTING] == 120
    assert sim.population.n == 120  # day-0 spawning is replaced by the pre-fill, as in Flee


def test_people_spawn_in_proportion_to_population():
    sc = scenario(
        [("A", "conflict_zone", 9000, None), ("B", "conflict_zone", 1000, None), ("C", "town", 0, None)],
        [("A", "C", 5000), ("B", "C", 5000)],
        days=2,
        spawn=[(0, 0), (1, 20000)],
        movement={"conflict_movechance": 0.0},
    )
    sim = simulation(sc, seed=4)
    sim.run()
    share_a = (sim.population.home == 0).mean()
    assert share_a == pytest.approx(0.9, abs=0.01)


def test_a_closed_link_turns_travellers_back_and_nobody_enters_it():
    sc = scenario(
        [("A", "conflict_zone", 1000, None), ("B", "camp", 0, None)],
        [("A", "B", 1000)],
        days=12,
        spawn=[(0, 0), (1, 100)],
        movement={"max_move_speed": 200.0},
    )
    sc.closures = [Closure(kind="link", name1="A", name2="B", start=3, end=100)]
    sim = simulation(sc, seed=0)
    results = sim.run()
    b = sim.network.index("B")
    a = sim.network.index("A")
    assert results.counts[:, b].sum() == 0  # 1000 km at 200 km/day: nobody arrives before the closure
    assert results.counts[-1, a, Status.RESTING] == 100  # all turned back to A and stay (no open link)


def test_start_on_foot_walks_the_first_link():
    sc = scenario(
        [("A", "conflict_zone", 1000, None), ("B", "town", 0, None), ("C", "camp", 0, None)],
        [("A", "B", 100), ("B", "C", 1000)],
        days=4,
        spawn=[(0, 0), (1, 50)],
        movement={"start_on_foot": True, "max_walk_speed": 35.0, "max_move_speed": 400.0},
    )
    sim = simulation(sc, seed=0)
    sim.step()  # day 0: nobody yet
    sim.step()  # day 1: spawn and walk 35 km of the 100 km link
    travelling = sim.population.status == Status.TRAVELLING
    assert travelling.all()
    assert np.allclose(sim.population.dist, 35.0)


def test_multi_hop_day_when_distance_remains():
    # 50 km then 60 km with 400 km/day: reach B with 350 km to spare, move on, reach C the same day.
    sc = scenario(
        [("A", "conflict_zone", 1000, None), ("B", "forward", 0, None), ("C", "camp", 0, None)],
        [("A", "B", 50), ("B", "C", 60)],
        days=2,
        spawn=[(0, 0), (1, 30)],
        movement={"max_move_speed": 400.0, "camp_movechance": 0.0},
    )
    sim = simulation(sc, seed=0)
    results = sim.run()
    # B is a "forward" place (move chance 1): everyone who reaches it goes on; C is reached on day 1,
    # except that a person may turn back from B to A (B has two links).
    at_c = results.counts[1, sim.network.index("C"), Status.RESTING]
    assert 0 < at_c <= 30
    assert results.counts[1].sum() == 30


def test_recent_travel_index_stored_on_travel_days_equals_flees_daily_halving():
    from caravana.behaviours.flee_kernels import recent_travel_as_of

    rng = np.random.default_rng(5)
    max_speed = 200.0
    # Daily km travelled: long idle stretches (up to 250 days, past the 1e-30 flush) between trips.
    km = np.zeros(1500)
    trips = rng.choice(1500, size=60, replace=False)
    km[trips] = rng.uniform(1, 400, size=60)
    km[400:700] = 0.0
    eager = np.float32(0.0)
    stored, stored_day = np.float32(0.0), 0
    for day, moved in enumerate(km):
        value = (float(eager) + moved / max_speed) / 2.0  # Flee: every person, every day
        eager = np.float32(value if value > 1e-30 else 0.0)
        if moved > 0:  # caravana: only on days the person travels
            previous = recent_travel_as_of(day - 1, stored, stored_day)
            stored = np.float32(recent_travel_as_of(day, (previous + moved / max_speed) / 2.0, day))
            stored_day = day
        assert recent_travel_as_of(day, stored, stored_day) == eager, day


def test_runs_of_one_scenario_share_its_network_and_lookups_but_not_their_roads():
    # A forecast builds hundreds of runs whose scenarios differ in caravan settings only: they
    # share the network (and what is looked up on it), each with roads of its own.
    from caravana.engine.network import Network
    from caravana.scenario.overrides import apply_overrides

    base = load_scenario("corridor")
    faster = apply_overrides(base, {"corridor.caravans[0].pace_km": 40.0})
    a, b = simulation(base, seed=1, days=3), simulation(faster, seed=1, days=3)
    assert a.network is b.network
    road_a, road_b = (s.world.itineraries[base.corridor.caravans[0].name] for s in (a, b))
    assert np.array_equal(road_a.links, road_b.links) and road_a.links is not road_b.links
    road_b.links[0] = -1  # one run's road changed: not the other's, nor the next run's
    c = simulation(base, seed=1, days=3)
    assert road_a.links[0] >= 0 and c.world.itineraries[base.corridor.caravans[0].name].links[0] >= 0
    # Other places or routes: a network of their own, as built from scratch.
    moved = apply_overrides(base, {f"locations[{base.locations[0].name}].lat": base.locations[0].lat + 1.0})
    other = Network.from_scenario(moved)
    assert other is not a.network and other.lat[0] == base.locations[0].lat + 1.0
    kept, fresh = Network.from_scenario(base), Network._build(base)
    assert all(np.array_equal(getattr(kept, f), getattr(fresh, f)) if isinstance(getattr(kept, f), np.ndarray)
               else getattr(kept, f) == getattr(fresh, f) for f in ("names", "lat", "km", "mode", "reverse", "indptr"))


def test_the_event_log_counts_one_place_a_few_people_or_many_alike():
    from caravana.engine.events import EventLog

    log = EventLog(days=2, n_places=30)
    rng = np.random.default_rng(0)
    many, few = rng.integers(0, 30, 500), rng.integers(0, 30, 5)
    log.record(1, "x", many)  # counted by bincount
    log.record(1, "x", few, count=2)  # place by place
    log.record(1, "x", few.tolist())  # a list
    log.record(1, "x", 7, count=3)
    log.record(1, "x", np.int32(8))
    log.record(1, "x", np.array(9))  # a 0-d array
    expected = np.bincount(many, minlength=30) + 3 * np.bincount(few, minlength=30)
    expected[7] += 3
    expected[8] += 1
    expected[9] += 1
    np.testing.assert_array_equal(log.total("x")[1], expected)
    assert not log.total("x")[0].any()
    with pytest.raises(ValueError, match="at place -1"):
        log.record(0, "x", np.array([2, -1]))
