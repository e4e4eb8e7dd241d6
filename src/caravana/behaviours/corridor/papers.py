"""Papers: asylum in Mexico, INM transit permits, and US ports of entry.

- **Asylum (COMAR)**: each morning, caravan members who slept at an office place
  apply with chance ``apply_rate``; they leave the caravan and wait there (WAITING).
  Each office decides ``decisions_per_day`` claims a day, first come first served
  among those who have waited ``min_wait_days``: granted (by nationality) are
  SETTLED, refused are DEPORTED. A claim lodged away from an office (``returns.py``: staying
  means asking) is decided by the nearest office of its country, in its queue, the person
  staying where they are. Waiting applicants may give up (RETURNED).
- **Transit permits (INM)**: members who slept at a permit office queue with chance
  ``apply_rate`` (WAITING); each office issues ``per_day`` permits a day, first come
  first served after ``min_wait_days``. Holders rejoin their caravan (behind it) and
  pass checkpoints; after ``give_up_days`` the rest rejoin it without a permit.
- **US ports**: people who reached a port's Mexican side (ARRIVED) are processed
  ``per_day`` a day, first come first served (metering), and cross to the US side
  (CROSSED). While Remain in Mexico is in force, the processed are sent back to
  wait in the Mexican city (WAITING) for ``wait_days`` before they cross.

Asylum requests in Mexico keep their day in ``claim_day`` (also set when a
blockade lets people through to ask for asylum), so requests by any date can be
counted from the population.
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour
from ...engine.jit import njit
from ...engine.pcg import give_state, row_streams, step_double, take_state
from ...engine.status import Status
from ...scenario.corridor import PapersSpec
from ...scenario.schema import LocationType
from .common import (
    RESTING,
    Permit,
    Waiting,
    asylum_offices,
    deciding_office,
    distinct_places,
    first_come,
    lodge_asylum_claims,
    nationality_codes,
    places_with_office,
    register_fields,
    set_status,
    status_index,
)
from .groups import Scratch
from .interfaces import PortQueues
from .states import ANY, StateLists, members_resting_at, still

# The states each step asks about, found at its start (``states.py``).
PERMIT_QUEUE, ASYLUM_CLAIMS, AT_PORTS, REMAINING = range(4)
STATES = StateLists([
    (Status.WAITING, Waiting.PERMIT, None),
    (Status.WAITING, Waiting.ASYLUM, None),
    (Status.ARRIVED, ANY, None),
    (Status.WAITING, Waiting.REMAIN_IN_MEXICO, None),
])


class Papers(Behaviour, PortQueues):
    name = "papers"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("asylum_claim", "permit_requested", "permit_issued", "permit_abandoned", "returned", "asylum_granted",
              "asylum_refused", "returned_to_mexico", "crossed")
    causes = ("gave up an asylum claim", "port of entry", "gave up waiting in Mexico", "US hearing after Remain in Mexico")

    def __init__(self, spec: PapersSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        register_fields(sim.population)
        self._lists = Scratch()  # the day's state lists, reused the next day
        net, asylum = sim.network, self.spec.asylum
        self.offices = asylum_offices(sim)
        self.is_office = np.zeros(net.n_places, dtype=bool)
        self.is_office[self.offices] = True
        self.decided_by = deciding_office(net, self.offices)  # claims lodged away from an office
        permits = self.spec.permits
        if permits.offices is None:
            permit_offices = places_with_office([loc.offices for loc in sim.scenario.locations], "inm_permits")
        else:
            permit_offices = np.array([net.index(p) for p in permits.offices], dtype=np.int32)
        self.is_permit_office = np.zeros(net.n_places, dtype=bool)
        self.is_permit_office[permit_offices] = True
        self.at_office = self.is_office | self.is_permit_office
        self.permits_issued = np.zeros(sim.days, dtype=np.int64)
        codes = nationality_codes(sim.scenario.corridor)
        self.grant = np.array([asylum.grant_rate.get(c, asylum.default_grant_rate) for c in codes] or [0.0])
        # Ports: each Mexican side, the US side it leads to, and its daily capacity.
        metered = {net.index(p.place): p.per_day for p in self.spec.ports}
        self.ports: dict[int, tuple[int, int | None]] = {}
        for place, kind in enumerate(net.kind):
            if kind != LocationType.port_of_entry:
                continue
            us = [int(net.dst[e]) for e in net.links_from(place) if net.kind[net.dst[e]] == LocationType.us_port]
            if us:
                self.ports[place] = (us[0], metered.get(place, self.spec.metering_per_day))
        self.applied = np.zeros(sim.days, dtype=np.int64)
        self.granted = np.zeros(sim.days, dtype=np.int64)
        self.refused = np.zeros(sim.days, dtype=np.int64)
        self.crossed = np.zeros(sim.days, dtype=np.int64)
        self.admitted = np.zeros((sim.days, net.n_places), dtype=np.int64)  # let through by metering, by port

    def step(self, sim) -> None:
        pop = sim.population
        index = status_index(sim)
        # Who is in each state: kept by the run's index (each list asked when needed: it holds
        # whom the steps before put into the state); without one, found this morning in one
        # pass, each step below adding whom the steps before it put into the state (``states.py``).
        lists = STATES.find(pop, self._lists) if index is None else []

        def now(k: int, added: np.ndarray | None = None) -> np.ndarray:
            status, waiting, _ = STATES.states[k]
            if index is not None:
                return index.people(pop, status, waiting, sim.place_status_counts())
            return still(pop, lists[k], status, waiting, added=added)

        # Caravan members resting where they may apply (for asylum or a permit): those who
        # slept elsewhere concern no step here.
        if sim.place_status_counts()[self.at_office, Status.RESTING].any():
            resting = members_resting_at(pop, self.at_office, self._lists)
        else:  # (the head-counts say nobody rests there: no pass over everyone to find nobody)
            resting = np.empty(0, dtype=np.int64)
        applicants = self._apply(sim, resting)
        resting = still(pop, resting, RESTING, grouped=True)
        queued = self._queue_for_permits(sim, resting)
        self._issue_permits(sim, now(PERMIT_QUEUE, added=queued))
        self._decide(sim, now(ASYLUM_CLAIMS, added=applicants))
        sent_back = self._meter(sim, now(AT_PORTS))
        self._remain_in_mexico(sim, now(REMAINING, added=sent_back))

    # ------------------------------------------------------------------ asylum in Mexico

    def _apply(self, sim, resting: np.ndarray) -> np.ndarray:
        applicants = self._members_at(sim, resting, self.is_office, self.spec.asylum.apply_rate)
        lodge_asylum_claims(sim, applicants)
        self.applied[sim.day] = len(applicants)
        return applicants

    def _members_at(self, sim, resting: np.ndarray, offices: np.ndarray, rate: float) -> np.ndarray:
        """Caravan members who slept at one of ``offices`` and go to it this morning
        (``resting``: the caravan members resting)."""
        if rate <= 0 or not offices.any():
            return np.empty(0, dtype=np.int64)
        # ``here[rng.random(len(here)) < rate]`` of ``here = resting[offices[pop.loc[resting]]]``, in one
        # pass drawing the same numbers (``engine.pcg``), without the lists in between
        out = np.empty(len(resting), dtype=np.int64)
        state = take_state(self.rng)
        k = _at_offices(resting, sim.population.loc, offices, state, rate, out)
        give_state(self.rng, state)
        return out[:k]

    # ------------------------------------------------------------------ transit permits

    def _queue_for_permits(self, sim, resting: np.ndarray) -> np.ndarray:
        pop = sim.population
        queue = self._members_at(sim, resting, self.is_permit_office, self.spec.permits.apply_rate)
        queue = queue[pop.permit[queue] == Permit.NONE]
        set_status(sim, queue, Status.WAITING, waiting=Waiting.PERMIT)
        return queue

    def _issue_permits(self, sim, queued: np.ndarray) -> None:
        permits, pop = self.spec.permits, sim.population
        if not len(queued):
            return
        ready = queued[pop.days_in_status[queued] >= permits.min_wait_days]
        for office in distinct_places(pop.loc[ready]):
            here = ready[pop.loc[ready] == office]
            issued = first_come(here, pop.days_in_status[here], permits.per_day, self.rng)
            pop.permit[issued] = Permit.HELD
            set_status(sim, issued, Status.RESTING, event="permit_issued")  # back with their caravan, behind it
            self.permits_issued[sim.day] += len(issued)
        if permits.give_up_days is not None:
            unserved = queued[(pop.status[queued] == Status.WAITING) & (pop.days_in_status[queued] >= permits.give_up_days)]
            pop.permit[unserved] = Permit.REFUSED
            set_status(sim, unserved, Status.RESTING, event="permit_abandoned")

    def _decide(self, sim, waiting: np.ndarray) -> None:
        asylum, pop = self.spec.asylum, sim.population
        if not len(waiting):
            return
        # Who gives up today (``rng.random(len(waiting)) < give_up_rate``, drawn inside the pass: the
        # same numbers) and who has waited long enough, with the office deciding each claim, in one
        # pass over the claimants (NumPy took eight).
        draw = asylum.give_up_rate > 0
        streams = row_streams(self.rng, len(waiting), 1) if draw else _NO_STREAMS
        quit, ready, offices = _claims_today(waiting, streams, draw, asylum.give_up_rate, pop.days_in_status,
                                             asylum.min_wait_days, pop.loc, self.decided_by)
        if draw:
            give_state(self.rng, streams[1])
        set_status(sim, quit, Status.RETURNED, cause="gave up an asylum claim")
        for office in distinct_places(offices):
            here = ready[offices == office]
            decided = first_come(here, pop.days_in_status[here], asylum.decisions_per_day, self.rng)
            yes = self.rng.random(len(decided)) < self.grant[np.maximum(pop.nationality[decided], 0)]
            set_status(sim, decided[yes], Status.SETTLED, event="asylum_granted")
            set_status(sim, decided[~yes], Status.DEPORTED, event="asylum_refused")
            self.granted[sim.day] += int(yes.sum())
            self.refused[sim.day] += int((~yes).sum())

    # ------------------------------------------------------------------ US ports of entry

    def _meter(self, sim, arrived: np.ndarray) -> np.ndarray:
        """Ports let people through; returns those sent back to wait in Mexico."""
        pop = sim.population
        back: list[np.ndarray] = []
        if not len(arrived) or not self.ports:
            return np.empty(0, dtype=np.int64)
        rim = self.spec.remain_in_mexico
        sent_back = rim is not None and rim.active(sim.day)
        where = pop.loc[arrived]  # (once: those served at one port go to its US side, no other port)
        for port, (us_side, per_day) in self.ports.items():
            here = arrived[where == port]
            if not len(here):
                continue
            served = here if per_day is None else first_come(here, pop.days_in_status[here], per_day, self.rng)
            self.admitted[sim.day, port] = len(served)
            if sent_back:
                set_status(sim, served, Status.WAITING, waiting=Waiting.REMAIN_IN_MEXICO)
                back.append(served)
            else:
                set_status(sim, served, Status.CROSSED, place=us_side, cause="port of entry")
                self.crossed[sim.day] += len(served)
        return np.concatenate(back) if back else np.empty(0, dtype=np.int64)

    def _remain_in_mexico(self, sim, waiting: np.ndarray) -> None:
        rim = self.spec.remain_in_mexico
        if rim is None:
            return
        pop = sim.population
        if not len(waiting):
            return
        quit = self.rng.random(len(waiting)) < rim.give_up_rate
        set_status(sim, waiting[quit], Status.RETURNED, cause="gave up waiting in Mexico")
        waiting = waiting[~quit]
        heard = waiting[pop.days_in_status[waiting] >= rim.wait_days]
        for port, (us_side, _) in self.ports.items():
            go = heard[pop.loc[heard] == port]
            set_status(sim, go, Status.CROSSED, place=us_side, cause="US hearing after Remain in Mexico")
            self.crossed[sim.day] += len(go)


_NO_STREAMS = np.zeros((2, 4), dtype=np.uint64)  # (nothing drawn)


@njit(nogil=True)
def _at_offices(resting, loc, offices, state, rate, out):
    """Those of ``resting`` at a place marked in ``offices`` who go to it (a draw ``u < rate`` each,
    from ``state``, in order), listed in ``out``; returns how many."""
    hi, lo, inc_hi, inc_lo = state[0], state[1], state[2], state[3]
    k = 0
    for j in range(resting.shape[0]):
        i = resting[j]
        if offices[loc[i]]:
            hi, lo, u = step_double(hi, lo, inc_hi, inc_lo)
            out[k] = i  # kept only if k moves on
            k += u < rate
    state[0], state[1] = hi, lo
    return k


@njit(nogil=True)
def _claims_today(waiting, streams, draw, give_up_rate, days_in_status, min_wait, loc, decided_by):
    """Of the claimants ``waiting``, in order: those who give up (``u < give_up_rate``, ``u`` the
    row of ``rng.random(len(waiting))`` drawn from ``streams``, if ``draw``), and of the others
    those who have waited ``min_wait`` days, with the office that decides each claim."""
    n = waiting.shape[0]
    quit = np.empty(n, dtype=np.int64)
    ready = np.empty(n, dtype=np.int64)
    offices = np.empty(n, dtype=decided_by.dtype)
    n_quit = n_ready = 0
    hi, lo, inc_hi, inc_lo = streams[0, 0], streams[0, 1], streams[0, 2], streams[0, 3]
    for j in range(n):
        i = waiting[j]
        if draw:
            hi, lo, u = step_double(hi, lo, inc_hi, inc_lo)
            if u < give_up_rate:
                quit[n_quit] = i
                n_quit += 1
                continue
        if days_in_status[i] >= min_wait:
            ready[n_ready] = i
            offices[n_ready] = decided_by[loc[i]]
            n_ready += 1
    return quit[:n_quit], ready[:n_ready], offices[:n_ready]
