"""People travelling alone: they set out from origins each day and move by Flee's rules.

Flee's movement behaviour (``FleeMovement(individuals_only=True)``) moves them; this
behaviour, stepped right after it, does what the corridor adds around that:

- the ports of entry are their camps (Flee's destination places: camp weight in the
  route scores, camp move chance), and whoever rests at one has ARRIVED, to be metered
  by ``papers`` like caravan members;
- checks: someone who reached a place today through a link watched by an active
  checkpoint is screened alone (no safety in numbers). People who pass such a place
  without stopping in a multi-link day are not screened, and blockades, which hold
  groups at a link, do not stop lone travellers in this version;
- today's new travellers appear at their origins (they set out tomorrow).
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...engine.status import Status
from ...scenario.corridor import IndividualFlow
from ...scenario.schema import LocationType
from .common import RESTING, TRAVELLING, draw_people, nationality_codes, register_fields, set_status, spawn
from .interfaces import Checkpoints


class Individuals(Behaviour):
    name = "individuals"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("joined", "arrived_at_border")
    causes = ("alone",)
    enforcement = Needs(Checkpoints, optional=True)

    def __init__(self, flows: list[IndividualFlow]) -> None:
        self.flows = flows

    def init(self, sim) -> None:
        register_fields(sim.population)
        net = sim.network
        self.origins = [net.index(flow.origin) for flow in self.flows]
        self.codes = nationality_codes(sim.scenario.corridor)
        self.ports = np.array([k == LocationType.port_of_entry for k in net.kind])
        rules = sim.scenario.settings.movement
        sim.places.camp[self.ports] = True
        sim.places.town[self.ports] = False
        sim.places.movechance[self.ports] = rules.camp_movechance
        self.yesterday = sim.population.loc[: sim.population.n].copy()

    def step(self, sim) -> None:
        pop = sim.population
        alone = np.flatnonzero(pop.group[: pop.n] < 0)
        # Lone travellers all existed yesterday (they appear only at the end of this step);
        # people spawned since by other behaviours are caravan members.
        seen = alone[alone < len(self.yesterday)]
        moved = seen[pop.loc[seen] != self.yesterday[seen]]
        if self.enforcement is not None and len(moved):
            self._screen(sim, moved, self.enforcement)
        resting = alone[pop.status[alone] == RESTING]
        set_status(sim, resting[self.ports[pop.loc[resting]]], Status.ARRIVED, cause="alone")
        for flow, origin in zip(self.flows, self.origins):
            if flow.active(sim.day):
                n = int(self.rng.poisson(flow.per_day))
                if n:
                    fields = draw_people(self.rng, n, flow.composition, flow.nationality, self.codes)
                    spawn(sim, np.full(n, origin, dtype=np.int32), **fields)
                    sim.events.record(sim.day, "joined", origin, cause="alone", count=n)
        self.yesterday = pop.loc[: pop.n].copy()

    def _screen(self, sim, moved: np.ndarray, enforcement: Checkpoints) -> None:
        """Screen each of ``moved`` once at the checked link into where they are now."""
        pop, net = sim.population, sim.network
        checked = np.flatnonzero(enforcement.detain_p > 0)
        for link in checked:
            # On the checked link now, or arrived at its end today.
            here = moved[(pop.link[moved] == link) | ((pop.link[moved] < 0) & (pop.loc[moved] == net.dst[link]))]
            here = here[(pop.status[here] == RESTING) | (pop.status[here] == TRAVELLING)]  # not caught already
            if len(here):
                enforcement.detain(sim, here, int(link), group_size=1)
