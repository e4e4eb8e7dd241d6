"""Cross-checks of a scenario's ``corridor`` section against its places and routes:
every name is a known place, every itinerary walkable on the caravan's modes."""

from __future__ import annotations

from ..errors import ScenarioError
from .schema import Scenario


def _fail(field: str, message: str) -> ScenarioError:
    return ScenarioError(message, field=f"corridor.{field}")


def check_corridor(scenario: Scenario) -> None:
    """Raise :class:`ScenarioError` at the first name or itinerary that does not fit
    the scenario's places and routes."""
    corridor = scenario.corridor
    if corridor is None:
        return
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
        if cp.place is None and not links.get((str(cp.start_place), str(cp.end_place))):
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
    countries = {loc.country for loc in scenario.locations}
    for i, offer in enumerate(corridor.offers):
        for k, place in enumerate(offer.places):
            known(f"offers[{i}].places[{k}]", place)
        country = offer.country
        if country is not None and country not in countries:
            raise _fail(f"offers[{i}].country", f"no place of the scenario is in country '{country}'")
    for i, regularisation in enumerate(corridor.regularisations):
        for k, place in enumerate(regularisation.places):
            known(f"regularisations[{i}].places[{k}]", place)
    for i, hub in enumerate(corridor.transit.hubs if corridor.transit else []):
        known(f"transit.hubs[{i}].place", hub.place)
    for i, visa in enumerate(corridor.border.visas if corridor.border else []):
        known(f"border.visas[{i}].place", visa.place)
