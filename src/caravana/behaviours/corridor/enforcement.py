"""Enforcement: checkpoints and blockades on links, detention, deportation.

Each day the active checkpoints are laid onto per-link arrays (``barriers``): the
size a crossing group needs to break a blockade (0 = no blockade, inf = nobody
can) and the chance a lone person crossing is detained. Caravans ask for these
when they plan and screen their members' moves (``caravan.py``); this module
decides who is detained or queues at a blockade, and runs the migration
stations: deportation after ``deport_after_days``, and release of asylum seekers
to wait for their decision from ``claim_release_days`` on, each day with chance
``claim_release_rate`` (the days held: a shifted geometric distribution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.behaviour import Behaviour
from ...engine.status import Status
from ...scenario.corridor import Checkpoint, EnforcementSpec
from .common import (
    Permit,
    Waiting,
    detention_odds,
    distinct_places,
    first_come,
    haversine_km,
    places_with_office,
    register_fields,
    set_status,
    status_index,
)
from .groups import Scratch
from .interfaces import Checkpoints
from .states import ANY, StateLists, still

# The states a day's step asks about, found at its start (``states.py``).
AT_BLOCKADES, DETAINED = range(2)
STATES = StateLists([(Status.WAITING, Waiting.BLOCKADE, None), (Status.DETAINED, ANY, None)])


@dataclass(frozen=True)
class _Resolved:
    spec: Checkpoint
    links: np.ndarray  # directed links checked
    station: int  # where the people it detains are held


def checkpoint_links(network, cp: Checkpoint) -> np.ndarray:
    """The directed links a checkpoint watches."""
    if cp.place is not None:
        return np.flatnonzero(network.dst == network.index(cp.place))
    a, b = network.index(cp.start_place), network.index(cp.end_place)
    hit = (network.src == a) & (network.dst == b)
    if cp.mode is not None:
        hit &= np.array([m == cp.mode for m in network.mode])
    return np.flatnonzero(hit)


class Enforcement(Behaviour, Checkpoints):
    name = "enforcement"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("detained", "held_at_blockade", "released", "deported", "blockade_lifted", "admitted_to_claim")
    causes = ("asylum claim", "after detention")

    def __init__(self, spec: EnforcementSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        register_fields(sim.population)
        self._lists = Scratch()  # the day's state lists, reused the next day
        net = sim.network
        offices = [loc.offices for loc in sim.scenario.locations]
        stations = places_with_office(offices, "migration_station")
        fixed = None if self.spec.station is None else net.index(self.spec.station)
        self.points: list[_Resolved] = []
        for cp in self.spec.checkpoints:
            links = checkpoint_links(net, cp)
            here = int(net.dst[links[0]]) if len(links) else 0
            if fixed is not None:
                station = fixed
            elif len(stations):
                station = int(stations[np.argmin(haversine_km(net.lat[here], net.lon[here], net.lat[stations], net.lon[stations]))])
            else:
                station = here
            self.points.append(_Resolved(cp, links, station))
        n = net.n_links
        self.hold = np.zeros(n)
        self.hold_nights = np.full(n, np.inf)  # nights a blockade holds a caravan (inf: as long as it stands)
        self.detain_p = np.zeros(n)
        self.admit = np.zeros(n, dtype=np.int64)
        self.queue_share = np.zeros(n)
        self.station = np.zeros(n, dtype=np.int32)
        self.label = [""] * n  # name of the check on each link today, for the event log
        self.detained_total = 0
        self._active: tuple[bool, ...] | None = None  # which checks were up at the last refresh
        self._refresh(0)

    # ------------------------------------------------------------------ what is up today

    def _refresh(self, day: int) -> None:
        # The same checks up as at the last refresh (most days): the arrays would be written with the
        # same values (``station`` too: the same writes again), so they are left as they are.
        active = tuple(point.spec.active(day) for point in self.points)
        if active == self._active:  # (a run pickled by another version is refused: checkpoint stamps)
            return
        self._active = active
        self.hold[:] = 0.0
        self.hold_nights[:] = -1.0  # (no blockade yet; inf after the loop)
        self.detain_p[:] = 0.0
        self.admit[:] = 0
        self.queue_share[:] = 0.0
        self.label = [""] * len(self.label)
        for point, up in zip(self.points, active):
            cp, links = point.spec, point.links
            if not up:
                continue
            if cp.blockade:
                self.hold[links] = np.maximum(self.hold[links], np.inf if cp.breach_size is None else cp.breach_size)
                self.admit[links] += cp.admit_per_day
                self.queue_share[links] = np.maximum(self.queue_share[links], cp.queue_share)
                # two blockades on one link: the one holding longer
                nights = np.inf if cp.holds_nights is None else cp.holds_nights
                self.hold_nights[links] = np.maximum(self.hold_nights[links], nights)
            # two checks on one link: caught by either
            self.detain_p[links] = 1.0 - (1.0 - self.detain_p[links]) * (1.0 - cp.detention)
            self.station[links] = point.station
            for link in links:
                self.label[link] = cp.name
        self.hold_nights[self.hold_nights < 0] = np.inf

    def barriers(self, links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Today, per link: group size needed to break through (0 = open), and the
        chance a lone person crossing is detained."""
        return self.hold[links], self.detain_p[links]

    def holds_nights(self, links: np.ndarray) -> np.ndarray:
        """Today, per link: nights its blockade holds a caravan before the caravan goes on past it
        (inf: for as long as it stands, or no blockade)."""
        return self.hold_nights[links]

    # ------------------------------------------------------------------ called by caravans

    def detain(self, sim, idx: np.ndarray, link: int, group_size: int) -> np.ndarray:
        """Who of ``idx`` (crossing ``link`` together, ``group_size`` in all) is detained."""
        p = detention_odds(self.detain_p[link], group_size, self.spec.safety_size)
        caught = (self.rng.random(len(idx)) < p) & (sim.population.permit[idx] != Permit.HELD)
        if caught.any():
            set_status(sim, idx[caught], Status.DETAINED, place=int(self.station[link]), cause=self.label[link])
            self.detained_total += int(caught.sum())
        return caught

    def queue(self, sim, idx: np.ndarray, link: int) -> np.ndarray:
        """Who of ``idx`` (held at the blockade on ``link``) joins its asylum queue today."""
        share = self.queue_share[link]
        if share <= 0:
            return np.zeros(len(idx), dtype=bool)
        joins = self.rng.random(len(idx)) < share
        set_status(
            sim, idx[joins], Status.WAITING, place=int(sim.network.src[link]), waiting=Waiting.BLOCKADE, cause=self.label[link]
        )
        return joins

    # ------------------------------------------------------------------ the day

    def step(self, sim) -> None:
        self._refresh(sim.day)
        pop = sim.population
        lists = STATES.find(pop, self._lists, status_index(sim), sim.place_status_counts())
        admitted = self._serve_blockade_queues(sim, lists[AT_BLOCKADES])
        detained = still(pop, lists[DETAINED], Status.DETAINED, added=admitted)
        if len(detained):
            days = pop.days_in_status[detained]
            claim = pop.claim_day[detained] >= 0
            release = detained[claim & (days >= self.spec.claim_release_days)]
            if self.spec.claim_release_rate < 1.0 and len(release):  # processed over days (no draw when all go)
                release = release[self.rng.random(len(release)) < self.spec.claim_release_rate]
            set_status(sim, release, Status.WAITING, waiting=Waiting.ASYLUM, event="released", cause="asylum claim")
            deport = detained[~claim & (days >= self.spec.deport_after_days)]
            set_status(sim, deport, Status.DEPORTED, cause="after detention")

    def _serve_blockade_queues(self, sim, queued: np.ndarray) -> np.ndarray:
        """Let the queue at each blockade (``queued``: who waits in one) through, first come first
        served, to ask for asylum (held in the station); when the blockade lifts, the rest walk
        on. Returns those let through."""
        pop = sim.population
        if not len(queued):
            return queued
        through_all: list[np.ndarray] = []
        net = sim.network
        up = self.hold > 0
        admit_at = np.bincount(net.src[up], weights=self.admit[up], minlength=net.n_places).astype(np.int64)
        blockade_at = np.bincount(net.src[up], minlength=net.n_places) > 0
        station_at = np.zeros(net.n_places, dtype=np.int32)
        station_at[net.src[up]] = self.station[up]
        places = pop.loc[queued]
        for place in distinct_places(places):
            here = queued[places == place]
            if not blockade_at[place]:
                set_status(sim, here, Status.RESTING, event="blockade_lifted")  # back with their caravan, behind it
                continue
            through = first_come(here, pop.days_in_status[here], int(admit_at[place]), self.rng)
            set_status(sim, through, Status.DETAINED, place=int(station_at[place]), event="admitted_to_claim")
            pop.claim_day[through] = sim.day
            through_all.append(through)
        return np.concatenate(through_all) if through_all else queued[:0]
