"""Papers handed out to a caravan at once: INM's mass regularisations.

Members leave a caravan one by one at its ``leave_rate`` (``returns.py``), or a section at once
on a break-up day (``breakup.py``). What the reports of the caravans of 2019-2024 also show is
a policy event: the migration authority hands out humanitarian visas or transit permits where a
caravan stops, to a large part of it at once, and most of those given papers then go their own
way (the January 2019 caravan at the Guatemalan border; Huixtla, June 2022; Mapastepec, November
2021 and January 2024). ``corridor.regularisations`` (``scenario.corridor.Regularisation``) sets
where, in which window of days, with what chance each morning, and how large a share.

Each morning in an event's window, for each caravan whose main body slept at one of the event's
places (and that has not had it yet), with chance ``chance`` it happens: of the members with the
main body (not those behind it or ahead), each is given papers with a share drawn from a beta
distribution with mean ``share`` (parameters summing to ``CONCENTRATION``): a permit held (not
detained at checks), logged as ``permit_issued`` with the event's name as cause; of them, each
leaves the caravan with chance ``leave_share`` and stays in the country where it is (SETTLED,
the same cause), the others walk on with it, papers in hand. Only in a scenario that lists such
events (else the behaviour is not there and draws nothing).
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...engine.status import Status
from ...scenario.corridor import Regularisation
from .common import Permit, register_fields, set_status
from .interfaces import CaravanGroups

CONCENTRATION = 4.0  # est, as break-ups': the share given papers varies widely from caravan to caravan


class Regularisations(Behaviour):
    name = "regularisations"
    keeps_counts = True  # through set_status: head-counts kept, whom it changed listed
    reports_moves = True
    events = ("permit_issued", "settled")
    caravans = Needs(CaravanGroups)

    def __init__(self, specs: list[Regularisation]) -> None:
        self.specs = list(specs)

    def init(self, sim) -> None:
        register_fields(sim.population)
        net = sim.network
        self._at = []  # per event: a mask over places
        for spec in self.specs:
            at = np.zeros(net.n_places, dtype=bool)
            at[[net.index(p) for p in spec.places]] = True
            self._at.append(at)
        self.done: set[tuple[int, int]] = set()  # (event, caravan) that happened

    def step(self, sim) -> None:
        for e, (spec, at) in enumerate(zip(self.specs, self._at)):
            if not spec.active(sim.day):
                continue
            for c, st in enumerate(self.caravans.states):
                if (e, c) in self.done or not st.formed or st.merged_into is not None or sim.day <= st.spec.departure_day:
                    continue
                seg = st.path.segment_of(st.body)
                place = int(st.path.places[seg])
                if st.path.km[seg] != st.body or not at[place]:
                    continue
                if spec.chance < 1.0 and self.rng.random() >= spec.chance:
                    continue
                self.done.add((e, c))
                self._hand_out(sim, spec, c, st.body, place)

    def _hand_out(self, sim, spec: Regularisation, c: int, body, place: int) -> None:
        """Papers to a share of caravan ``c``'s members with its main body (at km ``body``, at ``place``)."""
        pop = sim.population
        column = self.caravans.column(sim, c)
        with_body = column[pop.ckm[column] == body]
        share = self.rng.beta(CONCENTRATION * spec.share, CONCENTRATION * (1.0 - spec.share))
        given = with_body[self.rng.random(len(with_body)) < share]
        if not len(given):
            return
        pop.permit[given] = Permit.HELD
        sim.events.record(sim.day, "permit_issued", place, cause=spec.name, count=len(given))
        leaving = given[self.rng.random(len(given)) < spec.leave_share] if spec.leave_share < 1.0 else given
        set_status(sim, leaving, Status.SETTLED, cause=spec.name)
