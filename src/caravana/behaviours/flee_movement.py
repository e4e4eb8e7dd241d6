"""Flee's movement rules as one behaviour: who leaves, which route, how far today.

Per day, for all places at once: scores (foreign, camp, conflict with decay),
capacity multipliers, and each route's weight
``((weight_softening + score) / (softening + km) ** distance_power * capacity) ** weight_power``,
normalised per origin. Then two compiled passes over people (see ``flee_kernels``).
"""

from __future__ import annotations

import numpy as np

from ..engine.behaviour import Behaviour
from ..engine.pcg import give_state, take_state
from ..engine.status import Status
from .conflicts import KeptWhileSteady, conflict_decay
from .demographics import ADULT, FIELD, HazardRules, transform_scores
from .flee_kernels import STUCK, capacity_multipliers_into, move_people
from .routes import build_route_table, cumulative_choice_weights, routes_open
from .spawning import FleeSpawning


def location_scores(sim) -> np.ndarray:
    """Flee's ``updateLocationScore`` for every place."""
    rules = sim.scenario.settings.movement
    places = sim.places
    score = np.ones(sim.network.n_places)
    if rules.foreign_weight != 1.0:  # (a weight of 1 changes no score)
        score[places.foreign] *= rules.foreign_weight
    if rules.camp_weight != 1.0:
        score[places.camp] *= rules.camp_weight
    in_conflict = places.conflict > 0
    if in_conflict.any():
        decay = conflict_decay(sim.scenario.settings.spawning, sim.day - places.conflict_since)
        exponent = decay[in_conflict] * places.conflict[in_conflict]
        score[in_conflict] *= rules.conflict_weight**exponent
    return score


def place_multipliers(sim) -> np.ndarray | None:
    """Flee's ``getEndPointScore`` factors that depend on the destination alone, or None.

    ``use_pop_for_loc_weight``: a town's or conflict zone's score times pop ** power, with
    Flee 3.1's min(1, pop) (only empty places change: to 0 for a positive power) or newer
    Flee's max(1, pop). ``Match*Ethnicity``: times 10 (3.1's attribute ratio is always 1).
    """
    rules, places = sim.scenario.settings.movement, sim.places
    if not (rules.use_pop_for_loc_weight or rules.match_camp_ethnicity
            or rules.match_town_ethnicity or rules.match_conflict_ethnicity):
        return None
    factor = np.ones(sim.network.n_places)
    camp = places.camp
    conflict = ~camp & (places.conflict > 0)
    other = ~camp & ~conflict
    if rules.use_pop_for_loc_weight:
        pop = places.population
        capped = np.minimum(1.0, pop) if rules.flee_rules == "3.1" else np.maximum(1.0, pop)
        factor[~camp] *= capped[~camp] ** rules.pop_power_for_loc_weight
    for chosen, where in ((rules.match_camp_ethnicity, camp), (rules.match_conflict_ethnicity, conflict),
                          (rules.match_town_ethnicity, other)):
        if chosen:
            factor[where] *= 10.0
    return factor


def home_distance_factors(sim, table) -> np.ndarray:
    """Flee's ``stay_close_to_home``: 1 / max(1, km as the crow flies from the place a person
    chooses at to the route's end) ** home_distance_power, per route.

    Flee 3.1 computes the distance with the file's latitude column as x (longitude) and
    the longitude column as y (latitude); caravana uses the same formula, so that the
    weights are Flee's.
    """
    rules, net = sim.scenario.settings.movement, sim.network
    lat, lon = np.radians(net.lon), np.radians(net.lat)  # Flee's y and x (see above)
    a_lat, b_lat = lat[table.origin], lat[table.end]
    d_lat, d_lon = b_lat - a_lat, lon[table.end] - lon[table.origin]
    h = np.sin(d_lat / 2) ** 2 + np.cos(a_lat) * np.cos(b_lat) * np.sin(d_lon / 2) ** 2
    km = 6373.0 * 2 * np.arctan2(np.sqrt(h), np.sqrt(1 - h))  # Flee's Earth radius
    return 1.0 / np.maximum(1.0, km) ** rules.home_distance_power


def capacity_multipliers(present: np.ndarray, capacity: np.ndarray, buffer: float) -> np.ndarray:
    """Flee's ``getCapMultiplier`` for every place (``flee_kernels.capacity_multiplier``)."""
    out = np.empty(len(capacity))
    capacity_multipliers_into(present, capacity, float(buffer), out)
    return out


class FleeMovement(Behaviour):
    """Flee's rules for everyone, or (``individuals_only``) for people outside any group."""

    name = "movement"
    keeps_counts = True  # the kernel and settle_at_camps update sim.place_status_counts()
    reports_moves = True  # ... and list who they moved (sim.moved)
    uses = ("hops", "recent", "recent_day", "route", "route_pos", "bounce")

    def __init__(self, individuals_only: bool = False) -> None:
        self.individuals_only = individuals_only

    def init(self, sim) -> None:
        rules = sim.scenario.settings.movement
        self.rules = rules
        self.table = build_route_table(sim.network, sim.places.marker, rules.awareness_level)
        # What the day's route weights and stuck places need of the routes alone, once.
        self._distance_term = (rules.softening + self.table.km) ** rules.distance_power
        ptr = self.table.origin_ptr
        self._has_routes = ptr[1:] > ptr[:-1]
        self._last_route = np.maximum(ptr[1:] - 1, 0)  # each place's last route (its total weight)
        net = sim.network
        self.link_speed = np.where(np.isnan(net.speed), rules.max_move_speed, net.speed)
        self.present = np.zeros(net.n_places, dtype=np.int64)
        self._usable = np.ones(self.table.n_routes, dtype=bool)
        self._links_version = -1
        pop = sim.population
        if "wake" not in pop.fields:
            pop.add_field("wake", np.int32, -1)  # day of the next departure, or off a link (flee_kernels)
            pop.add_field("wake_at", np.int32, -1)
        self._last_movechance: np.ndarray | None = None
        self._stuck = np.zeros(net.n_places, dtype=bool)  # yesterday's stuck places (flee_kernels)
        self._travellers = np.zeros(0, dtype=np.int32)  # the kernel's list of who travelled today
        self._cum = np.zeros((0, 0))  # the day's cumulative route weights, a row per rule followed
        # weights_before_capacity's, per rule: kept while what it reads of the places stays as it is
        self._before_capacity = KeptWhileSteady("conflict", "conflict_since", "camp", "foreign",
                                                *(("population",) if rules.use_pop_for_loc_weight else ()))
        self._visit = np.zeros(0, dtype=np.uint8)  # the kernel's scratch: whom it looks at today
        self._no_flows = (np.zeros(0, np.int32), np.zeros(0, np.bool_), np.zeros(0, np.int64), np.zeros(0, np.int64))
        self.home_factor = home_distance_factors(sim, self.table) if rules.stay_close_to_home else None
        # Flee's ChildrenAvoidHazards / BoysTakeRisk: one row of route weights per rule
        # followed, and each person's rule (a per-person field only when the rule is on).
        self.hazard = HazardRules(sim.scenario, net.names) if rules.children_avoid_hazards else None
        self._no_rules = np.zeros(0, dtype=np.int8)
        if self.hazard is not None and FIELD not in pop.fields:
            pop.add_field(FIELD, np.int8, ADULT)
        self.sinks = sim.scenario.settings.spawning.camps_are_sinks
        # People in the middle of a link may be passed over (flee_kernels' lazy_links) only if
        # nothing but this behaviour moves anyone (spawning apart): another mover could put
        # someone on a link, or move someone at rest, without telling the kernel.
        self._lazy_links = not self.individuals_only and all(
            b is self or not b.moves_people or isinstance(b, FleeSpawning) for b in sim.behaviours)
        if self.sinks:
            self.deactivation = np.array([loc.deactivation_probability for loc in sim.scenario.locations])

    def route_weights(self, sim, present: np.ndarray, rule: int = ADULT) -> np.ndarray:
        """Each route's weight as people following ``rule`` (``demographics``) see it."""
        rules, table = self.rules, self.table
        if rules.awareness_level == 0:
            return np.ones(table.n_routes)
        capacity = capacity_multipliers(present, sim.places.capacity, rules.capacity_buffer)
        weight = self.weights_before_capacity(sim, rule) * capacity[table.end]
        if rules.weight_power == 1.0:  # (what NumPy's ** 1.0 gives, without the copy)
            return weight
        return weight**rules.weight_power

    def weights_before_capacity(self, sim, rule: int) -> np.ndarray:
        """``(weight_softening + score) / (softening + km) ** distance_power`` per route, the
        day's weights before the ends' capacities (not to be changed: it is kept). Computed
        again only when what it depends on changes: the places' conflicts, camps, foreign flags
        (and residents, if they weigh), or a conflict's decay step (``KeptWhileSteady``).
        Its dozen NumPy calls on arrays of a few dozen places cost ~30 us a day otherwise."""
        return self._before_capacity.get(sim, lambda: self._fresh_weights(sim, rule), rule)

    def _fresh_weights(self, sim, rule: int) -> np.ndarray:
        end = self.table.end
        base = transform_scores(location_scores(sim)[end], rule)
        factors = place_multipliers(sim)
        if factors is not None:
            base = base * factors[end]
        if self.home_factor is not None:
            base = base * self.home_factor
        return (self.rules.weight_softening + base) / self._distance_term

    def movechance(self, sim) -> np.ndarray:
        rules, places = self.rules, sim.places
        if rules.movechance_pop_scale_factor == 0.0:
            return places.movechance
        size = np.maximum(places.population, places.capacity)
        return places.movechance * (size / rules.movechance_pop_base) ** rules.movechance_pop_scale_factor

    def step(self, sim) -> None:
        pop, places, table, rules = sim.population, sim.places, self.table, self.rules
        tally = sim.place_status_counts()
        present = self.present
        present[:] = tally[:, Status.RESTING]
        if self.sinks:  # Flee keeps counting people who settled at a camp
            present += tally[:, Status.SETTLED]
        if sim.links.version != self._links_version:
            self._usable = routes_open(table, sim.links.open)
            self._links_version = sim.links.version
        if self.hazard is not None:
            self.hazard.assign(pop, self.rng)
            person_rule = pop.field(FIELD)
        else:
            person_rule = self._no_rules
        rules_followed = self.hazard.rules if self.hazard is not None else (ADULT,)
        if self._cum.shape != (len(rules_followed), table.n_routes):
            self._cum = np.empty((len(rules_followed), table.n_routes))
        cum = self._cum
        for row, rule in enumerate(rules_followed):
            cumulative_choice_weights(table, self.route_weights(sim, present, rule), self._usable, out=cum[row])
        movechance = self.movechance(sim)
        if self._last_movechance is not None:
            changed = movechance != self._last_movechance
            if changed.any():  # wake-up days drawn with the old chance no longer hold
                pop.wake[changed[pop.loc]] = -1
        self._last_movechance = movechance.copy()
        stuck = self.stuck_places(cum, movechance)
        if (self._stuck & ~stuck).any():  # a way out opened: those who gave up try again today
            wake = pop.field("wake")
            wake[wake == STUCK] = -1
        self._stuck = stuck
        net = sim.network
        if len(self._travellers) < pop.n:  # room for everyone; pages never written cost nothing
            self._travellers = np.empty(max(pop.n, 2 * len(self._travellers)), dtype=np.int32)
            self._visit = np.empty(len(self._travellers), dtype=np.uint8)
        # The day's flows counted by the kernel, unless people settle at camps after it.
        flows = None if self.sinks else sim.flows_for_mover(self)
        if flows is not None:
            night, staying, arrivals, departures = (pop.field(flows.FIELD), flows.staying, flows.arrivals,
                                                    flows.departures)
        else:
            night, staying, arrivals, departures = self._no_flows
        stream = take_state(self.rng)
        k = move_people(
            sim.day, pop.loc, pop.link, pop.dist, pop.status, pop.route, pop.route_pos,
            pop.field("wake"), pop.field("wake_at"), pop.hops, pop.recent, pop.recent_day, pop.bounce,
            movechance, places.town,
            table.origin_ptr, cum, table.end, table.edge_ptr, table.edges, table.n_edges,
            net.src, net.dst, net.km, self.link_speed, net.walk_probability, sim.links.open,
            places.camp, places.capacity, rules.capacity_buffer, present, tally,
            rules.max_move_speed, rules.max_walk_speed, rules.start_on_foot, rules.avoid_short_stints,
            pop.group, self.individuals_only, person_rule, stream, self._travellers, self._visit,
            flows is not None, night, staying, arrivals, departures, stuck, self._lazy_links,
        )
        give_state(self.rng, stream)
        if flows is None:
            sim.moved(self._travellers[:k])
        if self.sinks:
            self.settle_at_camps(sim)

    def stuck_places(self, cum: np.ndarray, movechance: np.ndarray) -> np.ndarray:
        """Places nobody can leave today (no usable route, whatever their rule) where everyone
        tries every day (move chance 1): see ``flee_kernels.move_people``'s ``stuck``."""
        way_out = self._has_routes
        if cum.size:
            total = cum[:, self._last_route]
            way_out = way_out & ((total[0] > 0.0) if len(total) == 1 else (total > 0.0).any(axis=0))
        return ~way_out & (movechance >= 1.0)

    def settle_at_camps(self, sim) -> None:
        """Flee's ``camps_are_sicks``: at the end of the day each person resting at a camp
        settles there for good with the camp's ``deactivation_probability``."""
        pop = sim.population
        resting = pop.status == Status.RESTING
        if self.individuals_only:
            resting &= pop.group < 0
        at_camp = np.flatnonzero(resting & sim.places.camp[pop.loc])
        chance = self.deactivation[pop.loc[at_camp]]
        settles = at_camp[self.rng.random(len(at_camp)) < chance]
        tally = sim.place_status_counts()  # before the change
        pop.status[settles] = Status.SETTLED
        sim.moved(settles)
        moved = np.bincount(pop.loc[settles], minlength=sim.network.n_places)
        tally[:, Status.RESTING] -= moved
        tally[:, Status.SETTLED] += moved
