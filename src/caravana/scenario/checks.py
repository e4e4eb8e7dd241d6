"""Cross-row checks of a scenario: names are unique and every reference resolves.

Single values are checked by the pydantic models; what needs the whole scenario
(a route to an unknown place, a duplicate name) is checked here, and the error
names the file and row the offending entry came from.
"""

from __future__ import annotations

import warnings

from ..errors import ScenarioError, ScenarioWarning
from .corridor_checks import check_corridor
from .schema import FromFile, Scenario


def _fail(entry: FromFile | None, field: str, message: str, default_file: str) -> ScenarioError:
    if entry is None or entry.origin is None:
        return ScenarioError(message, file=default_file, field=field)
    return ScenarioError(message, file=entry.origin[0], row=entry.origin[1], field=entry.column_name(field))


def check_scenario(scenario: Scenario) -> None:
    """Raise :class:`ScenarioError` at the first broken reference."""
    names: dict[str, int] = {}
    for loc in scenario.locations:
        if loc.name in names:
            raise _fail(loc, "name", f"duplicate location name '{loc.name}'", "locations")
        names[loc.name] = len(names)
    countries = {loc.country for loc in scenario.locations}

    seen_links: set[tuple[str, str, str]] = set()
    for route in scenario.routes:
        for field, name in (("from", route.start), ("to", route.end)):
            if name not in names:
                raise _fail(route, field, f"route to nowhere: unknown location '{name}'", "routes")
        if route.start == route.end:
            raise _fail(route, "to", f"route from '{route.start}' to itself", "routes")
        first, second = sorted((route.start, route.end))
        key = (first, second, route.mode)
        if key in seen_links:
            # Parallel links are legal (Flee allows them) but usually a copy-paste slip.
            where = f"{route.origin[0]} row {route.origin[1]}: " if route.origin else ""
            warnings.warn(
                f"{where}second {route.mode} route between '{key[0]}' and '{key[1]}'",
                ScenarioWarning,
                stacklevel=2,
            )
        seen_links.add(key)

    for closure in scenario.closures:
        if closure.kind == "country":
            for field, name in (("name1", closure.name1), ("name2", closure.name2)):
                if name not in countries:
                    raise _fail(closure, field, f"unknown country '{name}'", "closures")
        else:
            if closure.name1 not in names:
                raise _fail(closure, "name1", f"unknown location '{closure.name1}'", "closures")
            needs_second = closure.kind in ("link", "remove_forced_redirection")
            if needs_second and closure.name2 not in names:
                raise _fail(closure, "name2", f"unknown location '{closure.name2}'", "closures")

    for change in scenario.conflicts:
        if change.location not in names:
            raise _fail(change, "location", f"unknown location '{change.location}'", "conflicts")

    for series_name, series in (
        ("spawning.camp_counts", scenario.spawning.camp_counts),
        ("observations", scenario.observations),
    ):
        for place in series:
            if place not in names:
                raise ScenarioError(f"counts given for unknown location '{place}'", field=series_name)

    _check_demographics(scenario, names)
    if scenario.corridor is not None:
        check_corridor(scenario)


def _check_demographics(scenario: Scenario, names: dict[str, int]) -> None:
    """The tables the hazard rules read are there, ages are numbers; columns naming no
    place are never read (as in Flee): said, not silently dropped."""
    tables, rules = scenario.spawning.demographics, scenario.settings.movement
    needed = {"age"} | ({"gender"} if rules.boys_take_risk else set()) if rules.children_avoid_hazards else set()
    for attribute in sorted(needed - set(tables)):
        raise ScenarioError(f"children_avoid_hazards needs each person's {attribute}: no '{attribute}' table "
                            f"(Flee: input_csv/demographics_{attribute}.csv)", field="spawning.demographics")
    if "age" in tables:
        for value in tables["age"].values:
            try:
                float(value)
            except ValueError:
                raise ScenarioError(f"age '{value}' is not a number", field="spawning.demographics.age") from None
    for attribute, table in tables.items():
        unknown = sorted(set(table.weights) - set(names) - {"Default"})
        if unknown:
            warnings.warn(f"demographics '{attribute}': columns naming no location are not used: "
                          f"{', '.join(unknown)}", ScenarioWarning, stacklevel=3)
