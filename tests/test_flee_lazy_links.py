"""People in the middle of a link are passed over until the day they come off it
(``flee_kernels.move_people``'s ``lazy_links``): the run is the one that moves them on
every day, to the random number, and their position and recent-travel index, brought
up to date, are the ones it gives."""

from __future__ import annotations

import numpy as np

import caravana
from caravana.behaviours import ConflictEvents, FleeMovement, FleeSpawning, PlaceFlows
from caravana.behaviours.closures import Closures
from caravana.behaviours.flee_kernels import HALVINGS, MAX_AHEAD
from caravana.engine.behaviour import Behaviour
from caravana.engine.simulation import Simulation
from caravana.engine.status import Status


def _run(scenario, movement, days):
    sim = Simulation(scenario, [ConflictEvents(), FleeSpawning(), Closures(), movement, PlaceFlows()], seed=3,
                     days=days)
    sim.run()
    return sim


def test_passing_over_people_on_links_changes_nothing():
    """mali2012's first links are walked (start_on_foot: 35 km a day on links up to 487 km):
    many people spend days on a link. ``individuals_only`` with nobody in a group moves the
    same people by the same rules, looking at everyone on a link every day."""
    scenario = caravana.load_scenario("mali2012")
    days = 90
    last = days - 1
    lazy = _run(scenario, FleeMovement(), days)
    eager = _run(scenario, FleeMovement(individuals_only=True), days)
    assert (eager.population.group < 0).all()
    np.testing.assert_array_equal(lazy.counts, eager.counts)
    for a, b in zip(lazy.behaviours, eager.behaviours):
        assert a.rng.bit_generator.state == b.rng.bit_generator.state, a.name  # the same draws, all of them
    lp, ep = lazy.population, eager.population
    # What lets the lazy scan read no place: a wake-up day to come was drawn where one rests.
    waiting = (lp.status == Status.RESTING) & (lp.field("wake") > last)
    assert waiting.sum() > 1000
    np.testing.assert_array_equal(lp.field("wake_at")[waiting], lp.loc[waiting])
    for field in ("loc", "status", "link", "route", "route_pos", "hops", "bounce", "wake_at"):
        np.testing.assert_array_equal(lp.field(field), ep.field(field), field)
    # Those passed over hold their position and index as of their last day looked at:
    # brought forward day by day (Flee's rule, written here apart), they are the eager run's.
    behind = np.flatnonzero((lp.status == Status.TRAVELLING) & (lp.recent_day < last))
    assert len(behind) > 100
    assert (ep.recent_day[lp.status == Status.TRAVELLING] == last).all()
    movement = lazy.behaviours[3]
    rules = movement.rules
    assert rules.start_on_foot  # (the first hop walked, as below)
    speed = np.where(lp.hops[behind] == 0, rules.max_walk_speed, movement.link_speed[lp.link[behind]])
    dist = lp.dist[behind].copy()
    index = lp.recent[behind].copy()
    for d in range(int(lp.recent_day[behind].min()) + 1, last + 1):
        going = lp.recent_day[behind] < d
        dist[going] += speed[going]
        previous = index[going].astype(np.float64) * HALVINGS[0]
        previous[previous <= 1e-30] = 0.0
        after = (previous + speed[going] / rules.max_move_speed) / 2.0
        after[after <= 1e-30] = 0.0
        index[going] = after.astype(np.float32)
    np.testing.assert_array_equal(dist, ep.dist[behind])
    np.testing.assert_array_equal(index, ep.recent[behind])
    on_time = np.setdiff1d(np.arange(lp.n), behind)
    for field in ("dist", "recent", "recent_day"):
        np.testing.assert_array_equal(lp.field(field)[on_time], ep.field(field)[on_time], field)


def test_a_tiny_link_speed_passes_people_over_at_most_max_ahead_days():
    """A link speed of 1e-7 km a day (the schema allows any speed above 0) keeps people on
    it for billions of days: they are passed over MAX_AHEAD days at a time (no endless count
    of days ahead, no overflow of ``wake``), woken early and brought up to date, and the run
    past MAX_AHEAD days is the one that looks at them every day."""
    scenario = caravana.load_scenario("mali2012")
    tiny = [r.model_copy(update={"max_move_speed": 1e-7}) if k % 2 == 0 else r for k, r in enumerate(scenario.routes)]
    scenario = scenario.model_copy(update={"routes": tiny})
    days = MAX_AHEAD + 40
    last = days - 1
    lazy = _run(scenario, FleeMovement(), days)
    eager = _run(scenario, FleeMovement(individuals_only=True), days)
    np.testing.assert_array_equal(lazy.counts, eager.counts)
    for a, b in zip(lazy.behaviours, eager.behaviours):
        assert a.rng.bit_generator.state == b.rng.bit_generator.state, a.name
    lp, ep = lazy.population, eager.population
    for field in ("loc", "status", "link", "route", "route_pos", "hops"):
        np.testing.assert_array_equal(lp.field(field), ep.field(field), field)
    movement = lazy.behaviours[3]
    on_tiny = (lp.status == Status.TRAVELLING) & (lp.hops > 0)
    on_tiny &= movement.link_speed[np.maximum(lp.link, 0)] < 1e-6
    assert on_tiny.sum() > 1000
    wake = lp.field("wake")[on_tiny]
    passed_over = lp.recent_day[on_tiny] < last
    assert passed_over.any()
    # each put to sleep for MAX_AHEAD days (the cap), not link_km / speed
    np.testing.assert_array_equal(wake[passed_over] - lp.recent_day[on_tiny][passed_over], MAX_AHEAD + 1)
    # Looked at again after MAX_AHEAD days on the link (woken early), then passed over again.
    again = (lp.recent_day[on_tiny] > MAX_AHEAD) & (lp.recent_day[on_tiny] < last)
    assert again.sum() > 100
    looked_at_today = lp.recent_day == last
    for field in ("dist", "recent"):
        np.testing.assert_array_equal(lp.field(field)[looked_at_today], ep.field(field)[looked_at_today], field)


class _Mover(Behaviour):
    """A behaviour that may move people (``moves_people`` by default), doing nothing here."""

    name = "mover"

    def step(self, sim) -> None:
        pass


def test_another_mover_turns_passing_over_off():
    """Someone another behaviour put on a link, or moved while at rest, would be passed over
    wrongly: with any mover besides spawning, everyone is looked at as before."""
    scenario = caravana.load_scenario("mali2012")
    alone = caravana.simulation(scenario, seed=1, days=2)
    with_mover = caravana.simulation(scenario, seed=1, days=2, extra=[_Mover()])
    assert next(b for b in alone.behaviours if isinstance(b, FleeMovement))._lazy_links
    assert not next(b for b in with_mover.behaviours if isinstance(b, FleeMovement))._lazy_links
