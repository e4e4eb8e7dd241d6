"""Leaving a caravan: each day some members give up. Most go home (RETURNED), the
others stay in the country they are in (SETTLED). Members whose main body is held
at a blockade give up more often (``leave_rate_held``): waiting at a closed border
is when governments offered buses home; so do, with ``leave_rate_queued``, members who
stay in the blockade's queue to be let through after the body has gone on.

With ``leavers_wait_share``, that share of the leavers stays instead, waiting where they are as
migrants in transit (``transit.py``), out of their caravan. Leavers are counted at the place
where they left the route.
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...engine.status import Status
from .common import Waiting, set_status
from .interfaces import CaravanGroups


class Returns(Behaviour):
    name = "returns"
    events = ("waiting_in_transit", "returned", "settled")
    causes = ("left the caravan", "left the caravan, stayed")
    caravans = Needs(CaravanGroups)

    def step(self, sim) -> None:
        pop = sim.population
        queued = None  # every caravan's people in a blockade's queue, found when first needed
        # Everyone's caravan at once: leaving one caravan changes no other's members (nor anyone's
        # place in a queue: leavers go home, stay, or wait in transit).
        for c, (st, m) in enumerate(zip(self.caravans.states, self.caravans.all_members(sim))):
            if not len(m):
                continue
            spec = st.spec
            rate: np.ndarray | float = spec.leave_rate  # (nobody held: no need to read anyone's km)
            if st.held:
                rate = np.where(pop.ckm[m] == st.body, spec.leave_rate_held, spec.leave_rate)
            u = self.rng.random((2, len(m)))
            leave = u[0] < rate
            if spec.leavers_wait_share > 0:  # some stay where they are, in transit
                wait = leave & (self.rng.random(len(m)) < spec.leavers_wait_share)
                pop.group[m[wait]] = -1
                set_status(sim, m[wait], Status.WAITING, waiting=Waiting.TRANSIT, cause="left the caravan")
                leave &= ~wait
            home = u[1] < spec.return_share
            set_status(sim, m[leave & home], Status.RETURNED, cause="left the caravan")
            set_status(sim, m[leave & ~home], Status.SETTLED, cause="left the caravan, stayed")
            if spec.leave_rate_queued is not None:
                if queued is None:
                    waiting = np.flatnonzero(pop.status == Status.WAITING)
                    queued = waiting[pop.waiting_for[waiting] == Waiting.BLOCKADE]
                self._give_up_queue(sim, spec, queued[pop.group[queued] == c])

    def _give_up_queue(self, sim, spec, queued: np.ndarray) -> None:
        """A caravan's people waiting in a blockade's queue (``queued``) give up at
        ``leave_rate_queued``, home or staying as other leavers."""
        if not len(queued):
            return
        u = self.rng.random((2, len(queued)))
        leave = u[0] < spec.leave_rate_queued
        home = u[1] < spec.return_share
        set_status(sim, queued[leave & home], Status.RETURNED, cause="left the caravan")
        set_status(sim, queued[leave & ~home], Status.SETTLED, cause="left the caravan, stayed")
