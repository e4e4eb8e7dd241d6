"""Border cities: what people on a port's waiting list do besides waiting for their turn.

People who reached a caravan's destination or a port (ARRIVED) wait there; ``papers``
lets them through ``per_day`` a port, first come first served (metering). Each day, after
metering, each of those still waiting (``BorderSpec``):

- at a port (a place with a US side), tries to cross irregularly with chance
  ``irregular_rate``: across (CROSSED, on the port's US side) with chance ``irregular_success``; else apprehended, and then deported
  (``deported_share``) or returned to the Mexican side, to the back of the waiting list;
- settles in the city (SETTLED) with chance ``settle_rate``;
- asks Mexico for asylum there (WAITING for COMAR) with chance ``asylum_rate``.

Humanitarian visas (``visas``) are handed out at places, ``per_day`` at most, first come
first served, to people staying there who ask (arrived, in transit, or resting with a
caravan); holders settle. The ``ports`` table has, per port and day, the waiting list,
people admitted by metering, irregular attempts, crossings and apprehensions.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ...engine.behaviour import Behaviour, Needs
from ...engine.status import Status
from ...scenario.corridor import BorderSpec
from .common import RESTING, Waiting, first_come, lodge_asylum_claims, register_fields, set_status
from .interfaces import PortQueues

COLUMNS = ("waiting", "admitted", "attempts", "across", "apprehended", "deported", "settled", "asylum", "visas")


class Border(Behaviour):
    name = "border"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("settled", "asylum_claim", "crossed", "deported", "returned_by_us", "humanitarian_visa")
    causes = ("settled in the border city", "at the border", "irregular crossing", "apprehended crossing")
    papers = Needs(PortQueues)

    def __init__(self, spec: BorderSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        register_fields(sim.population)
        net = sim.network
        self.us_side = np.full(net.n_places, -1, dtype=np.int32)
        for port, (us_side, _) in self.papers.ports.items():
            self.us_side[port] = us_side
        self.visa_places = [net.index(v.place) for v in self.spec.visas]
        self.table = {name: np.zeros((sim.days, net.n_places), dtype=np.int64) for name in COLUMNS}

    def step(self, sim) -> None:
        pop, day, spec = sim.population, sim.day, self.spec
        t = {name: grid[day] for name, grid in self.table.items()}
        waiting = np.flatnonzero(pop.status == Status.ARRIVED)
        np.add.at(t["waiting"], pop.loc[waiting], 1)
        t["admitted"][:] = self.papers.admitted[day]
        u = self.rng.random((3, len(waiting)))
        # Irregular crossings from a port's Mexican side (a place with a US side beyond it).
        attempt = (u[0] < spec.irregular_rate) & (self.us_side[pop.loc[waiting]] >= 0)
        if attempt.any():
            self._cross(sim, waiting[attempt], t)
        rest = ~attempt
        settle = waiting[rest & (u[1] < spec.settle_rate)]
        np.add.at(t["settled"], pop.loc[settle], 1)
        set_status(sim, settle, Status.SETTLED, cause="settled in the border city")
        ask = waiting[rest & (u[1] >= spec.settle_rate) & (u[2] < spec.asylum_rate)]
        np.add.at(t["asylum"], pop.loc[ask], 1)
        lodge_asylum_claims(sim, ask, cause="at the border")
        self._visas(sim, t)

    def _cross(self, sim, tries: np.ndarray, t: dict) -> None:
        pop, spec = sim.population, self.spec
        places = pop.loc[tries]
        np.add.at(t["attempts"], places, 1)
        u = self.rng.random((2, len(tries)))
        across = u[0] < spec.irregular_success
        for port in np.unique(places[across]):
            went = tries[across & (places == port)]
            t["across"][port] += len(went)
            set_status(sim, went, Status.CROSSED, place=int(self.us_side[port]), cause="irregular crossing")
        caught = ~across
        np.add.at(t["apprehended"], places[caught], 1)
        deported = tries[caught & (u[1] < spec.deported_share)]
        np.add.at(t["deported"], pop.loc[deported], 1)
        set_status(sim, deported, Status.DEPORTED, cause="apprehended crossing")
        back = tries[caught & (u[1] >= spec.deported_share)]
        set_status(sim, back, Status.ARRIVED, event="returned_by_us", cause="apprehended crossing")

    def _visas(self, sim, t: dict) -> None:
        pop = sim.population
        for offer, place in zip(self.spec.visas, self.visa_places):
            if not offer.active(sim.day):
                continue
            here = np.flatnonzero(pop.loc == place)
            status = pop.status[here]
            staying = (status == Status.ARRIVED) | ((status == RESTING) & (pop.group[here] >= 0)) | (
                (status == Status.WAITING) & (pop.waiting_for[here] == Waiting.TRANSIT))
            here = here[staying]
            asking = here[self.rng.random(len(here)) < offer.take_share]
            granted = first_come(asking, pop.days_in_status[asking], offer.per_day, self.rng)
            t["visas"][place] += len(granted)
            set_status(sim, granted, Status.SETTLED, event="humanitarian_visa")

    def outputs(self, sim) -> dict[str, pa.Table]:
        """Per place and day with anyone waiting or anything happening: the columns of COLUMNS."""
        days = sim.day
        any_ = np.zeros((days, sim.network.n_places), dtype=bool)
        for grid in self.table.values():
            any_ |= grid[:days] > 0
        d, p = np.nonzero(any_)
        columns = {
            "day": pa.array(d.astype(np.int32)),
            "date": pa.array(np.array(sim.scenario.period.start, dtype="datetime64[D]") + d.astype("timedelta64[D]")),
            "place": pa.array([sim.network.names[i] for i in p], pa.string()),
        }
        for name in COLUMNS:
            columns[name] = pa.array(self.table[name][d, p])
        return {"ports": pa.table(columns)}
