"""Loading a scenario: a YAML file plus CSV tables, a Flee folder, or a built-in name.

The YAML file (``scenario.yml``) looks like::

    name: my-scenario
    start: 2018-10-12          # day 0
    days: 60
    seed: 0                    # default seed for runs
    tables:                    # paths relative to the YAML file, inside its folder
      locations: locations.csv # name,type,country,lat,lon,population,capacity,...
      routes: routes.csv       # from,to,km,mode,...
      closures: closures.csv   # optional: kind,name1,name2,start,end
      conflicts: conflicts.csv # optional: day,location,intensity
      totals: totals.csv       # optional: date,count  (cumulative displaced people)
      observations: observations.csv  # optional: date,location,count
    settings:
      movement: {max_move_speed: 200}
      spawning: {conflict_spawn_decay: [1.0, 0.5]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ..errors import ScenarioError
from .checks import check_scenario
from .schema import (
    MAX_DAYS,
    Closure,
    ConflictChange,
    CorridorLater,
    CountPoint,
    Location,
    Name,
    Period,
    Route,
    Scenario,
    Settings,
    Spawning,
    Strict,
)
from .tables import read_table, read_yaml, validate_row

if TYPE_CHECKING:
    from .corridor import CorridorSpec

BUILTIN_DIR = Path(__file__).parent / "builtin"


class TableFiles(Strict):
    locations: str
    routes: str | None = None
    closures: str | None = None
    conflicts: str | None = None
    totals: str | None = None
    observations: str | None = None


class ScenarioFile(CorridorLater):
    """The YAML file's top level."""

    name: Name
    description: str = ""
    start: dt.date
    days: int = Field(gt=0, le=MAX_DAYS)
    seed: int = Field(default=0, ge=0)
    tables: TableFiles
    settings: Settings = Field(default_factory=Settings)
    corridor: CorridorSpec | None = None  # imported at the first validation (CorridorLater)


class DatedCount(Strict):
    date: dt.date
    count: float = Field(ge=0)


class DatedPlaceCount(Strict):
    date: dt.date
    location: Name
    count: float = Field(ge=0)


def builtin_names() -> list[str]:
    """Scenarios shipped with the package: YAML scenarios and Flee folders."""
    yaml_ones = {p.parent.name for p in BUILTIN_DIR.glob("*/scenario.yml")}
    flee_ones = {p.parent.name for p in BUILTIN_DIR.glob("*/input_csv")}
    return sorted(yaml_ones | flee_ones)


def is_builtin_file(path: Path) -> bool:
    """Whether ``path`` is one of the package's own files (not a user's file of the same name)."""
    return path.resolve().is_relative_to(BUILTIN_DIR.resolve())


def recorded_as_builtin(name: str, metadata: Mapping[str, Any]) -> bool:
    """Whether a result's scenario ``name`` (its metadata's "scenario" or "source") is the built-in
    scenario of that name: a user's own scenario named "corridor" is not (its places differ)."""
    from .names import recorded_builtin

    return name in builtin_names() and recorded_builtin(metadata) is not False


def builtin_path(name: str) -> Path | None:
    """The folder of a built-in scenario, or None."""
    folder = BUILTIN_DIR / name
    if name in builtin_names():
        return folder
    return None


def load_scenario(source: str | Path, *, flee_rules: str = "3.1", ignore_unknown_settings: bool = False) -> Scenario:
    """Load a scenario from a YAML file, a folder holding ``scenario.yml``, a Flee
    input folder (``input_csv/`` + ``source_data/``), or a built-in scenario name.

    ``flee_rules`` ("3.1" or "latest") says how a Flee folder's simsetting.yml is read
    (see :mod:`caravana.flee.importer`); ``ignore_unknown_settings`` turns a simsetting.yml
    key caravana does not implement or know from an error into a warning.

    Raises :class:`~caravana.errors.ScenarioError` naming file, row and field on bad input.
    """
    path = Path(source)
    if not path.exists():
        builtin = builtin_path(str(source))
        if builtin is not None:
            return load_scenario(builtin, flee_rules=flee_rules, ignore_unknown_settings=ignore_unknown_settings)
        known = ", ".join(builtin_names()) or "none"
        raise ScenarioError(f"no such file, folder or built-in scenario (built-in: {known})", file=source)
    scenario = _load_path(path, flee_rules, ignore_unknown_settings)
    if is_builtin_file(path):  # the package's own, not any of its name
        # a copy, not an assignment: validating one would build the corridor's ~50 models (a Flee run needs none)
        scenario = scenario.model_copy(update={"builtin": True})
    return scenario


def _load_path(path: Path, flee_rules: str, ignore_unknown_settings: bool) -> Scenario:
    if path.is_dir():
        if (path / "input_csv").is_dir():
            from ..flee.importer import read_flee_folder

            # The CLI offers only Flee's rule sets; the importer refuses any other name.
            return read_flee_folder(path, compat=flee_rules, ignore_unknown=ignore_unknown_settings)  # type: ignore[arg-type]
        for candidate in ("scenario.yml", "scenario.yaml"):
            if (path / candidate).exists():
                return load_yaml_scenario(path / candidate)
        raise ScenarioError("folder holds neither scenario.yml nor a Flee input_csv/ folder", file=path)
    return load_yaml_scenario(path)


def _table_path(base: Path, relative: str, yaml_path: Path, field: str) -> Path:
    """Resolve a table path, refusing anything outside the scenario's folder."""
    candidate = (base / relative).resolve()
    if not candidate.is_relative_to(base.resolve()):
        raise ScenarioError("table path leaves the scenario's folder", file=yaml_path, field=field)
    return candidate


def _to_day(date: dt.date, start: dt.date) -> int:
    return (date - start).days


def load_yaml_scenario(yaml_path: Path) -> Scenario:
    raw = read_yaml(yaml_path)
    if not isinstance(raw, dict):
        raise ScenarioError("expected a mapping of scenario fields at the top level", file=yaml_path)
    spec = validate_row(ScenarioFile, raw, file=yaml_path, row=None)
    base = yaml_path.parent
    tables = spec.tables

    def table(field: str) -> Path | None:
        relative = getattr(tables, field)
        return None if relative is None else _table_path(base, relative, yaml_path, f"tables.{field}")

    locations_path = _table_path(base, tables.locations, yaml_path, "tables.locations")
    locations = read_table(locations_path, Location, required=("name", "type"))
    routes_path = table("routes")
    routes = read_table(routes_path, Route, required=("from", "to", "km")) if routes_path else []
    closures_path = table("closures")
    closures = read_table(closures_path, Closure) if closures_path else []
    conflicts_path = table("conflicts")
    conflicts = read_table(conflicts_path, ConflictChange) if conflicts_path else []

    spawning = Spawning()
    totals_path = table("totals")
    if totals_path:
        totals = read_table(totals_path, DatedCount, required=("date", "count"))
        spawning = Spawning(
            totals=[CountPoint(day=_to_day(r.date, spec.start), count=r.count) for r in totals]
        )
    observations: dict[str, list[CountPoint]] = {}
    observations_path = table("observations")
    if observations_path:
        for r in read_table(observations_path, DatedPlaceCount, required=("date", "location", "count")):
            observations.setdefault(r.location, []).append(
                CountPoint(day=_to_day(r.date, spec.start), count=r.count)
            )

    scenario = Scenario(
        name=spec.name,
        description=spec.description,
        period=Period(start=spec.start, days=spec.days),
        locations=locations,
        routes=routes,
        closures=closures,
        conflicts=conflicts,
        spawning=spawning,
        observations=observations,
        settings=spec.settings,
        corridor=spec.corridor,
        seed=spec.seed,
    )
    try:
        check_scenario(scenario)
    except ScenarioError as exc:
        exc.file = exc.file or str(yaml_path)  # e.g. the corridor section, which is in this file
        raise
    return scenario
