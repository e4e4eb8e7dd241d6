"""The corridor system: caravans, enforcement, papers, transport, aid, returns.

``corridor_behaviours(scenario)`` checks the scenario's ``corridor`` section
against its places and routes, and returns the behaviours in their daily order:

1. ``status_clock``  days in status +1 for everyone
2. ``enforcement``   today's checkpoints; blockade queues; deportations
3. ``returns``       members give up (home or stay)
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
from ...errors import ScenarioError
from ...scenario.schema import Scenario
from ..flee_movement import FleeMovement
from .aid import Aid
from .caravan import CaravanLog, Caravans
from .common import StatusClock
from .enforcement import Enforcement
from .border import Border
from .individuals import Individuals
from .merging import Merging
from .papers import Papers
from .returns import Returns
from .transit import Transit
from .transport import Transport


def corridor_behaviours(scenario: Scenario) -> list[Behaviour]:
    corridor = scenario.corridor
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
    return [
        StatusClock(),
        Enforcement(corridor.enforcement),
        Returns(),
        Papers(corridor.papers),
        *border,
        Caravans(corridor.caravans),
        *optional,
        *alone,
        Transport(corridor.transport),
        Aid(corridor.aid),
        CaravanLog(),
    ]


def _fail(field: str, message: str) -> ScenarioError:
    return ScenarioError(message, field=f"corridor.{field}")


def check_corridor(scenario: Scenario) -> None:
    """Raise :class:`ScenarioError` at the first name or itinerary that does not fit
    the scenario's places and routes."""
    corridor = scenario.corridor
    names = set(scenario.location_index())
    links: dict[tuple[str, str], set[str]] = {}
    for r in scenario.routes:
        links.setdefault((r.start, r.end), set()).add(r.mode)
        links.setdefault((r.end, r.start), set()).add(r.mode)

    def known(field: str, name: str | None) -> None:
        if name is not None and name not in names:
            raise _fail(field, f"unknown location '{name}'")

    def walkable(where: str, caravan) -> list[str]:
        known(f"{where}.origin", caravan.origin)
        stops = [caravan.origin, *caravan.itinerary]
        for j, (a, b) in enumerate(zip(stops[:-1], stops[1:])):
            known(f"{where}.itinerary[{j}]", b)
            if not links.get((a, b), set()) & set(caravan.modes):
                raise _fail(f"{where}.itinerary[{j}]", f"no {'/'.join(caravan.modes)} route from '{a}' to '{b}'")
        if len(set(stops)) != len(stops):
            raise _fail(f"{where}.itinerary", "a place appears twice on the itinerary")
        return stops

    for i, caravan in enumerate(corridor.caravans):
        where = f"caravans[{i}]"
        stops = walkable(where, caravan)
        for j, (split, group) in enumerate(zip(caravan.splits, caravan.split_groups())):
            if split.at not in stops[:-1]:
                raise _fail(f"{where}.splits[{j}].at", f"'{split.at}' is not on the caravan's way (before its end)")
            walkable(f"{where}.splits[{j}]", group)
        for k, place in enumerate([*caravan.destinations, *caravan.choose_at]):
            known(f"{where}.destinations[{k}]" if k < len(caravan.destinations)
                  else f"{where}.choose_at[{k - len(caravan.destinations)}]", place)
        for field, places in (
            ("joiners", [j.place for j in caravan.joiners]),
            ("pace", [leg.place for leg in caravan.pace]),
            ("stopovers", list(caravan.stopovers)),
        ):
            for k, place in enumerate(places):
                if place not in stops:
                    raise _fail(f"{where}.{field}[{k}]", f"'{place}' is not on the caravan's itinerary")
    enforcement = corridor.enforcement
    known("enforcement.station", enforcement.station)
    for i, cp in enumerate(enforcement.checkpoints):
        for field, name in (("place", cp.place), ("from", cp.start_place), ("to", cp.end_place)):
            known(f"enforcement.checkpoints[{i}].{field}", name)
        if cp.place is None and not links.get((cp.start_place, cp.end_place)):
            raise _fail(f"enforcement.checkpoints[{i}]", f"no route from '{cp.start_place}' to '{cp.end_place}'")
    papers = corridor.papers
    for i, place in enumerate(papers.asylum.offices or []):
        known(f"papers.asylum.offices[{i}]", place)
    for i, port in enumerate(papers.ports):
        known(f"papers.ports[{i}].place", port.place)
    for i, bus in enumerate(corridor.transport.buses):
        known(f"transport.buses[{i}].place", bus.place)
        known(f"transport.buses[{i}].to", bus.to)
    for i, flow in enumerate(corridor.individuals):
        known(f"individuals[{i}].origin", flow.origin)
    for place in corridor.aid.shelters:
        known("aid.shelters", place)
    for i, opening in enumerate(corridor.aid.openings):
        known(f"aid.openings[{i}].place", opening.place)
    for i, hub in enumerate(corridor.transit.hubs if corridor.transit else []):
        known(f"transit.hubs[{i}].place", hub.place)
    for i, visa in enumerate(corridor.border.visas if corridor.border else []):
        known(f"border.visas[{i}].place", visa.place)


__all__ = ["corridor_behaviours", "check_corridor", "Caravans", "CaravanLog", "Enforcement", "Papers", "Returns",
           "Transport", "Aid", "StatusClock"]
