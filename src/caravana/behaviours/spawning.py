"""Flee's spawning: each day's rise in the displaced total appears at conflict zones.

New people are placed at conflict zones in proportion to population × conflict
intensity × decay. A fall in the total is carried as a debt that later rises pay
off first (Flee's ``refugee_debt``). On day 0, camps are pre-filled with their
observed day-0 counts.

With ``conflict_driven`` spawning (Flee's ``conflict_driven_spawning``) the counts play
no part in spawning: each active conflict zone spawns its own number each day.
"""

from __future__ import annotations

import numpy as np

from ..engine.behaviour import Behaviour
from ..engine.status import Status
from ..scenario.schema import Scenario
from ..scenario.series import interpolate_counts
from .conflicts import KeptWhileSteady, conflict_decay


def displaced_series(scenario: Scenario, days: int) -> np.ndarray:
    """The cumulative count whose daily rise spawns people: the total, or the camps' sum
    (none when conflicts spawn people themselves: Flee's raw count stays 0 then)."""
    if scenario.settings.spawning.conflict_driven is not None:
        return np.zeros(days, dtype=np.int64)
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
    keeps_counts = True  # updates sim.place_status_counts() as it spawns
    reports_moves = True  # it only spawns: nobody else's place or status changes

    def init(self, sim) -> None:
        self.due, _ = spawn_schedule(sim.scenario, sim.days)
        self.unplaced = 0  # people due on days when no place could receive them
        self._shares = KeptWhileSteady("population", "conflict", "conflict_since")  # spawn_shares', kept
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

    def conflict_driven_counts(self, sim) -> np.ndarray:
        """People each place spawns today under Flee's ``conflict_driven_spawning``."""
        rule = sim.scenario.settings.spawning.conflict_driven
        places = sim.places
        active = places.conflict > 0
        rate = rule.displaced_per_conflict_day
        if rule.spawn_mode == "poisson":
            lam = np.where(active, rate * places.conflict, 0.0)
            return self.rng.poisson(lam).astype(np.int64)
        if rule.spawn_mode == "pop_ratio":
            expected = rate * places.population * places.conflict
        else:
            expected = rate * places.conflict
        return np.where(active, np.floor(expected), 0).astype(np.int64)  # Flee's int() of a positive number

    def step(self, sim) -> None:
        if sim.scenario.settings.spawning.conflict_driven is not None:
            self.place(sim, self.conflict_driven_counts(sim))
            return
        new = int(self.due[sim.day]) + self.unplaced
        self.unplaced = 0
        if new == 0:
            return
        shares = self.spawn_shares(sim)
        if shares is None:
            self.unplaced = new
            return
        self.place(sim, self.rng.multinomial(new, shares))

    def spawn_shares(self, sim) -> np.ndarray | None:
        """Each place's share of the day's new people (``spawn_weights`` over their sum), or None
        when no place can receive them. Kept (not to be changed) and computed again only when
        the places' residents or conflicts change or a conflict's decay steps
        (``KeptWhileSteady``): a handful of NumPy calls on a few dozen places, every day."""
        return self._shares.get(sim, lambda: self._fresh_shares(sim))

    def _fresh_shares(self, sim) -> np.ndarray | None:
        weights = self.spawn_weights(sim)
        total = weights.sum()
        return weights / total if total > 0 else None

    def place(self, sim, per_place: np.ndarray) -> None:
        """Spawn ``per_place[i]`` people at each place i."""
        places = np.repeat(np.arange(len(per_place), dtype=np.int32), per_place)
        tally = sim.place_status_counts()  # before the change
        sim.population.spawn(places)  # resting
        tally[:, Status.RESTING] += per_place
        if sim.scenario.settings.spawning.take_from_population:
            # Flee stops with an error when a place runs out of residents; here it just empties.
            sim.places.population = np.maximum(sim.places.population - per_place, 0.0)
