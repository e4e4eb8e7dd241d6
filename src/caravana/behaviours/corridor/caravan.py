"""Caravans: groups that walk a planned itinerary and decide each day, as one, to
walk on or rest.

Every member has a position ``ckm`` (km from the origin along the caravan's
itinerary); the network position (``loc``, ``link``, ``dist``, RESTING/TRAVELLING)
follows from it. The group's decision moves the *main body* (the members at the
body's position) to the day's stop; around it:

- some members stay behind a day and then catch up, walking as far a day as the
  group's longest stage (pace x (1 + stage_slack));
- some ride ahead by truck or bus to the next stop and wait there;
- people join at places on the itinerary while the body is there or passes;
- at a blockade the group cannot break, it holds, and after an assembly takes a
  parallel open route between the same two places (the river beside the bridge);
  after such a contested crossing it stops at the first place beyond and regroups;
- members who reach the itinerary's last place are ARRIVED.

Leaving the caravan (returns) is in ``returns.py``; checkpoints in ``enforcement.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ...engine.behaviour import Behaviour, Needs
from ...engine.itinerary import Itinerary
from ...engine.pcg import give_state, row_streams
from ...engine.status import Status
from ...results.declared import Declared, ResultArray
from ...scenario.corridor import CaravanSpec, Split
from .common import (
    active_mask,
    draw_people,
    nationality_codes,
    register_fields,
    set_status,
    spawn,
)
from .forks import Forks
from .groups import (
    DayMoves,
    Scratch,
    body_stop,
    count_at,
    count_crossing,
    member_moves,
    members_by_group,
    members_of,
    place_on_road,
    settle,
    still_members,
    tally_groups,
    with_body,
)
from .interfaces import BusOffers, CaravanGroups, CaravanTrack, Checkpoints, PortQueues, ShelterBeds

_NONE_GONE = np.zeros(0, dtype=bool)  # count_at with nobody left out


def _released(hold: np.ndarray, links: np.ndarray, st: CaravanState | None) -> np.ndarray:
    """``hold`` (per link of ``links``) with 0 on the links whose blockade has held caravan ``st``
    its nights (``Checkpoint.holds_nights``)."""
    if st is None or not st.released:
        return hold
    return np.where(np.isin(links, list(st.released)), 0.0, hold)


def _rest_after(st: CaravanState, seg: int) -> float:
    """km walked before a rest day from the path's place ``seg`` on: of the last pace leg at or
    before it that sets one, else the caravan's."""
    rest = st.spec.rest_after_km
    for at, km in st.rest_legs:
        if at > seg:
            break
        rest = km
    return rest


@dataclass
class CaravanState:
    spec: CaravanSpec
    path: Itinerary
    body: np.float32 = np.float32(0.0)  # km of the main body
    walked: float = 0.0  # km on foot since the last rest day
    rested_km: float = 0.0  # km on foot before the rest day the body took today (0: no rest in a town)
    held_nights: int = 0  # nights held at a blockade
    held: bool = False  # the main body is held at a blockade tonight
    regroup: bool = False  # waiting for members after a contested crossing
    regroup_days: int = 0
    stay_left: int = 0  # stopover days left
    formed: bool = True  # a group split from another forms only when the split happens
    joiners: list = field(default_factory=list)  # (spec, km of the place)
    waiting: list = field(default_factory=list)  # per joiners (by date): come, waiting for the body to reach them
    released: set = field(default_factory=set)  # links whose blockade has held it its nights (it goes on past them)
    rest_legs: list = field(default_factory=list)  # (index on the path, rest_after_km) of pace legs that set one
    moved: tuple | None = None  # today's (km of the main body at dawn, at dusk); None: did not step
    decided: set = field(default_factory=set)  # forks (places) where the assembly has chosen
    destination: str | None = None  # chosen at the last fork
    children: list = field(default_factory=list)  # ids of groups that may split off at forks, unused yet
    merged_into: int | None = None  # the caravan that took in all its members on the road (merging)
    parent: int | None = None  # the caravan this group split off (it does not merge back)
    first_fork: int = -1  # with destinations: the itinerary's last place, where the assembly first chooses
    following: bool = False  # some members set out after it and have not yet reached its main body


class Caravans(Behaviour, CaravanGroups):
    name = "caravans"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("joined", "split", "rode_bus", "chose_destination", "settled", "arrived_at_border", "waiting_in_transit")
    causes = ("ahead on another road",)
    enforcement = Needs(Checkpoints, optional=True)
    transport = Needs(BusOffers, optional=True)
    aid = Needs(ShelterBeds, optional=True)  # for the forks' route choice
    papers = Needs(PortQueues, optional=True)  # for the forks' route choice

    def __init__(self, specs: list[CaravanSpec]) -> None:
        # Groups that split off are caravans of their own, listed after the declared ones.
        self.specs = list(specs)
        self.splits: list[tuple[int, Split, int]] = []  # (parent id, split, new group's id)
        self.fork_children: dict[int, list[int]] = {}  # groups that may split off at forks, by parent
        for parent, spec in enumerate(specs):
            for split, group in zip(spec.splits, spec.split_groups()):
                self.splits.append((parent, split, len(self.specs)))
                self.specs.append(group)
        for parent, spec in enumerate(specs):
            for group in spec.choice_groups():
                self.fork_children.setdefault(parent, []).append(len(self.specs))
                self.specs.append(group)

    # ------------------------------------------------------------------ set-up

    def init(self, sim) -> None:
        pop = sim.population
        register_fields(pop)
        if len(self.specs) > np.iinfo(pop.first_group.dtype).max:
            raise ValueError(f"{len(self.specs)} caravans and groups: at most {np.iinfo(pop.first_group.dtype).max}")
        corridor = sim.scenario.corridor
        self.nationalities = nationality_codes(corridor)
        self.transport_spec = corridor.transport
        self.states: list[CaravanState] = []
        for spec in self.specs:
            path = sim.world.itineraries[spec.name].copy()  # a detour swaps its links
            state = CaravanState(spec=spec, path=path)
            if spec.destinations:
                state.first_fork = int(path.places[-1])
            state.joiners = [(j, path.km[path.index_of(sim.network.index(j.place))]) for j in spec.joiners]
            state.waiting = [0] * len(spec.joiners)
            state.rest_legs = path.rest_legs(spec)
            self.states.append(state)
        for parent, _, child in self.splits:
            self.states[child].formed, self.states[child].parent = False, parent
        for parent, children in self.fork_children.items():
            self.states[parent].children = list(children)
            for child in children:
                self.states[child].formed, self.states[child].parent = False, parent
        self._pending_splits = list(self.splits)
        self.split_groups = {child for _, _, child in self.splits} | {c for cs in self.fork_children.values() for c in cs}
        # Members reaching each place, per caravan and day (the spread of arrival days).
        self.arrivals = np.zeros((len(self.specs), sim.days, sim.network.n_places), dtype=np.int32)
        self.bus_rides: list[tuple[int, int, int, int, int]] = []  # (day, caravan, place, seats, riders)
        self.forks = Forks(self) if any(spec.destinations for spec in self.specs) else None
        self._roster = Scratch()  # all_members' buffer, reused from day to day
        # (day, people then, lists) of the day's first all_members(scratch=True) (returns'), kept
        # until the caravans step; with whom set_status put back on the move since (rejoined)
        self._roster_kept: tuple[int, int, list[np.ndarray]] | None = None
        self._rejoined: list[np.ndarray] = []
        self._member_km = Scratch()  # a caravan's members' km at dawn and tonight, reused by the next
        self._kept_sizes: tuple[int, np.ndarray] | None = None  # (day, body_sizes) kept by keep_body_sizes
        # Today's movers and their km by mode, for transport's accidents.
        spec = self.transport_spec
        modes = ("walk", spec.ride_mode, spec.rail_mode, "bus")
        harmful = tuple(spec.modes[m].accidents_per_million_km > 0 and spec.modes[m].fatality > 0 for m in modes)
        self.moves = DayMoves(modes, (np.float64, np.float64, np.float32, np.float64), harmful)

    # ------------------------------------------------------------------ queries

    def members(self, sim, c: int, active: np.ndarray | None = None) -> np.ndarray:
        """Indices of the people currently travelling with caravan ``c``."""
        pop = sim.population
        if active is None:
            return members_of(pop.group, pop.status, c)  # one pass, no temporaries
        return np.flatnonzero(active & (pop.group == c))

    def all_members(self, sim, scratch: bool = False) -> list[np.ndarray]:
        """``members`` of every caravan, in one pass over the population. ``scratch``: the
        lists are views of a buffer the next ``all_members(scratch=True)`` overwrites (for
        lists used within one step: no fresh memory a day).

        The day's first such lists (returns', in the morning) are kept until the caravans
        step: asked again meanwhile, they are filtered (members leave by changing status or
        group) and given those put back on the move since (``rejoined``: ``set_status`` tells)
        or spawned since, instead of a pass over everyone (a test checks they are a fresh pass's)."""
        pop = sim.population
        kept = self._roster_kept
        if scratch and kept is not None and kept[0] == sim.day:
            return self._roster_again(sim, kept)
        lists = members_by_group(pop.group, pop.status, len(self.states), self._roster if scratch else None)
        if scratch:
            self._roster_kept, self._rejoined = (sim.day, pop.n, lists), []
        return lists

    def rejoined(self, sim, idx: np.ndarray) -> None:
        """People ``idx`` were put back on the move (resting or travelling) by ``set_status``."""
        if self._roster_kept is not None and len(idx):
            self._rejoined.append(np.asarray(idx, dtype=np.int64))

    def _roster_again(self, sim, kept) -> list[np.ndarray]:
        """The kept lists (filtered in place), with the people rejoined or spawned since."""
        pop = sim.population
        _, seen, lists = kept
        added = np.concatenate([*self._rejoined, np.arange(seen, pop.n, dtype=np.int64)])
        out = []
        for c, m in enumerate(lists):
            m = m[: still_members(m, pop.status, pop.group, c)]
            extra = added.copy()
            extra = np.unique(extra[: still_members(extra, pop.status, pop.group, c)])
            if len(extra):  # (few: merged in order, each once)
                at = np.searchsorted(m, extra)
                new = (at == len(m)) | (m[np.minimum(at, len(m) - 1)] != extra)
                m = np.insert(m, at[new], extra[new])
            out.append(m)
        self._roster_kept, self._rejoined = (kept[0], pop.n, out), []
        return out

    def body_sizes(self, sim) -> np.ndarray:
        """Per caravan, its members on the move at its main body's km now, counted in one pass
        (the list of people on the move in a buffer reused from call to call), or as
        ``keep_body_sizes`` kept them."""
        kept = self._kept_sizes
        if kept is not None and kept[0] == sim.day:
            return kept[1]
        return with_body(sim.population, [st.body for st in self.states], self._roster)

    def keep_body_sizes(self, sim, sizes: np.ndarray) -> None:
        """``sizes`` are what ``body_sizes`` would count now (a caller that counted them, then
        changed members only in ways it added to them): the next ``body_sizes`` today gives
        them without a pass over everyone, unless the caravans step or ``place`` people first."""
        self._kept_sizes = (sim.day, sizes)

    def km_of(self, c: int, place_name: str, network) -> float:
        path = self.states[c].path
        return float(path.km[path.index_of(network.index(place_name))])

    # ------------------------------------------------------------------ the day

    def step(self, sim) -> None:
        self.moves.reset()
        self._kept_sizes = None
        for state in self.states:
            state.moved = None
        self._split(sim)
        # Groups formed at a fork today (after their caravan walked there) walk from tomorrow.
        walking = [c for c, state in enumerate(self.states) if state.formed and sim.day >= state.spec.start_day]
        # Everyone's members in one pass: a caravan's step changes no other caravan's members.
        members = self.all_members(sim, scratch=True) if walking else []
        # Each caravan's members on the move at its main body tonight, as with_body would count
        # them (for transit and merging: body_sizes), unless a step cannot tell (forks).
        sizes: np.ndarray | None = np.zeros(len(self.states), dtype=np.int64) if self.forks is None else None
        for c in walking:
            at_body = self._step_caravan(sim, c, self.states[c], members[c])
            if sizes is not None and at_body is None:
                sizes = None
            elif sizes is not None:
                sizes[c] = at_body
        self._wait_to_join(sim, set(walking))
        if sizes is not None:
            self.keep_body_sizes(sim, sizes)
        self._roster_kept = None  # (members change as the caravans step: a later call counts afresh)

    def _split(self, sim) -> None:
        """A caravan whose main body woke up at a split place breaks up: a share of the
        members with the body leaves as the new group, which walks from today."""
        pop = sim.population
        for entry in list(self._pending_splits):
            parent, split, child = entry
            st = self.states[parent]
            if not st.formed or sim.day < st.spec.departure_day:
                continue
            at = st.path.index_of(sim.network.index(split.at))
            if st.body != st.path.km[at]:
                continue
            self._pending_splits.remove(entry)
            self._roster_kept = None  # (members change group)
            m = self.members(sim, parent)
            with_body = m[pop.ckm[m] == st.body]
            leaving = with_body[self.rng.random(len(with_body)) < split.share]
            pop.group[leaving] = child
            pop.ckm[leaving] = 0.0
            self.states[child].formed = True
            sim.events.record(sim.day, "split", int(st.path.places[at]), cause=split.name, count=len(leaving))

    def _step_caravan(self, sim, c: int, st: CaravanState, m: np.ndarray) -> int | None:
        """The caravan's day; returns its members on the move at its main body tonight (None if
        its body waits at the first fork for the assembly, where some may have arrived)."""
        spec, path, pop = st.spec, st.path, sim.population
        st.rested_km = 0.0
        if sim.day == spec.start_day and c not in self.split_groups:  # split groups come from their parent
            new = self._spawn(sim, c, spec.initial_size, int(path.places[0]), path, st.body)
            m = np.concatenate((m, np.arange(new.start, new.stop)))  # the newest people come last
        # (a copy: m lists people; in a buffer kept from day to day, as the new km: at millions
        # of members, fresh arrays are fresh memory mapped page by page every day)
        old = np.take(pop.ckm, m, out=self._member_km.get((1, len(m)), pop.ckm.dtype, "old")[0, : len(m)],
                      mode="clip")  # (m is in range: "clip" only spares NumPy a checked copy)
        body_old = st.body
        bus = None
        if sim.day >= spec.departure_day and len(m) and body_old < path.end:
            body_new, bus = self._plan(sim, st, old)
        else:
            body_new = body_old
        new, by_bus = self._member_moves(st, old, body_old, body_new, bus)
        if bus is not None:
            place = int(path.places[path.segment_of(body_old)])
            self.bus_rides.append((sim.day, c, place, bus, int(by_bus.sum())))
            sim.events.record(sim.day, "rode_bus", place, cause=spec.name, count=int(by_bus.sum()))
        new, gone = self._screen(sim, c, st, m, old, new)
        if bus is None and body_new > body_old:
            # Where most of the body actually got to (a barrier may have held it).
            body_new = body_stop(new, old, body_old, gone, body_new)
        at_body = int(count_at(new, gone, np.float32(body_new)))  # (gone: held, caught or queued)
        st.held = bool(self._held_at(st, body_new, at_body))
        st.held_nights = st.held_nights + 1 if st.held else 0  # the night of arrival counts
        if bus is None:
            # Fatigue is walking: rides and a short river crossing tire little.
            st.walked += min(float(body_new - body_old), self.transport_spec.walk_km)
        st.body = np.float32(body_new)
        st.moved = (body_old, st.body)
        stay = m  # (their ckm set to ``new`` by _settle)
        if gone.any():  # held or caught at a checkpoint: out of the caravan's moves
            pop.ckm[m] = new
            kept = ~gone
            stay, old, new, by_bus = m[kept], old[kept], new[kept], by_bus[kept]
        self._settle(sim, c, path, stay, old, new, by_bus)
        if st.following:
            self._catch_up(pop, st, stay)
        at_body += self._join(sim, c, st, body_old, st.body)
        if self.forks is not None and spec.destinations and self.forks.decide(sim, c, st):
            path = st.path  # a new route: some members may have split off or stayed behind
            # The run's world (and so its results folder's world.json) draws the roads taken.
            sim.world = sim.world.with_roads({s.spec.name: s.path for s in self.states if s.formed})
            stay = stay[(pop.group[stay] == c) & active_mask(pop)[stay]]
            new = pop.ckm[stay]
        waits = spec.destinations and int(path.places[-1]) == st.first_fork and st.first_fork not in st.decided
        if not waits:
            self._arrive(sim, path, stay, new)  # (riders reaching the first fork before the body wait there)
        if st.body < path.end:
            return at_body
        return None if waits else 0  # at the end of its road, everyone at the body has arrived

    # ------------------------------------------------------------------ group decision

    def _plan(self, sim, st: CaravanState, old: np.ndarray):
        """Where the main body sleeps tonight, and a bus offer taken (or None)."""
        spec, path = st.spec, st.path
        body = st.body
        size = int(count_at(old, _NONE_GONE, body))  # (one pass, no temporary)
        seg = path.segment_of(body)
        at_place = path.km[seg] == body
        hold = self._hold_below(path.links, st)
        if st.stay_left > 0:
            st.stay_left -= 1
            return self._rest(st)
        if st.regroup:
            with_body = size / max(len(old), 1)
            if with_body < spec.regroup_share and st.regroup_days < spec.max_regroup_days:
                st.regroup_days += 1
                return self._rest(st)
            st.regroup = False
        contested = -1
        if at_place and hold[seg] > size:
            if st.held_nights >= spec.assembly_days and self._detour(st, seg, size):
                contested = seg
            elif self._holds_no_longer(st, seg):
                st.released.add(int(path.links[seg]))  # held its nights: goes on past it, as through an open check
            else:
                return self._rest(st, in_town=False)
        if at_place and self.transport is not None:
            offer = self.transport.bus_offer(sim.day, int(path.places[seg]))
            if offer is not None and offer[0] in path.places[seg + 1:]:
                return path.km[path.index_of(offer[0])], offer[1]
        # Rest days are spent in towns, not by the road.
        tired = self.rng.random() < st.walked / _rest_after(st, seg)
        if contested < 0 and at_place and tired:
            return self._rest(st)
        return self._stage(st, body, seg, at_place, size, contested), None

    def _rest(self, st: CaravanState, in_town: bool = True):
        """A day at the body's place; in a town (not held at a blockade), the km walked before
        it are kept for returns' ``stay_behind_km``."""
        if in_town:
            st.rested_km = st.walked
        st.walked = 0.0
        return st.body, None

    def _stage(self, st: CaravanState, body, seg: int, at_place: bool, size: int, contested: int):
        """The day's stop: the place nearest one pace ahead, within reach, not past a
        blockade the group cannot break, and not past the first place after a crossing."""
        spec, path = st.spec, st.path
        pace = path.pace[seg]
        target = body + pace
        limit = body + pace * np.float32(1.0 + spec.stage_slack)
        hold = self._hold_below(path.links, st)
        first = seg if at_place else seg + 1
        for s in range(first, len(path.links)):
            if path.km[s] > limit:
                break
            if hold[s] <= 0 and s != contested:
                continue
            if hold[s] > size and spec.assembly_days == 0 and self._detour(st, s, size):
                hold[s] = 0
            if hold[s] > size:
                limit = min(limit, path.km[s])  # stop before it; the group will assemble
            else:
                limit = min(limit, path.km[s + 1])  # cross, then regroup at the next place
                contested = s
            break
        stopovers = np.flatnonzero(path.halt & (path.km > body) & (path.km <= limit))
        if len(stopovers):
            limit = path.km[stopovers[0]]  # a planned stay or a fork is not walked past
        ahead = np.flatnonzero((path.km > body) & (path.km <= limit))
        if len(ahead) == 0:
            return np.float32(min(target, limit))
        j = int(ahead[np.argmin(np.abs(path.km[ahead] - target))])
        st.stay_left = int(path.stopover[j])
        if contested >= 0 and j == contested + 1:
            st.regroup, st.regroup_days = True, 0
        return path.km[j]

    def _hold_below(self, links: np.ndarray, st: CaravanState | None = None) -> np.ndarray:
        """Per link, the group size its blockade stops today (0: open), for caravan ``st``: 0 on
        links whose blockade has held it its nights."""
        if self.enforcement is None:
            return np.zeros(len(links))
        return _released(self.enforcement.barriers(links)[0], links, st)

    def _holds_no_longer(self, st: CaravanState, seg: int) -> bool:
        """The blockade on the body's next link has held it its nights (``Checkpoint.holds_nights``)."""
        enf = self.enforcement
        return enf is not None and st.held_nights >= enf.holds_nights(st.path.links[seg:seg + 1])[0]

    def _detour(self, st: CaravanState, seg: int, size: int) -> bool:
        """Take the first parallel link that does not hold a group this big."""
        for alt in st.path.alternatives[seg]:
            if self._hold_below(np.array([alt]))[0] <= size:
                st.path.alternatives[seg] = [int(st.path.links[seg])] + [a for a in st.path.alternatives[seg] if a != alt]
                st.path.links[seg] = alt
                return True
        return False

    def held_here(self, c: int, size: int) -> bool:
        """Whether caravan ``c``'s main body, ``size`` strong, is held where it stands (at a
        blockade it cannot break), as a night of its own there is counted (``forecast.moves.shift``
        puts a body somewhere between days)."""
        st = self.states[c]
        return self._held_at(st, st.body, size)

    def _held_at(self, st: CaravanState, body, size: int) -> bool:
        path = st.path
        seg = path.segment_of(body)
        return bool(path.km[seg] == body and seg < len(path.links)
                    and self._hold_below(path.links[seg:seg + 1], st)[0] > size)

    # ------------------------------------------------------------------ members

    def _member_moves(self, st: CaravanState, old, body_old, body_new, bus):
        """Proposed positions tonight: the body's stop for most, with stragglers and riders
        (stragglers at the pace of the segment they are on). One compiled pass
        (``groups.member_moves``); the random numbers are drawn as before, in the same order
        (``rng.random((2, len(old)))``, inside the pass; skipped when no one uses them)."""
        spec, path = st.spec, st.path
        streams = row_streams(self.rng, len(old), 2)
        mode = 0 if body_new <= body_old else (1 if bus is None else 2)
        next_stop = path.km[path.km > body_new] if mode == 1 else path.km[:0]
        # Stragglers walk longer days, as far as the group ever goes in one, to catch up
        # (or straggler_km a day, which may be less: they fall further behind).
        straggler = np.float32(np.nan if spec.straggler_km is None else spec.straggler_km)
        new, rides = member_moves(old, np.float32(body_old), np.float32(body_new), streams, mode, spec.fall_behind,
                                  spec.ride_ahead if len(next_stop) else -1.0, path.km, path.pace,
                                  np.float32(1.0 + spec.stage_slack), straggler,
                                  self._member_km.get((1, len(old)), old.dtype, "new")[0, : len(old)])
        give_state(self.rng, streams[2])
        by_bus = self._member_km.get((1, len(old)), np.bool_, "by bus")[0, : len(old)]  # (kept from day to day)
        by_bus[:] = False
        if mode == 1 and len(next_stop):
            if spec.ride_ahead_stages > 1:  # 1 to N stops ahead
                hops = self.rng.integers(0, spec.ride_ahead_stages, size=len(rides))
                new[rides] = next_stop[np.minimum(hops, len(next_stop) - 1)]
            else:
                new[rides] = next_stop[0]
        elif mode == 2:
            riders = self.rng.permutation(np.flatnonzero(old == body_old))[:bus]
            by_bus[riders] = True
            new[riders] = body_new
        return new, by_bus

    def _screen(self, sim, c: int, st: CaravanState, m, old, new):
        """Checkpoints on the links people enter today: held, detained, or through.

        All members of the caravan crossing one checkpoint on one day count as one
        crossing group (safety in numbers)."""
        gone = self._member_km.get((1, len(m)), np.bool_, "gone")[0, : len(m)]  # (kept from day to day)
        gone[:] = False
        enf = self.enforcement
        if enf is None or len(m) == 0:
            return new, gone
        path = st.path
        hold, detain = enf.barriers(path.links)
        hold = _released(hold, path.links, st)
        for s in np.flatnonzero((hold > 0) | (detain > 0)):
            start = path.km[s]
            if not count_crossing(old, new, gone, start):  # (counted first: on most days nobody crosses most)
                continue
            crossing = ~gone & (old <= start) & (new > start)
            n = int(crossing.sum())
            if hold[s] > n:
                new[crossing] = start
                continue
            idx = np.flatnonzero(crossing)
            caught = enf.detain(sim, m[idx], int(path.links[s]), n)
            gone[idx[caught]] = True
            new[idx[caught]] = start  # caught at the checkpoint
        for s in np.flatnonzero(hold > 0):
            n = int(count_at(new, gone, path.km[s]))
            if n and hold[s] > n:
                idx = np.flatnonzero(~gone & (new == path.km[s]))
                queued = enf.queue(sim, m[idx], int(path.links[s]))
                gone[idx[queued]] = True
        return new, gone

    def _settle(self, sim, c: int, path: Itinerary, idx, old, new, by_bus) -> None:
        """Members ``idx`` who went from km ``old`` to ``new`` today, in one pass (``groups.settle``):
        their ``ckm`` set to ``new``; put on the network; their km split by mode, for transport
        (by bus; else on freight trains (rail links), and of the rest, walked up to walk_km and
        ridden beyond it); and the members reaching each place of the itinerary counted
        (old < km <= new)."""
        if not len(idx):
            return
        spec, pop, moves = self.transport_spec, sim.population, self.moves
        listing = sim.listing_moves()  # (once many have moved, the day's flows take a pass over everyone)
        changed = self._member_km.get((1, len(idx) if listing else 0), np.int64, "changed")[0]  # (kept day to day)
        reached, listed, k = settle(idx, old, new, by_bus, path.km, path.places, path.links, path.rail_km,
                                    bool(path.rail_km[-1] != 0), float(spec.walk_km), pop.ckm, pop.loc, pop.link,
                                    pop.dist, pop.status, pop.days_in_status, moves.listed, moves.total,
                                    moves.nonzero, *moves.take(len(idx)), sim.place_status_counts(), changed, listing)
        moves.keep(listed)
        if listing:
            sim.moved(changed[:k])
        np.add.at(self.arrivals[c, sim.day], path.places, reached.astype(np.int32))

    def today_moves(self) -> dict[str, tuple[float, np.ndarray | None, np.ndarray | None]]:
        """Per mode (walk, rides, rail, bus) gone a km today: its total km and, for a mode with
        accidents, who went a km that way and how many each, in the order the caravans stepped
        (views of buffers reused the next day)."""
        return self.moves.today()

    # ------------------------------------------------------------------ people in, people out

    def _spawn(self, sim, c: int, n: int, place: int, path: Itinerary, ckm, rng=None, cause: str | None = None) -> slice:
        spec = self.specs[c]
        new = spawn(
            sim,
            np.full(n, place, dtype=np.int32),
            group=c,
            first_group=c,
            ckm=ckm,
            **draw_people(rng or self.rng, n, spec.composition, spec.nationality, self.nationalities),
        )
        self._place(sim, path, np.arange(new.start, new.stop))
        sim.events.record(sim.day, "joined", place, cause=cause or spec.name, count=n)
        return new

    def _join(self, sim, c: int, st: CaravanState, body_old, body_new) -> int:
        """Joiners of the day; returns how many joined at the main body (not behind it)."""
        at_body = 0
        for i, (joiners, km) in enumerate(st.joiners):
            if joiners.by_date:
                at_body += self._join_by_date(sim, c, st, i, body_old, body_new)
                continue
            if not joiners.active(sim.day):
                continue
            # Followers start behind a body that has passed their place, and catch it up.
            behind = joiners.follow and km < body_old
            if behind or body_old <= km <= body_new:
                n = int(self.rng.poisson(joiners.per_day))
                if n:
                    place = sim.network.index(joiners.place)
                    new = self._spawn(sim, c, n, place, st.path, km if behind else body_new)
                    if behind:  # not in the column (the caravan's size and centre) until they reach the body
                        sim.population.following[new] = 1
                        st.following = True
                    else:
                        at_body += n
        return at_body

    def _join_by_date(self, sim, c: int, st: CaravanState, i: int, body_old, body_new) -> int:
        """Joiners ``i`` (``by_date``) of the day, come whatever the caravan does: they wait for a
        body not there yet (not in the run until they join); with those waiting, they join a body
        at or passing their place, or set out after one that is past it (also one a forecast's
        move carried past it overnight). Returns how many joined at the main body."""
        joiners, km = st.joiners[i]
        n = int(self.rng.poisson(joiners.per_day)) if joiners.active(sim.day) else 0  # (a draw every day of the window)
        if km > body_new:  # not reached yet
            st.waiting[i] += n
            return 0
        behind = km < body_old
        n, st.waiting[i] = n + st.waiting[i], 0
        if n:
            new = self._spawn(sim, c, n, sim.network.index(joiners.place), st.path, km if behind else body_new)
            if behind:
                sim.population.following[new] = 1
                st.following = True
        return 0 if behind else n

    def _wait_to_join(self, sim, walking: set[int]) -> None:
        """Joiners by date who come to their place before their caravan has formed wait there for it."""
        for c, st in enumerate(self.states):
            if c in walking:
                continue
            for i, (joiners, _) in enumerate(st.joiners):
                if joiners.by_date and joiners.active(sim.day):
                    st.waiting[i] += int(self.rng.poisson(joiners.per_day))

    @staticmethod
    def _catch_up(pop, st: CaravanState, stay: np.ndarray) -> None:
        """Followers (``stay``: today's members) who have reached the main body join its column."""
        behind = stay[pop.following[stay] == 1]
        caught = behind[pop.ckm[behind] >= st.body]
        pop.following[caught] = 0
        st.following = len(caught) < len(behind)

    # ------------------------------------------------------------------ corrections from outside

    # Settings of a caravan that ``retune`` can change mid-run (read afresh every day).
    RETUNABLE = ("leave_rate", "pace_km", "pace", "rest_after_km", "joiners")

    def column(self, sim, c: int, members: np.ndarray | None = None) -> np.ndarray:
        """Members of caravan ``c`` in its column: not followers still behind its main body
        (``members``: its ``members``, if already found)."""
        m = self.members(sim, c) if members is None else members
        return m[sim.population.following[m] == 0] if self.states[c].following else m

    def size(self, sim, c: int) -> int:
        """People travelling with caravan ``c`` now, in its column (the caravan log's ``size``)."""
        return len(self.column(sim, c))

    def resize(self, sim, c: int, target: int, rng: np.random.Generator, cause: str,
               column: np.ndarray | None = None) -> int:
        """Make caravan ``c`` ``target`` strong, as joining and leaving nobody saw: new
        members join at the main body; leavers, drawn at random among the members, stay
        in the country they are in (SETTLED: a crowd counted smaller has mostly
        dispersed or walks on apart, and is not known to have gone home). Logged as
        ``joined`` / ``settled`` events with ``cause``, on ``sim.day`` (the correction
        happens overnight). Returns the change in size. Counts the column (``size``), unless
        given it (``column``: this caravan's, as ``column`` finds it now)."""
        st = self.states[c]
        self._kept_sizes = None
        m = self.column(sim, c) if column is None else column
        change = int(target) - len(m)
        if change > 0:
            place = int(st.path.places[st.path.segment_of(st.body)])
            self._spawn(sim, c, change, place, st.path, st.body, rng=rng, cause=cause)
        elif change < 0:
            set_status(sim, rng.choice(m, size=-change, replace=False), Status.SETTLED, cause=cause)
        return change

    def retune(self, sim, specs: list[CaravanSpec]) -> None:
        """Carry on with the declared caravans' settings replaced by ``specs`` (same
        caravans, same itineraries; only the ``RETUNABLE`` settings may differ): leave
        rate, pace, rest and joiners apply from the next day. Split groups take their
        parent's new habits. Positions, detours taken and members are kept."""
        for c, spec in enumerate(specs):
            self._retune_one(sim, c, spec)
        for (_parent, _, child), group in zip(self.splits, [g for s in specs for g in s.split_groups()]):
            self._retune_one(sim, child, group)

    def _retune_one(self, sim, c: int, spec: CaravanSpec) -> None:
        st = self.states[c]
        fixed = set(type(spec).model_fields) - set(self.RETUNABLE)
        same = {k: getattr(spec, k) for k in fixed} == {k: getattr(st.spec, k) for k in fixed}
        if not same or [j.place for j in spec.joiners] != [j.place for j, _ in st.joiners]:
            raise ValueError(f"caravan '{st.spec.name}': only {', '.join(self.RETUNABLE)} can change mid-run")
        if [leg.place for leg in spec.pace] != [leg.place for leg in st.spec.pace]:
            raise ValueError(f"caravan '{st.spec.name}': its pace legs' places cannot change mid-run")
        # Each leg's pace changes by its own ratio (a factor may vary the later legs apart from the
        # first days'), scaling the road's pace where that leg holds (path.pace_leg, as the road was
        # laid: perhaps extended past a fork since), with the day's stage noise (StageNoise) in it,
        # which a ratio keeps.
        old = np.array([st.spec.pace_km, *(leg.km for leg in st.spec.pace)])
        ratio = np.array([spec.pace_km, *(leg.km for leg in spec.pace)]) / old
        if np.allclose(ratio, ratio[0], rtol=1e-9):
            st.path.pace = (st.path.pace * ratio[0]).astype(np.float32)  # one ratio: as before, bit for bit
        else:
            st.path.pace = (st.path.pace * ratio[st.path.pace_leg]).astype(np.float32)
        self.specs[c] = st.spec = spec
        st.joiners = [(j, km) for j, (_, km) in zip(spec.joiners, st.joiners)]
        st.rest_legs = st.path.rest_legs(spec)

    def place(self, sim, c: int, idx) -> None:
        """Put people ``idx`` (members of caravan ``c`` with their ``ckm`` set) on its itinerary."""
        self._kept_sizes = None
        self._place(sim, self.states[c].path, idx)

    @staticmethod
    def _place(sim, path: Itinerary, idx, seg=None) -> None:
        """Network position from the itinerary position: at a place, or on its link
        (``seg``: ``path.segment`` of their km, if known); the head-counts kept, the changed listed."""
        if len(idx) == 0:
            return
        pop = sim.population
        idx = np.asarray(idx)
        idx = np.flatnonzero(idx) if idx.dtype == bool else idx.astype(np.int64, copy=False)
        seg = path.segment(pop.ckm[idx]) if seg is None else seg
        changed = np.empty(len(idx), dtype=np.int64)
        k = place_on_road(idx, seg, pop.ckm, path.km, path.places, path.links, pop.loc, pop.link, pop.dist,
                          pop.status, pop.days_in_status, sim.place_status_counts(), changed)
        sim.moved(changed[:k])

    @staticmethod
    def _arrive(sim, path: Itinerary, idx, km) -> None:
        """Those of ``idx`` (at km ``km``) who reached the itinerary's end are ARRIVED."""
        if not len(km) or km.max() < path.end:  # (a reduction, no mask: on most days nobody arrives)
            return
        done = idx[km >= path.end]
        if len(done):
            set_status(sim, done, Status.ARRIVED, place=int(path.places[-1]))


class CaravanLog(Behaviour, CaravanTrack):
    """Per caravan and day: members on the route, and the head, centre (median) and
    tail of the column in km from the origin, and its length (head - tail).

    Runs last, so it sees the day's end. Members who reached the destination count
    at its km; people who left the caravan (detained, waiting, returned...) do not, nor
    do followers who set out after it and have not yet reached its main body (as a
    reporter counts the column, not the people strung out days behind it): they are
    counted apart, in ``following``.
    """

    name = "caravan_log"
    caravans = Needs(CaravanGroups)
    keeps_counts = True  # reads people only
    moves_people = False
    QUANTITIES = ("size", "arrived", "head_km", "centre_km", "tail_km", "length_km", "body_km")
    declares = (
        Declared("caravans", ("day", "caravan", "quantity"), "float64", "quantiles",
                 "each caravan's members on the route and arrived, and its head, centre, tail, length and "
                 "main body in km from its origin (empty, NaN, before it forms)"),
        Declared("caravan_origins", ("day", "caravan", "origin"), "int32", "quantiles",
                 "each caravan's members on the route by the caravan they first travelled with, or the "
                 "place where they were waiting when a caravan took them in"),
        Declared("caravan_arrivals", ("day", "caravan", "place"), "int32", "quantiles",
                 "each caravan's members who reached each place that day"),
    )

    def init(self, sim) -> None:
        k, days = len(self.caravans.specs), sim.days
        self.size = np.zeros((k, days), dtype=np.int64)  # travelling with the caravan, in its column
        self.following = np.zeros((k, days), dtype=np.int64)  # members behind who have not yet reached its body
        self.arrived = np.zeros((k, days), dtype=np.int64)  # reached the destination
        self.head = np.full((k, days), np.nan)
        self.centre = np.full((k, days), np.nan)
        self.tail = np.full((k, days), np.nan)
        self.body = np.full((k, days), np.nan)
        self.countries = sim.network.countries
        self.by_country = np.zeros((k, days, len(self.countries)), dtype=np.int64)
        # Members by where they came from: the caravan they first travelled with (0..k-1),
        # or k + the place where they were waiting when a caravan took them in.
        self.n_places = sim.network.n_places
        self.by_origin = np.zeros((k, days, k + self.n_places), dtype=np.int64)
        self._km = Scratch()  # the day's km of each caravan's people, reused from day to day

    @property
    def length(self) -> np.ndarray:
        return self.head - self.tail

    def step(self, sim) -> None:
        self.record(sim, sim.day)

    def record(self, sim, day: int) -> None:
        """The columns as they stand now, as day ``day``'s (a forecast re-records the day just
        stepped after moving people: ``forecast.nights``)."""
        pop = sim.population
        states = self.caravans.states
        # Every caravan in one pass over the population (``groups.tally_groups``); followers not yet
        # with the main body (only on the few days some are strung out behind) counted apart.
        apart = any(st.following for st in states)
        size, arrived, by_country, by_origin, ends, behind = tally_groups(
            pop, sim.network.country_id, [st.path.end for st in states], len(self.countries), self.n_places,
            self._km, apart=apart)
        if apart:
            self.following[:, day] = behind
        for c, st in enumerate(states):
            if day < st.spec.start_day or not st.formed:
                continue
            self.size[c, day] = size[c]
            self.arrived[c, day] = arrived[c]
            self.body[c, day] = st.body
            self.by_country[c, day] = by_country[c]
            self.by_origin[c, day] = by_origin[c]
            if ends[c] is not None:
                self.head[c, day], self.centre[c, day], self.tail[c, day] = ends[c]

    def to_table(self, start, days: int) -> pa.Table:
        """Long format, one row per caravan and each of the first ``days`` days: size,
        arrived, head/centre/tail/body km from the origin, length km (NaN before a
        caravan forms)."""
        k = self.size.shape[0]
        day = np.tile(np.arange(days, dtype=np.int32), k)
        columns = {
            "day": pa.array(day),
            "date": pa.array(np.array(start, dtype="datetime64[D]") + day.astype("timedelta64[D]")),
            "caravan": pa.array(np.repeat([s.name for s in self.caravans.specs], days)),
            "size": pa.array(self.size[:, :days].ravel()),
            "arrived": pa.array(self.arrived[:, :days].ravel()),
        }
        for name in ("head", "centre", "tail", "length", "body"):
            columns[f"{name}_km"] = pa.array(getattr(self, name)[:, :days].ravel())
        return pa.table(columns)

    def outputs(self, sim) -> dict[str, pa.Table]:
        """The table, with place names and map coordinates of head, centre and tail for
        people who read names and maps rather than km."""
        table = self.to_table(sim.scenario.period.start, sim.day)
        if self.caravans.forks is not None:  # the border city chosen at the last fork (null: not yet)
            chosen = np.repeat(np.array([st.destination for st in self.caravans.states], dtype=object), sim.day)
            table = table.append_column("destination", pa.array(chosen.tolist(), pa.string()))
        lat = np.array([loc.lat for loc in sim.scenario.locations])
        lon = np.array([loc.lon for loc in sim.scenario.locations])
        for end in ("head", "centre", "tail"):
            names, lats, lons = [], [], []
            for st, km in zip(self.caravans.states, getattr(self, end)[:, : sim.day]):
                formed = ~np.isnan(km)
                y, x = st.path.position(np.nan_to_num(km, nan=0.0), lat, lon)
                seg = st.path.segment(np.nan_to_num(km, nan=0.0))
                names += [sim.network.names[st.path.places[s]] if f else None for s, f in zip(seg, formed)]
                lats.append(np.where(formed, y, np.nan))
                lons.append(np.where(formed, x, np.nan))
            table = table.append_column(f"{end}_place", pa.array(names, pa.string()))
            table = table.append_column(f"{end}_lat", pa.array(np.concatenate([np.zeros(0), *lats])))
            table = table.append_column(f"{end}_lon", pa.array(np.concatenate([np.zeros(0), *lons])))
        return {"caravans": table, "caravan_origins": self.origins_table(sim), "caravan_arrivals": self.arrivals_table(sim)}

    def arrays(self, sim) -> dict[str, ResultArray]:
        """The caravan log, origins and arrivals tables' values, dense, day first."""
        days, names = sim.day, [s.name for s in self.caravans.specs]
        log = np.stack([self.size, self.arrived, self.head, self.centre, self.tail, self.length, self.body], axis=-1)
        origins = [f"caravan:{n}" for n in names] + [f"place:{p}" for p in sim.network.names]
        caravans, origin_spec, arrivals = self.declares
        return {
            "caravans": ResultArray(caravans, log[:, :days].transpose(1, 0, 2),
                                    {"caravan": names, "quantity": list(self.QUANTITIES)}),
            "caravan_origins": ResultArray(origin_spec, self.by_origin[:, :days].transpose(1, 0, 2),
                                           {"caravan": names, "origin": origins}),
            "caravan_arrivals": ResultArray(arrivals, self.caravans.arrivals[:, :days].transpose(1, 0, 2),
                                            {"caravan": names}),
        }

    def origins_table(self, sim) -> pa.Table:
        """Per caravan and day, its members on the route by where they came from: ``from_caravan``
        (the caravan they first travelled with) or ``from_place`` (where they were waiting, in
        transit, when a caravan took them in)."""
        k = len(self.caravans.specs)
        c, d, o = np.nonzero(self.by_origin[:, : sim.day])
        names = [s.name for s in self.caravans.specs]
        return pa.table({
            "day": pa.array(d.astype(np.int32)),
            "date": pa.array(np.array(sim.scenario.period.start, dtype="datetime64[D]") + d.astype("timedelta64[D]")),
            "caravan": pa.array([names[i] for i in c], pa.string()),
            "from_caravan": pa.array([names[i] if i < k else None for i in o], pa.string()),
            "from_place": pa.array([sim.network.names[i - k] if i >= k else None for i in o], pa.string()),
            "members": pa.array(self.by_origin[c, d, o]),
        })

    def arrivals_table(self, sim) -> pa.Table:
        """Per caravan, place and day: members who reached the place that day (the spread of
        arrival days at a place)."""
        arrivals = self.caravans.arrivals[:, : sim.day]
        c, d, p = np.nonzero(arrivals)
        names = [s.name for s in self.caravans.specs]
        return pa.table({
            "day": pa.array(d.astype(np.int32)),
            "date": pa.array(np.array(sim.scenario.period.start, dtype="datetime64[D]") + d.astype("timedelta64[D]")),
            "caravan": pa.array([names[i] for i in c], pa.string()),
            "place": pa.array([sim.network.names[i] for i in p], pa.string()),
            "arrived": pa.array(arrivals[c, d, p].astype(np.int64)),
        })

    def arrival_spread(self, c: int, place: int, quantiles=(0.05, 0.5, 0.95)) -> np.ndarray | None:
        """Days by which the given shares of caravan ``c``'s members who reached ``place`` had
        reached it (None: nobody did)."""
        per_day = self.caravans.arrivals[c, :, place].astype(np.int64)
        total = per_day.sum()
        if total == 0:
            return None
        return np.searchsorted(np.cumsum(per_day), np.ceil(np.array(quantiles) * total).clip(1, total))

    def arrival_day(self, c: int, km: float) -> int | None:
        """First day the centre of caravan ``c`` is at or past ``km`` (None: never)."""
        reached = np.flatnonzero(self.centre[c] >= km - 1e-3)
        return int(reached[0]) if len(reached) else None

