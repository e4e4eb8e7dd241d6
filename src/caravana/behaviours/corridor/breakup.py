"""Break-ups: a caravan loses people in groups, not only one by one.

Members leave a caravan every day at its ``leave_rate``, each on their own (``returns.py``).
What reports of caravans show besides is sudden loss: a section of the caravan leaves at
once, when papers or buses are offered (humanitarian visas, permits, buses home) or when a
long stop ends in a split. Each morning after its departure, with chance ``break_up_rate``
a caravan has such a day: a share of its column, drawn from a beta distribution with mean
``break_up_share`` (sum of its parameters ``CONCENTRATION``), leaves it and stays in the
country it is in (SETTLED, as the forecast's size corrections do: a crowd counted smaller
has mostly dispersed or walks on apart, and is not known to have gone home), logged as
``settled`` with the cause "the caravan broke up".

The mean daily loss is ``leave_rate + break_up_rate x break_up_share``; with the same mean,
break-ups leave most runs' caravans larger for longer and some much smaller: the spread
of sizes a forecast has to allow for. Only in a scenario where some caravan has a
``break_up_rate`` (else the behaviour is not there and draws nothing).
"""

from __future__ import annotations

from ...engine.behaviour import Behaviour, Needs
from .interfaces import CaravanGroups

CONCENTRATION = 4.0  # est: a day's share spread widely around its mean (mean 0.4: P5-P95 ~0.07-0.8)
CAUSE = "the caravan broke up"


class BreakUps(Behaviour):
    name = "break_ups"
    keeps_counts = True  # through Caravans.resize: head-counts kept, whom it changed listed
    reports_moves = True
    events = ("settled",)
    causes = (CAUSE,)
    caravans = Needs(CaravanGroups)

    def step(self, sim) -> None:
        for c, st in enumerate(self.caravans.states):
            spec = st.spec
            if spec.break_up_rate <= 0 or not st.formed or sim.day <= spec.departure_day:
                continue
            # Two draws a caravan a day whatever happens, so one caravan's day changes no other's.
            u, share = self.rng.random(), self.rng.beta(CONCENTRATION * spec.break_up_share,
                                                        CONCENTRATION * (1.0 - spec.break_up_share))
            if u >= spec.break_up_rate or st.merged_into is not None:
                continue
            column = self.caravans.column(sim, c)
            leaving = int(self.rng.binomial(len(column), share)) if len(column) else 0
            if leaving:
                self.caravans.resize(sim, c, len(column) - leaving, self.rng, CAUSE, column=column)
