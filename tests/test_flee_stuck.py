"""People who cannot leave their place for now (``flee_kernels.move_people``'s ``stuck``) are
not looked at again until a way out opens: the run is the one that looks at them every day,
to the random number."""

from __future__ import annotations

import numpy as np

import caravana
from caravana.behaviours import flee_movement
from caravana.behaviours.flee_kernels import STUCK


def test_skipping_stuck_people_changes_nothing(monkeypatch):
    """burundi2015 has places with no usable route whose people try every day; one of them
    opens on day 91 (the reset is met)."""
    scenario = caravana.load_scenario("burundi2015")
    skipping = caravana.simulation(scenario, seed=5, days=120)
    seen = {"stuck": 0, "opened": 0}
    original = flee_movement.FleeMovement.stuck_places

    def spy(self, cum, movechance):
        stuck = original(self, cum, movechance)
        seen["opened"] += int((self._stuck & ~stuck).any())
        return stuck

    monkeypatch.setattr(flee_movement.FleeMovement, "stuck_places", spy)
    while skipping.day < skipping.days:
        skipping.step()
        seen["stuck"] = max(seen["stuck"], int((skipping.population.field("wake") == STUCK).sum()))
    assert seen["stuck"] > 1000 and seen["opened"] >= 1
    monkeypatch.setattr(flee_movement.FleeMovement, "stuck_places",
                        lambda self, cum, movechance: np.zeros(len(movechance), dtype=bool))
    looking = caravana.simulation(scenario, seed=5, days=120)
    looking.run()
    np.testing.assert_array_equal(skipping.counts, looking.counts)
    for field in ("loc", "status", "link", "dist", "route", "route_pos", "hops", "recent", "wake_at"):
        np.testing.assert_array_equal(skipping.population.field(field), looking.population.field(field), field)
    for a, b in zip(skipping.behaviours, looking.behaviours):
        assert a.rng.bit_generator.state == b.rng.bit_generator.state, a.name  # the same draws, all of them
