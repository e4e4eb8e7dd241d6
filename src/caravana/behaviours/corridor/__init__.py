"""The corridor system: caravans, enforcement, papers, transport, aid, returns.

``corridor_behaviours(scenario)`` checks the scenario's ``corridor`` section
against its places and routes, and returns the behaviours in their daily order:

1. ``status_clock``  days in status +1 for everyone
2. ``enforcement``   today's checkpoints; blockade queues; deportations
3. ``returns``       members give up (home or stay), stay behind worn out, take offers
   ``break_ups``     (if on) a section of a caravan leaves at once
   ``regularisations`` (if on) papers handed out to a caravan at once where it stops
4. ``papers``        asylum applications and decisions; US ports
   ``border``        (if on) irregular crossings, settling, visas, asylum in border cities
5. ``caravans``      joiners; group decisions (forks: destination choice, splits);
                     members move, are screened, arrive
   ``transit``       (if on) caravans take in people waiting where they passed
   ``merging``       (if on) caravans sleeping at the same place may merge
   ``movement``      (with lone travellers) Flee's rules for people outside caravans
   ``individuals``   lone travellers screened, arrive at ports; new ones set out
6. ``transport``     accidents on today's rides
7. ``aid``           who sleeps where, for the needs
8. ``caravan_log``   head, centre, tail and size of each caravan

People outside caravans (``corridor.individuals``) move by Flee's rules; caravan
members are moved by their caravan only.
"""

from __future__ import annotations

from ...engine.behaviour import Behaviour
from ...scenario.corridor_checks import check_corridor
from ...scenario.schema import Scenario
from ..flee_movement import FleeMovement
from .aid import Aid
from .border import Border
from .breakup import BreakUps
from .caravan import CaravanLog, Caravans
from .common import StatusClock
from .enforcement import Enforcement
from .individuals import Individuals
from .merging import Merging
from .papers import Papers
from .regularise import Regularisations
from .returns import Returns
from .transit import Transit
from .transport import Transport


def corridor_behaviours(scenario: Scenario) -> list[Behaviour]:
    corridor = scenario.corridor
    if corridor is None:
        raise ValueError(f"scenario '{scenario.name}' has no corridor section: it runs Flee's rules")
    check_corridor(scenario)
    alone: list[Behaviour] = []
    if corridor.individuals:
        alone = [FleeMovement(individuals_only=True), Individuals(corridor.individuals)]
    # Mechanisms a scenario switches on; off, they are not there and change nothing.
    optional: list[Behaviour] = []
    if corridor.transit is not None:
        optional.append(Transit(corridor.transit))
    if corridor.merging is not None:
        optional.append(Merging(corridor.merging))
    border = [Border(corridor.border)] if corridor.border is not None else []
    break_ups: list[Behaviour] = [BreakUps()] if any(c.break_up_rate > 0 for c in corridor.caravans) else []
    if corridor.regularisations:
        break_ups.append(Regularisations(corridor.regularisations))
    return [
        StatusClock(),
        Enforcement(corridor.enforcement),
        Returns(corridor.offers),
        *break_ups,
        Papers(corridor.papers),
        *border,
        Caravans(corridor.caravans),
        *optional,
        *alone,
        Transport(corridor.transport),
        Aid(corridor.aid),
        CaravanLog(),
    ]


__all__ = ["corridor_behaviours", "check_corridor", "Caravans", "CaravanLog", "Enforcement", "Papers", "Returns",
           "Transport", "Aid", "StatusClock"]
