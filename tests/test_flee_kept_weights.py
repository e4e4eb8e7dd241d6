"""The day's route weights and spawning shares are kept from one day to the next
(``FleeMovement.weights_before_capacity``, ``FleeSpawning.spawn_shares``): every day of a run,
what is kept must be what computing afresh gives, to the bit, also across conflicts starting
and ending and their decay steps (``conflicts.decay_steady_until``)."""

from __future__ import annotations

import numpy as np
import pytest

import caravana
from caravana.behaviours.conflicts import conflict_decay, decay_steady_until
from caravana.scenario.schema import SpawnSettings


def test_decay_steady_until_is_the_first_day_a_decay_step_changes():
    settings = SpawnSettings(conflict_spawn_decay=[1.0, 0.8, 0.5, 0.1], conflict_spawn_decay_interval=7)
    rng = np.random.default_rng(3)
    for _ in range(200):
        since = rng.integers(-5, 60, size=6)
        conflict = np.where(rng.random(6) < 0.6, 1.0, -1.0)
        day = int(rng.integers(0, 80))
        since = np.minimum(since, day)  # a conflict began on or before today
        until = decay_steady_until(settings, day, conflict, since)
        on = conflict > 0
        today = conflict_decay(settings, day - since)[on]
        last = int(min(until, day + 60))
        for later in range(day + 1, last):
            np.testing.assert_array_equal(conflict_decay(settings, later - since)[on], today)
        if until != np.inf:
            step_then, step_now = (np.minimum(np.maximum(d - since[on], 0) // 7, 3) for d in (until, day))
            assert (step_then != step_now).any()
    assert decay_steady_until(SpawnSettings(), 5, np.ones(3), np.zeros(3, dtype=np.int64)) == np.inf


@pytest.mark.parametrize("name", ["burundi2015", "mali2012"])
def test_kept_weights_and_shares_are_the_fresh_ones(name):
    """Each day, what is kept (when it is reused) against a fresh computation (with nothing kept)."""
    scenario = caravana.load_scenario(name)
    sim = caravana.simulation(scenario, seed=2, days=160)
    movement, spawning = sim.behaviour("movement"), sim.behaviour("spawning")
    reused = {"weights": 0, "shares": 0}
    while sim.day < sim.days:
        sim.step()
        entry, entry_shares = movement._before_capacity.kept.get(0), spawning._shares.kept.get(0)
        kept, shares = movement.weights_before_capacity(sim, 0), spawning.spawn_shares(sim)
        reused["weights"] += movement._before_capacity.kept[0] is entry
        reused["shares"] += spawning._shares.kept[0] is entry_shares
        memo, memo_shares = movement._before_capacity.kept, spawning._shares.kept
        movement._before_capacity.kept, spawning._shares.kept = {}, {}
        np.testing.assert_array_equal(kept, movement.weights_before_capacity(sim, 0))
        fresh = spawning.spawn_shares(sim)
        movement._before_capacity.kept, spawning._shares.kept = memo, memo_shares
        assert (shares is None) == (fresh is None)
        if shares is not None:
            np.testing.assert_array_equal(shares, fresh)
    # most days reuse what was kept; some compute afresh (conflicts change, decay steps)
    assert sim.days // 2 < reused["weights"] < sim.days and sim.days // 2 < reused["shares"] < sim.days
