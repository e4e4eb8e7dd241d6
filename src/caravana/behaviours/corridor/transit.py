"""Migrants in transit: a stock of people waiting at places, taken in by caravans.

The stock (WAITING, ``Waiting.TRANSIT``, no caravan) is fed by lone travellers arriving at
hubs (``TransitSpec.hubs``: some there on day 0, a Poisson number a day after), by caravan
members who leave and stay where they are (``CaravanSpec.leavers_wait_share``), and by
members a caravan left ahead of its new road at a fork. People queuing for an INM permit
or waiting on an asylum claim, and lone travellers (``individuals``, moved by Flee's rules)
resting at the place, may also go with a caravan that comes by.

Each day, after the caravans have moved, each caravan whose main body was at a place or
passed it takes in each person waiting there with chance
``1 - exp(-rate x (S / reference_size) ** size_power)`` (S: members with its main body;
``rate`` by what the person waits for). Those who join are members from then on, with the
main body; their ``first_group`` says where they came from (-1: from the stock; a caravan's
id for its own former members).
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...engine.jit import njit
from ...engine.status import Status
from ...scenario.corridor import TransitSpec
from .common import (
    RESTING,
    Waiting,
    count,
    draw_tabled,
    nationality_codes,
    people_tables,
    register_fields,
    set_status,
    spawn,
    uncount,
)
from .groups import Scratch
from .interfaces import CaravanGroups
from .states import eights, holds


class Transit(Behaviour):
    name = "transit"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("joined_caravan", "joined", "waiting_in_transit")
    causes = ("in transit", "arrived alone")
    caravans = Needs(CaravanGroups)

    def __init__(self, spec: TransitSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        register_fields(sim.population)
        self.hubs = np.array([sim.network.index(hub.place) for hub in self.spec.hubs], dtype=np.int32)
        self.codes = nationality_codes(sim.scenario.corridor)
        self._shares = people_tables(self.spec.hubs, self.codes)  # each hub's, for its arrivals
        self._arrivals = np.zeros(len(self.hubs), dtype=np.int64)  # a day's, by hub
        self.rate = np.zeros(max(Waiting) + 1)
        self.rate[Waiting.TRANSIT] = self.spec.in_transit
        self.rate[Waiting.PERMIT] = self.spec.permit_queue
        self.rate[Waiting.ASYLUM] = self.spec.asylum_claim
        self.joined = np.zeros((sim.days, sim.network.n_places), dtype=np.int64)  # taken in, by place
        # Lone travellers are the people of ``corridor.individuals`` (a caravan's leavers wait, with
        # no group): without them nobody rests outside a caravan, and the resting, most people,
        # need not be looked at (tests/test_corridor_speed_kernels.py checks that nobody does).
        self.lone = self.spec.lone_travellers if sim.scenario.corridor.individuals else 0.0
        self._room = Scratch()

    def step(self, sim) -> None:
        self._arrive(sim)
        pop = sim.population
        # Caravans on the road today, not yet at their destination: the places each passed.
        going = [(c, st, st.path.places[(st.path.km >= st.moved[0]) & (st.path.km <= st.moved[1])])
                 for c, st in enumerate(self.caravans.states) if st.moved is not None and st.body < st.path.end]
        if not going:
            return
        # The stock, and lone travellers (moved by Flee's rules) resting at a place, who may join:
        # only those where a caravan passed today (the others cannot join today; listing them,
        # most of the stock, cost more than the rest of the step).
        passed_any = np.zeros(sim.network.n_places, dtype=bool)
        for _, _, places in going:
            passed_any[places] = True
        room = self._room.get((1, pop.n), np.int64, "may join")[0]  # (a buffer kept from day to day)
        k = _may_join(pop.status, pop.group, pop.waiting_for, pop.loc, passed_any, self.rate, self.lone, room)
        waiting = room[:k]
        where = pop.loc[waiting]  # (only those who join move, and they leave the list)
        occupied = np.zeros(sim.network.n_places, dtype=bool)  # where anyone waits (at dawn: a superset later)
        occupied[where] = True
        passed = np.zeros(sim.network.n_places, dtype=bool)
        sizes = None  # every caravan's main body, counted when first needed (joining changes none of the others)
        for c, st, places in going:
            if not len(waiting) or not occupied[places].any():
                continue  # nobody waits where it passed: no need to look at each of them
            passed[:] = False
            passed[places] = True
            candidates = _at_places(waiting, where, passed)
            if not len(candidates):
                continue
            if sizes is None:
                sizes = self.caravans.body_sizes(sim)
            size = int(sizes[c])
            pull = (size / self.spec.reference_size) ** self.spec.size_power
            p = 1.0 - np.exp(-self._rate(pop, candidates) * pull)
            join = candidates[self.rng.random(len(candidates)) < p]
            if not len(join):
                continue
            sim.events.record(sim.day, "joined_caravan", pop.loc[join], cause=st.spec.name)
            np.add.at(self.joined[sim.day], pop.loc[join], 1)
            sizes[c] += len(join)  # they join its main body (read no more for this caravan today)
            uncount(sim, join)
            pop.group[join] = c
            pop.ckm[join] = st.body
            pop.waiting_for[join] = Waiting.NONE
            pop.status[join] = RESTING
            pop.days_in_status[join] = 0
            count(sim, join)
            self.caravans.place(sim, c, join)
            left = _keep_ungrouped(waiting, where, pop.group)  # (in place: the list is this step's own)
            waiting, where = waiting[:left], where[:left]
        if sizes is not None:  # what merging, next, would count again
            self.caravans.keep_body_sizes(sim, sizes)

    def _rate(self, pop, idx: np.ndarray) -> np.ndarray:
        """Each person's daily rate of joining a caravan of reference size."""
        return np.where(pop.status[idx] == RESTING, self.spec.lone_travellers, self.rate[pop.waiting_for[idx]])

    def _arrive(self, sim) -> None:
        """Lone travellers arriving at hubs today (and those there on day 0): drawn hub by hub
        (a Poisson number, then ``draw_people``'s two draws as one), their fields found for all
        hubs in one compiled call from shares tabled once a run, spawned, logged and set waiting
        all at once (the same people, in the same order, the same counts and events as hub by
        hub: a hub's ``draw_people``, event and arrays cost more than its people)."""
        day, rng = sim.day, self.rng
        counts = self._arrivals
        uniforms = []
        for h, hub in enumerate(self.spec.hubs):
            n = (hub.initial if day == 0 else 0) + (int(rng.poisson(hub.per_day)) if hub.active(day) else 0)
            counts[h] = n
            if n:
                uniforms.append(rng.random(2 * n))
        if not uniforms:
            return
        person, nationality = draw_tabled(np.concatenate(uniforms) if len(uniforms) > 1 else uniforms[0], counts,
                                          *self._shares)
        places = np.repeat(self.hubs, counts)
        sim.events.record(day, "joined", places, cause="in transit")
        new = spawn(sim, places, person=person, nationality=nationality)
        set_status(sim, np.arange(new.start, new.stop), Status.WAITING, waiting=Waiting.TRANSIT, cause="arrived alone")



WAITING = np.int8(Status.WAITING)


@njit(nogil=True)
def _may_join(status, group, waiting_for, loc, places, rate, lone_rate, out):
    """The people at one of ``places`` (a mask) who may join a caravan today (``Transit._rate``
    > 0), listed ascending in ``out``; returns how many: those WAITING for something with a
    rate, and lone travellers (no group) RESTING if ``lone_rate`` > 0. One pass that reads a
    person's group, wait or place only for the status that needs it (NumPy took four
    full-length temporaries and two gathers)."""
    k = 0
    n = status.shape[0]
    if lone_rate > 0:  # the resting too: most people, looked at one by one
        for i in range(n):
            s = status[i]
            if s == WAITING:
                if rate[waiting_for[i]] > 0 and places[loc[i]]:
                    out[k] = i
                    k += 1
            elif s == RESTING and group[i] < 0 and places[loc[i]]:
                out[k] = i
                k += 1
        return k
    # The waiting only: a minority, mostly in runs (spawned together at a hub): eight statuses
    # tested at once, eights without anyone waiting skipped (as ``states._with_status``).
    words, pattern = eights(status, WAITING)
    whole = 8 * words.shape[0]
    for w in range(words.shape[0]):
        if holds(words[w], pattern):
            for i in range(8 * w, 8 * w + 8):
                if status[i] == WAITING and rate[waiting_for[i]] > 0 and places[loc[i]]:
                    out[k] = i
                    k += 1
    for i in range(whole, n):
        if status[i] == WAITING and rate[waiting_for[i]] > 0 and places[loc[i]]:
            out[k] = i
            k += 1
    return k


@njit(nogil=True)
def _at_places(waiting, where, passed):
    """Those of ``waiting`` (at places ``where``) at a place marked in ``passed``, in order:
    ``waiting[passed[where]]`` without its temporaries."""
    out = np.empty(waiting.shape[0], dtype=np.int64)
    k = 0
    for j in range(waiting.shape[0]):
        if passed[where[j]]:
            out[k] = waiting[j]
            k += 1
    return out[:k].copy()


@njit(nogil=True)
def _keep_ungrouped(waiting, where, group):
    """Keep, in order and in place, those of ``waiting`` (with their ``where``) of no group;
    returns how many: ``waiting[group[waiting] < 0]`` without its temporaries."""
    k = 0
    for j in range(waiting.shape[0]):
        i = waiting[j]
        if group[i] < 0:
            waiting[k] = i
            where[k] = where[j]
            k += 1
    return k
