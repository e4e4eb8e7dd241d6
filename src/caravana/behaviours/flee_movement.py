"""Flee's movement rules as one behaviour: who leaves, which route, how far today.

Per day, for all places at once: scores (foreign, camp, conflict with decay),
capacity multipliers, and each route's weight
``((weight_softening + score) / (softening + km) ** distance_power * capacity) ** weight_power``,
normalised per origin. Then two compiled passes over people (see ``flee_kernels``).
"""

from __future__ import annotations

import numpy as np

from ..engine.behaviour import Behaviour
from ..engine.counting import count_at_places
from ..engine.status import Status
from .conflicts import conflict_decay
from .flee_kernels import move_people
from .routes import build_route_table, cumulative_choice_weights, routes_open


def location_scores(sim) -> np.ndarray:
    """Flee's ``updateLocationScore`` for every place."""
    rules = sim.scenario.settings.movement
    places = sim.places
    score = np.ones(sim.network.n_places)
    score[places.foreign] *= rules.foreign_weight
    score[places.camp] *= rules.camp_weight
    in_conflict = places.conflict > 0
    if in_conflict.any():
        decay = conflict_decay(sim.scenario.settings.spawning, sim.day - places.conflict_since)
        exponent = decay[in_conflict] * places.conflict[in_conflict]
        score[in_conflict] *= rules.conflict_weight**exponent
    return score


def capacity_multipliers(present: np.ndarray, capacity: np.ndarray, buffer: float) -> np.ndarray:
    """Vector form of Flee's ``getCapMultiplier`` (see ``flee_kernels.capacity_multiplier``)."""
    limited = capacity >= 1.0
    safe_cap = np.where(limited, capacity, 1.0)
    ramp = 1.0 - (present - buffer * safe_cap) / (safe_cap * (1.0 - buffer))
    out = np.where(present <= buffer * safe_cap, 1.0, np.where(present >= safe_cap, 0.0, ramp))
    return np.where(limited, out, 1.0)


class FleeMovement(Behaviour):
    """Flee's rules for everyone, or (``individuals_only``) for people outside any group."""

    name = "movement"

    def __init__(self, individuals_only: bool = False) -> None:
        self.individuals_only = individuals_only

    def init(self, sim) -> None:
        rules = sim.scenario.settings.movement
        self.rules = rules
        self.table = build_route_table(sim.network, sim.places.marker, rules.awareness_level)
        net = sim.network
        self.link_speed = np.where(np.isnan(net.speed), rules.max_move_speed, net.speed)
        self.present = np.zeros(net.n_places, dtype=np.int64)
        self._usable = np.ones(self.table.n_routes, dtype=bool)
        self._links_version = -1
        pop = sim.population
        if "wake" not in pop.fields:
            pop.add_field("wake", np.int32, -1)  # day of the next departure (see flee_kernels)
            pop.add_field("wake_at", np.int32, -1)
        self._last_movechance: np.ndarray | None = None

    def route_weights(self, sim, present: np.ndarray) -> np.ndarray:
        rules, table = self.rules, self.table
        if rules.awareness_level == 0:
            return np.ones(table.n_routes)
        score = location_scores(sim)
        capacity = capacity_multipliers(present, sim.places.capacity, rules.capacity_buffer)
        end = table.end
        weight = (rules.weight_softening + score[end]) / (rules.softening + table.km) ** rules.distance_power
        weight *= capacity[end]
        return weight**rules.weight_power

    def movechance(self, sim) -> np.ndarray:
        rules, places = self.rules, sim.places
        if rules.movechance_pop_scale_factor == 0.0:
            return places.movechance
        size = np.maximum(places.population, places.capacity)
        return places.movechance * (size / rules.movechance_pop_base) ** rules.movechance_pop_scale_factor

    def step(self, sim) -> None:
        pop, places, table, rules = sim.population, sim.places, self.table, self.rules
        present = self.present
        count_at_places(pop.loc, pop.status, np.int8(Status.RESTING), present)
        if sim.links.version != self._links_version:
            self._usable = routes_open(table, sim.links.open)
            self._links_version = sim.links.version
        cum = cumulative_choice_weights(table, self.route_weights(sim, present), self._usable)
        movechance = self.movechance(sim)
        if self._last_movechance is not None:
            changed = movechance != self._last_movechance
            if changed.any():  # wake-up days drawn with the old chance no longer hold
                pop.wake[changed[pop.loc]] = -1
        self._last_movechance = movechance.copy()
        net = sim.network
        move_people(
            sim.day, pop.loc, pop.link, pop.dist, pop.status, pop.route, pop.route_pos,
            pop.field("wake"), pop.field("wake_at"), pop.hops, pop.recent, pop.recent_day, pop.bounce,
            movechance, places.town,
            table.origin_ptr, cum, table.end, table.edge_ptr, table.edges, table.n_edges,
            net.src, net.dst, net.km, self.link_speed, net.walk_probability, sim.links.open,
            places.camp, places.capacity, rules.capacity_buffer, present,
            rules.max_move_speed, rules.max_walk_speed, rules.start_on_foot, rules.avoid_short_stints,
            pop.group, self.individuals_only, self.rng,
        )
