"""One counting pass a day: behaviours that keep the head-counts (``keeps_counts``) update
``sim.place_status_counts()`` as they change people, the rest make the engine count again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import caravana
import caravana.engine.simulation as engine_simulation
from caravana.engine import counting
from caravana.engine.counting import count_by_place_and_status
from caravana.engine.status import N_STATUS, Status
from caravana.scenario.corridor import CorridorSpec

DATA = Path(__file__).parent / "data"


def fresh_counts(sim) -> np.ndarray:
    out = np.zeros((sim.network.n_places, N_STATUS), dtype=np.int64)
    count_by_place_and_status(sim.population.loc, sim.population.status, out)
    return out


MECHANISMS = str(DATA / "corridor_mechanisms_frozen" / "scenario.yml")


def with_lone_travellers(scenario):
    corridor = scenario.corridor.model_dump(by_alias=True)
    corridor["individuals"] = [{"origin": "Tapachula", "per_day": 300, "end": 30}]
    return scenario.model_copy(update={"corridor": CorridorSpec.model_validate(corridor)})


@pytest.mark.parametrize(("source", "days", "lone", "keeper"), [
    ("mali2012", 40, False, "movement"),
    (MECHANISMS, 60, False, "aid"),
    (MECHANISMS, 60, True, "movement"),  # Flee's kernel moving people outside caravans
])
def test_kept_counts_are_right_after_every_behaviour(source, days, lone, keeper):
    scenario = caravana.load_scenario(source)
    sim = caravana.simulation(with_lone_travellers(scenario) if lone else scenario, seed=3, days=days)
    checked = []
    for behaviour in sim.behaviours:
        def step(sim, inner=behaviour.step, b=behaviour):
            inner(sim)
            if b.keeps_counts and sim._tally_valid:
                np.testing.assert_array_equal(sim._tally, fresh_counts(sim), err_msg=f"{b.name}, day {sim.day}")
                checked.append(b.name)
        behaviour.step = step
    while sim.day < sim.days:
        sim.step()
        np.testing.assert_array_equal(sim.counts[sim.day - 1], fresh_counts(sim))
    assert keeper in checked  # the kept tally was checked, not only recounts


def count_passes(monkeypatch) -> list[str]:
    """Every pass over the population the engine makes to count (head-counts, flows), by kernel."""
    calls: list[str] = []
    original = counting.count_with_flows

    def plain(loc, status, out):
        calls.append("counts")
        count_by_place_and_status(loc, status, out)

    def with_flows(*args):
        calls.append("counts and flows" if args[4] else "flows")
        return original(*args)

    monkeypatch.setattr(engine_simulation, "count_by_place_and_status", plain)
    monkeypatch.setattr(counting, "count_with_flows", with_flows)
    return calls


@pytest.mark.parametrize(("source", "days", "passes"), [
    ("mali2012", 30, 1),  # day 0's first count; then the flows from the people the kernel moved
    (str(DATA / "corridor_current_frozen" / "scenario.yml"), 30, 1),  # so too the corridor's (session 6)
    (MECHANISMS, 30, 1),
])
def test_a_day_counts_the_population_at_most_once(monkeypatch, source, days, passes):
    """Head-counts without a pass over everyone after day 0's first count: a Flee day's
    kernel, and since session 6 every corridor behaviour, keeps them and lists whom it
    changed. The flows are found from those lists, or, on a day when more than a quarter of
    everyone changed (a caravan walks), by a pass over everyone for the flows alone."""
    calls = count_passes(monkeypatch)
    sim = caravana.simulation(caravana.load_scenario(source), seed=1, days=days)
    sim.run()
    assert len([c for c in calls if c != "flows"]) == passes, calls
    assert len(calls) < days, calls  # some days from the lists alone
    assert calls[0] == "counts and flows"


def test_people_changed_between_days_are_counted():
    """A forecast moves people between steps: the next day's counts see it."""
    sim = caravana.simulation(caravana.load_scenario("mali2012"), seed=1, days=20)
    for _ in range(10):
        sim.step()
    resting = np.flatnonzero(sim.population.status == Status.RESTING)[:50]
    sim.population.status[resting] = Status.DEAD
    while sim.day < sim.days:
        sim.step()
        np.testing.assert_array_equal(sim.counts[sim.day - 1], fresh_counts(sim))
    assert sim.counts[-1][:, Status.DEAD].sum() == 50


@pytest.mark.parametrize("source", ["mali2012", MECHANISMS])
def test_people_read_between_days_are_recounted_the_next_day_only(monkeypatch, source):
    """A forecast reads its particles' people once (to move them) and steps them for weeks: the
    day after a read counts everyone afresh, the days after keep the counts again (session 18:
    every later day was a recount), with the same counts as a run never read and, when people
    are changed after a later read, counted as changed."""
    calls = count_passes(monkeypatch)
    scenario = caravana.load_scenario(source)
    plain = caravana.simulation(scenario, seed=2, days=30)
    plain.run()
    sim = caravana.simulation(scenario, seed=2, days=30)
    for _ in range(10):
        sim.step()
    assert sim.population.n  # read between days: handed out
    calls.clear()
    sim.step()
    assert [c for c in calls if c != "flows"] == ["counts and flows"]  # the day after: a fresh count
    assert not sim.people_handed_out
    calls.clear()
    for _ in range(9):
        sim.step()
    assert [c for c in calls if c != "flows"] == []  # then kept again
    np.testing.assert_array_equal(sim.counts[:20], plain.counts[:20])
    pop = sim.population  # read again: changed, and the next day sees it
    resting = np.flatnonzero(pop.status == Status.RESTING)[:50]
    pop.status[resting] = Status.DEAD
    while sim.day < sim.days:
        sim.step()
        np.testing.assert_array_equal(sim.counts[sim.day - 1], fresh_counts(sim))
    assert sim.counts[-1][:, Status.DEAD].sum() >= 50


def test_flee_kernel_counts_the_flows_of_whom_it_moves(monkeypatch):
    """From day 1 on (once the flows' reader is known), Flee's kernel counts a day's arrivals
    and departures as it moves people, so that nobody is visited again for them; the flows
    are those the engine's own pass over the listed people finds."""
    listed_passes: list[int] = []
    original = counting.flows_of_listed

    def spy(*args):
        listed_passes.append(len(args[4]))
        return original(*args)

    monkeypatch.setattr(counting, "flows_of_listed", spy)
    scenario = caravana.load_scenario("mali2012")
    fused = caravana.simulation(scenario, seed=2, days=60).run()
    assert len(listed_passes) == 1  # day 0 only: the kernel counted the flows of the other 59 days
    monkeypatch.setattr(engine_simulation.Simulation, "flows_for_mover", lambda self, behaviour: None)
    listed = caravana.simulation(scenario, seed=2, days=60).run()
    assert len(listed_passes) > 40  # the engine's pass over the people the kernel listed (or over everyone)
    for name in ("arrivals", "departures"):
        np.testing.assert_array_equal(fused.arrays[name].values, listed.arrays[name].values)
    assert fused.arrays["arrivals"].values[-1].sum() > 1000
    np.testing.assert_array_equal(fused.counts, listed.counts)
