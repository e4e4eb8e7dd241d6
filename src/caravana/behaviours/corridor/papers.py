"""Papers: asylum in Mexico and US ports of entry.

- **Asylum (COMAR)**: each morning, caravan members who slept at an office place
  apply with chance ``apply_rate``; they leave the caravan and wait there (WAITING).
  Each office decides ``decisions_per_day`` claims a day, first come first served
  among those who have waited ``min_wait_days``: granted (by nationality) are
  SETTLED, refused are DEPORTED. Waiting applicants may give up (RETURNED).
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
from ...engine.status import Status
from ...scenario.corridor import PapersSpec
from ...scenario.schema import LocationType
from .common import RESTING, Waiting, active_mask, first_come, nationality_codes, places_with_office, register_fields, set_status


class Papers(Behaviour):
    name = "papers"

    def __init__(self, spec: PapersSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        register_fields(sim.population)
        net, asylum = sim.network, self.spec.asylum
        if asylum.offices is None:
            self.offices = places_with_office([loc.offices for loc in sim.scenario.locations], "comar")
        else:
            self.offices = np.array([net.index(p) for p in asylum.offices], dtype=np.int32)
        self.is_office = np.zeros(net.n_places, dtype=bool)
        self.is_office[self.offices] = True
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

    def step(self, sim) -> None:
        self._apply(sim)
        self._decide(sim)
        self._meter(sim)
        self._remain_in_mexico(sim)

    # ------------------------------------------------------------------ asylum in Mexico

    def _apply(self, sim) -> None:
        rate = self.spec.asylum.apply_rate
        if rate <= 0 or not len(self.offices):
            return
        pop = sim.population
        here = np.flatnonzero(active_mask(pop) & (pop.group >= 0) & (pop.status == RESTING))
        here = here[self.is_office[pop.loc[here]]]
        applicants = here[self.rng.random(len(here)) < rate]
        set_status(pop, applicants, Status.WAITING, waiting=Waiting.ASYLUM)
        pop.claim_day[applicants] = sim.day
        self.applied[sim.day] = len(applicants)

    def _decide(self, sim) -> None:
        asylum, pop = self.spec.asylum, sim.population
        waiting = np.flatnonzero((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.ASYLUM))
        if not len(waiting):
            return
        if asylum.give_up_rate > 0:
            quit = self.rng.random(len(waiting)) < asylum.give_up_rate
            set_status(pop, waiting[quit], Status.RETURNED)
            waiting = waiting[~quit]
        ready = waiting[pop.days_in_status[waiting] >= asylum.min_wait_days]
        for office in np.unique(pop.loc[ready]):
            here = ready[pop.loc[ready] == office]
            decided = first_come(here, pop.days_in_status[here], asylum.decisions_per_day, self.rng)
            yes = self.rng.random(len(decided)) < self.grant[np.maximum(pop.nationality[decided], 0)]
            set_status(pop, decided[yes], Status.SETTLED)
            set_status(pop, decided[~yes], Status.DEPORTED)
            self.granted[sim.day] += int(yes.sum())
            self.refused[sim.day] += int((~yes).sum())

    # ------------------------------------------------------------------ US ports of entry

    def _meter(self, sim) -> None:
        pop = sim.population
        arrived = np.flatnonzero(pop.status == Status.ARRIVED)
        if not len(arrived) or not self.ports:
            return
        rim = self.spec.remain_in_mexico
        sent_back = rim is not None and rim.active(sim.day)
        for port, (us_side, per_day) in self.ports.items():
            here = arrived[pop.loc[arrived] == port]
            if not len(here):
                continue
            served = here if per_day is None else first_come(here, pop.days_in_status[here], per_day, self.rng)
            if sent_back:
                set_status(pop, served, Status.WAITING, waiting=Waiting.REMAIN_IN_MEXICO)
            else:
                set_status(pop, served, Status.CROSSED, place=us_side)
                self.crossed[sim.day] += len(served)

    def _remain_in_mexico(self, sim) -> None:
        rim = self.spec.remain_in_mexico
        if rim is None:
            return
        pop = sim.population
        waiting = np.flatnonzero((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.REMAIN_IN_MEXICO))
        if not len(waiting):
            return
        quit = self.rng.random(len(waiting)) < rim.give_up_rate
        set_status(pop, waiting[quit], Status.RETURNED)
        waiting = waiting[~quit]
        heard = waiting[pop.days_in_status[waiting] >= rim.wait_days]
        for port, (us_side, _) in self.ports.items():
            go = heard[pop.loc[heard] == port]
            set_status(pop, go, Status.CROSSED, place=us_side)
            self.crossed[sim.day] += len(go)
