"""Flee's spawning: each day's rise in the displaced total appears at conflict zones.

New people are placed at conflict zones in proportion to population × conflict
intensity × decay. A fall in the total is carried as a debt that later rises pay
off first (Flee's ``refugee_debt``). On day 0, camps are pre-filled with their
observed day-0 counts.
"""

from __future__ import annotations

import numpy as np

from ..engine.behaviour import Behaviour
from ..scenario.series import interpolate_counts
from ..scenario.schema import Scenario
from .conflicts import conflict_decay


def displaced_series(scenario: Scenario, days: int) -> np.ndarray:
    """The cumulative count whose daily rise spawns people: the total, or the camps' sum."""
    if scenario.settings.spawning.sum_from_camps:
        return sum(
            (interpolate_counts(points, days) for points in scenario.spawning.camp_counts.values()),
            start=np.zeros(days, dtype=np.int64),
        )
    return interpolate_counts(scenario.spawning.totals, days)


def spawn_schedule(scenario: Scenario, days: int) -> tuple[np.ndarray, np.ndarray]:
    """(people due, refugee debt) per day, as Flee's ``spawn_daily_displaced`` works them out.

    A fall in the series becomes a debt that the next rises pay off first. On day 0 the
    whole day-0 count is due, unless camps are pre-filled with it (``insert_day0``).
    """
    daily = np.diff(displaced_series(scenario, days), prepend=0)
    if scenario.settings.spawning.insert_day0:
        daily[0] = 0
    due = np.zeros(days, dtype=np.int64)
    debt_by_day = np.zeros(days, dtype=np.int64)
    debt = 0
    for day, rise in enumerate(daily):
        new = int(rise) - debt
        debt = max(-new, 0)
        due[day] = max(new, 0)
        debt_by_day[day] = debt
    return due, debt_by_day


class FleeSpawning(Behaviour):
    name = "spawning"

    def init(self, sim) -> None:
        self.due, _ = spawn_schedule(sim.scenario, sim.days)
        self.unplaced = 0  # people due on days when no place could receive them
        if sim.scenario.settings.spawning.insert_day0:
            self._prefill_camps(sim)

    def _prefill_camps(self, sim) -> None:
        counts = sim.scenario.spawning.camp_counts
        for place in np.flatnonzero(sim.places.camp):
            name = sim.network.names[place]
            if name in counts:
                n = int(interpolate_counts(counts[name], 1)[0])
                sim.population.spawn(np.full(n, place, dtype=np.int32))

    def spawn_weights(self, sim) -> np.ndarray:
        places = sim.places
        decay = conflict_decay(sim.scenario.settings.spawning, sim.day - places.conflict_since)
        residents = np.maximum(places.population, 0.0)
        return np.where(places.conflict > 0, residents * places.conflict * decay, 0.0)

    def step(self, sim) -> None:
        new = int(self.due[sim.day]) + self.unplaced
        self.unplaced = 0
        if new == 0:
            return
        weights = self.spawn_weights(sim)
        total = weights.sum()
        if total <= 0:
            self.unplaced = new
            return
        per_place = self.rng.multinomial(new, weights / total)
        places = np.repeat(np.arange(len(per_place), dtype=np.int32), per_place)
        sim.population.spawn(places)
        if sim.scenario.settings.spawning.take_from_population:
            # Flee stops with an error when a place runs out of residents; here it just empties.
            sim.places.population = np.maximum(sim.places.population - per_place, 0.0)
