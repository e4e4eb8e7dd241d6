"""Conflicts starting and ending (Flee's conflicts.csv), and their fading over time."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from ..engine.behaviour import Behaviour
from ..scenario.schema import SpawnSettings


def conflict_decay(settings: SpawnSettings, days_since: np.ndarray) -> np.ndarray:
    """Flee's conflict decay multiplier for each place, given days since its conflict began."""
    steps = settings.conflict_spawn_decay
    if not steps:
        return np.ones(len(days_since))
    index = np.minimum(np.maximum(days_since, 0) // settings.conflict_spawn_decay_interval, len(steps) - 1)
    return np.asarray(steps, dtype=np.float64)[index]


def decay_steady_until(settings: SpawnSettings, day: int, conflict: np.ndarray, since: np.ndarray) -> float:
    """The first day after ``day`` on which :func:`conflict_decay` of a place in conflict
    (``conflict > 0``) may differ from today's, as long as conflicts do not change (inf: never).
    For caching what depends on the decay alone (a place's step changes when its days since
    reach the next multiple of the interval)."""
    steps = settings.conflict_spawn_decay
    if not steps:
        return math.inf
    interval = settings.conflict_spawn_decay_interval
    started = since[conflict > 0]
    step = np.minimum(np.maximum(day - started, 0) // interval, len(steps) - 1)
    moving = step < len(steps) - 1
    if not moving.any():
        return math.inf
    return int((started[moving] + interval * (step[moving] + 1)).min())


class KeptWhileSteady:
    """Values computed from some of the places' arrays (``fields``) and the conflicts' decay steps,
    kept from one day to the next until either changes (:func:`decay_steady_until`); one value
    per ``slot``. A kept value is shared: not to be changed by whoever gets it."""

    def __init__(self, *fields: str) -> None:
        self.fields = fields
        self.kept: dict[Hashable, tuple] = {}  # slot -> (key, first day, day it ends, value)

    def get(self, sim, compute: Callable[[], Any], slot: Hashable = 0) -> Any:
        places = sim.places
        key = [getattr(places, name).tobytes() for name in self.fields]
        kept = self.kept.get(slot)
        if kept is not None and kept[0] == key and kept[1] <= sim.day < kept[2]:
            return kept[3]
        value = compute()
        until = decay_steady_until(sim.scenario.settings.spawning, sim.day, places.conflict, places.conflict_since)
        self.kept[slot] = (key, sim.day, until, value)
        return value


class ConflictEvents(Behaviour):
    """Applies the scenario's conflict changes on their day, before anyone spawns or moves."""

    name = "conflicts"
    keeps_counts = True  # places' conflicts only
    moves_people = False

    def init(self, sim) -> None:
        index = sim.scenario.location_index()
        self.by_day: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for change in sim.scenario.conflicts:
            self.by_day[change.day].append((index[change.location], change.intensity))

    def step(self, sim) -> None:
        rules = sim.scenario.settings.movement
        for place, intensity in self.by_day.get(sim.day, ()):
            if intensity > 0:
                sim.places.start_conflict(place, intensity, sim.day, rules)
            else:
                sim.places.end_conflict(place, rules)
