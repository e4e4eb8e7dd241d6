"""The daily loop: behaviours step in a fixed order, then the day's counts are recorded."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from .._version import __version__
from ..results.results import Results
from ..scenario.limits import check_run_size
from ..scenario.schema import Scenario
from .behaviour import Behaviour, MissingInterface, loggable, provider, wire
from .counting import NightFlows, count_by_place_and_status
from .events import EventLog
from .places import LinkState, PlaceState
from .population import Population
from .rng import make_stream
from .status import N_STATUS, STAYING
from .world import World

T = TypeVar("T")


class Simulation:
    """One run of one scenario with one seed.

    The engine steps the behaviours it is given, in order; it knows none of them
    (``caravana.model.simulation`` picks a scenario's default ones).

    >>> sim = Simulation(scenario, [FleeSpawning(), FleeMovement()], seed=1)
    >>> results = sim.run()
    """

    def __init__(
        self,
        scenario: Scenario,
        behaviours: Sequence[Behaviour],
        *,
        seed: int | None = None,
        days: int | None = None,
        world: World | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        self.days = scenario.period.days if days is None else int(days)
        check_run_size(scenario, self.days, self.seed)  # before any allocation
        self.world = World.of(scenario) if world is None else world  # compiled once, shared by clones
        self.network = self.world.network
        movement = scenario.settings.movement
        self.places = PlaceState.from_network(self.network, movement, movement.home_country)
        self.links = LinkState.all_open(self.network)
        self.behaviours = list(behaviours)
        self._population = Population(optional={f for b in self.behaviours for f in b.uses})
        # Head-counts are kept from one day to the next, unless the people are handed out
        # between days (``population`` read outside ``step``): who holds them may change them
        # until the next day, so that day starts with a fresh count (and the behaviours' kept
        # lists are found afresh); once it has stepped, they are kept again (a holder changes
        # people between days after reading ``population`` again, as a forecast's moves do).
        self._in_loop = True
        self._handed_out = False
        self.day = 0
        names = [b.name for b in self.behaviours]
        if len(set(names)) != len(names):
            raise ValueError(f"behaviour names must be unique, got {names}")
        wire(self.behaviours)  # each behaviour's Needs, to the behaviours that provide them
        self._recorders: dict[str, tuple[str, frozenset[str]]] = {}
        self.counts = np.zeros((self.days, self.network.n_places, N_STATUS), dtype=np.int64)
        self.spawned = np.zeros(self.days, dtype=np.int64)
        self.events = EventLog(self.days, self.network.n_places)
        self._tally = np.zeros((self.network.n_places, N_STATUS), dtype=np.int64)
        self._tally_valid = False
        self._flows: NightFlows | None = None
        # People whose place or status changed since the flows were last committed, as the
        # behaviours listed them (``moved``); valid while every mover lists them.
        self._listed: list[np.ndarray] = []
        self._n_listed = 0
        self._all_listed = True
        self._mover_counted_flows = False  # a behaviour counted today's flows itself (flows_for_mover)
        self._stepping: Behaviour | None = None  # the behaviour whose step runs now
        self._flows_reader: Behaviour | None = None  # the behaviour that last asked for day_flows
        for behaviour in self.behaviours:
            behaviour.rng = make_stream(self.seed, behaviour.name)
            self.events.recorder = self._recorder(behaviour)
            behaviour.init(self)
        self.events.recorder = None
        self._in_loop = False

    def _recorder(self, behaviour: Behaviour) -> tuple[str, frozenset[str]]:
        """What may be logged while ``behaviour`` steps (checked by the event log); also for
        behaviours added after start-up (a forecast's)."""
        found = self._recorders.get(behaviour.name)
        if found is None:
            found = self._recorders[behaviour.name] = (behaviour.name, loggable(behaviour))
        return found

    @property
    def population(self) -> Population:
        """The people. Read between days, the next day counts them afresh (see ``__init__``):
        read it again after a step to change them."""
        if not self._in_loop:
            self._handed_out = True
        return self._population

    @property
    def people_handed_out(self) -> bool:
        """Whether the people were read since the last day was stepped (whoever held them may
        have changed them)."""
        return self._handed_out

    def provider(self, interface: type[T]) -> T:
        """The behaviour that provides ``interface`` (see ``caravana.engine.behaviour``), for
        code outside the behaviours (ensembles, forecasts); MissingInterface if none does."""
        found = provider(self.behaviours, interface)
        if found is None:
            raise MissingInterface(f"no behaviour of this simulation provides {interface.__name__}")
        return found

    def behaviour(self, name: str) -> Behaviour:
        """The behaviour called ``name``, for tests and inspection: behaviours and the code
        above them reach each other through interfaces (``provider``, ``Needs``)."""
        for b in self.behaviours:
            if b.name == name:
                return b
        raise KeyError(name)

    def reseed(self, entropy: int | Sequence[int]) -> None:
        """Give every behaviour a fresh random stream from ``entropy`` (an int or a
        sequence of ints), keyed by behaviour name as at start-up. ``self.seed`` keeps
        the seed the run started with."""
        for behaviour in self.behaviours:
            behaviour.rng = make_stream(entropy, behaviour.name)

    def clone(self, reseed: int | Sequence[int] | None = None) -> Simulation:
        """An independent copy of the whole state (people, behaviours and their
        caravans and queues, random streams): stepped alike, it runs exactly as this
        one would. With ``reseed``, the copy continues on fresh streams instead
        (:meth:`reseed`), e.g. resampled particles that must diverge.

        The scenario and its world are shared, not copied: a run never changes them.
        """
        shared = {id(self.scenario): self.scenario, id(self.world): self.world, id(self.network): self.network}
        twin = copy.deepcopy(self, shared)
        if reseed is not None:
            twin.reseed(reseed)
        return twin

    def place_status_counts(self) -> np.ndarray:
        """Head-counts now, ``[place, status]``: one pass over the population, only if a
        behaviour that does not keep them (``Behaviour.keeps_counts``) has stepped since
        they were last counted. A behaviour that keeps them updates this array in place."""
        if not self._tally_valid:
            pop = self._population
            if self._flows is not None:  # the same pass finds the day's flows so far
                self._flows.count(pop, self._tally, True)
            else:
                count_by_place_and_status(pop.loc, pop.status, self._tally)
            self._tally_valid = True
        return self._tally

    def track_flows(self) -> None:
        """Have the counting pass also find each place's arrivals and departures
        (``engine.counting``), for :meth:`day_flows`. Called by a behaviour's ``init``."""
        if self._flows is None:
            self._flows = NightFlows(self._population, self.network.n_places, STAYING)

    def moved(self, people: np.ndarray) -> None:
        """Called by a behaviour that ``reports_moves``: ``people`` (indices) may have changed
        place or status in its step. Kept (copied) only while flows are tracked, and until they
        are more than a quarter of everyone: then a pass over everyone finds the flows for less
        than the lists would cost (copied, joined, each looked up apart)."""
        if self.listing_moves():
            self._n_listed += len(people)
            if 4 * self._n_listed > self._population.n:
                self._listed, self._n_listed, self._all_listed = [], 0, False
            else:
                self._listed.append(np.array(people, dtype=np.int64))

    def listing_moves(self) -> bool:
        """Whether ``moved`` keeps what it is told today (a behaviour may spare itself the list)."""
        return self._flows is not None and self._all_listed

    def flows_for_mover(self, behaviour: Behaviour) -> NightFlows | None:
        """For a behaviour about to move people, in its step: today's flows (zeroed), for it to
        count, as it moves each person, where they stay tonight against last night (committing
        ``night``, as ``engine.counting``'s pass does), and then list nobody with ``moved``; or
        None, and it lists them as usual. Given only when nobody but the people spawned may
        have changed place or status since the last commit (every mover listed, and none did
        so far), and no behaviour after it today moves people or lets the head-counts lapse:
        then the day's flows are the ones it counts, and :meth:`day_flows` adds only the people
        spawned since (who bring none). Saves a second visit to each person moved."""
        flows, reader = self._flows, self._flows_reader
        if flows is None or not self._all_listed or self._n_listed or self._listed or reader is None:
            return None
        later = self.behaviours[self.behaviours.index(behaviour) + 1:]
        if reader not in later or any(b.moves_people or not b.keeps_counts for b in later):
            return None  # (the flows must be read later today: known once they have been read)
        flows.open_for_mover()
        self._mover_counted_flows = True
        return flows

    def day_flows(self) -> tuple[np.ndarray, np.ndarray]:
        """Today's arrivals and departures per place (arrays reused each day), once a day,
        after every behaviour that moves people: from the day's counting pass if nobody
        moved since; else from the people the behaviours listed as moved (``moved``) if
        every mover did and the head-counts are kept; else from one pass over everyone now
        (which also recounts the head-counts if due)."""
        flows = self._flows
        if flows is None:
            raise RuntimeError("day_flows needs track_flows() first")
        self._flows_reader = self._stepping
        listed, self._listed, self._n_listed = self._listed, [], 0
        all_listed, self._all_listed = self._all_listed, True
        if self._mover_counted_flows:
            self._mover_counted_flows = False
            if listed or not all_listed:  # flows_for_mover's terms were broken after it was asked
                raise RuntimeError("people moved after a behaviour counted the day's flows itself")
            return flows.close_after_mover(self._population)
        if flows.pending:
            return flows.commit(self._population)
        if all_listed and self._tally_valid:
            people = np.concatenate(listed) if listed else np.zeros(0, dtype=np.int64)
            return flows.count_listed(self._population, people)
        recount, self._tally_valid = not self._tally_valid, True
        return flows.count_committed(self._population, self._tally, recount)

    def step(self) -> None:
        """Advance one day and record its counts."""
        if self._handed_out:  # people may have been changed between days (forecasts move them)
            self._tally_valid = False
            self._all_listed = False
        flows = self._flows
        self._in_loop = True
        self._mover_counted_flows = False  # today's only (a day stopped before day_flows leaves it set)
        try:
            if flows is not None:
                flows.pending = False
            for behaviour in self.behaviours:
                self.events.recorder = self._recorder(behaviour)
                self._stepping = behaviour
                behaviour.step(self)
                if not behaviour.keeps_counts:
                    self._tally_valid = False
                if flows is not None and (behaviour.moves_people or not behaviour.keeps_counts):
                    flows.pending = False  # a count made before this step may no longer hold
                    if not behaviour.reports_moves:
                        self._all_listed = False
            self.counts[self.day] = self.place_status_counts()
            self.spawned[self.day] = self._population.n
            # Counted afresh and looked at afresh today: kept from here again (a forecast reads
            # its particles' people once, then steps them for weeks: every day was a recount).
            self._handed_out = False
        finally:
            self._in_loop = False
            self._stepping = None
            self.events.recorder = None
        self.day += 1

    def run(self, progress: Callable[[int, int], None] | None = None) -> Results:
        """Run every remaining day; ``progress(done, total)`` is called after each."""
        started = time.perf_counter()
        while self.day < self.days:
            self.step()
            if progress is not None:
                progress(self.day, self.days)
        return self.results(wall_seconds=time.perf_counter() - started)

    def results(self, wall_seconds: float | None = None) -> Results:
        tables = {}
        for behaviour in self.behaviours:
            for name, table in behaviour.outputs(self).items():
                if name in tables or name in ("counts", "events"):
                    raise ValueError(f"two behaviours output a table named '{name}'")
                tables[name] = table
        arrays = {}
        for behaviour in self.behaviours:
            given = behaviour.arrays(self)
            declared = {d.name for d in behaviour.declares}
            if set(given) != declared:
                raise ValueError(f"behaviour '{behaviour.name}' declares {sorted(declared)} but gave {sorted(given)}")
            for name, array in given.items():
                if name in arrays:
                    raise ValueError(f"two behaviours declare a result named '{name}'")
                arrays[name] = array.checked(self.day, self.network.n_places)
        if self.events.n_kinds:
            tables["events"] = self.events.to_table(self.scenario.period.start, self.network.names, self.day)
        return Results(
            tables=tables,
            scenario=self.scenario.name,
            start=self.scenario.period.start,
            places=self.network.names,
            counts=self.counts[: self.day].copy(),
            spawned=self.spawned[: self.day].copy(),
            world=self.world,
            arrays=arrays,
            metadata={
                "scenario": self.scenario.name,
                "builtin": self.scenario.builtin,  # whose places' shown names (scenario.names.names_key)
                "seed": self.seed,
                "days": self.day,
                "caravana_version": __version__,
                "behaviours": [b.name for b in self.behaviours],
                "settings": self.scenario.settings.model_dump(mode="json"),
                "wall_seconds": wall_seconds,
                "people": int(self._population.n),
            },
        )
