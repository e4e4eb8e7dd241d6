"""What the dashboard shows beside a run's results: the map of its scenario (places,
routes, caravan roads) and the observations to plot against it.

A run started from the dashboard gets ``dashboard.json`` in its results folder, so it
can be drawn without its scenario files. A folder without one (``caravana run``, an
ensemble) is drawn with the scenario the results catalogue recorded for it, or, when
it is not in the catalogue, with the built-in scenario its metadata names.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .. import catalogue
from ..errors import CaravanaError
from ..observations import read_observations
from ..results.format import read_world
from ..results.io import atomic_write_text
from ..scenario.load import builtin_path, load_scenario, recorded_as_builtin
from ..scenario.schema import Scenario
from .geography import geography_of

CONTEXT_FILE = "dashboard.json"
OBSERVATION_FILES = "observations*.csv"


def observation_rows(path: Path, scenario: Scenario) -> list[dict[str, Any]]:
    """Count observations of an observations CSV file, within the scenario's period."""
    start, days = scenario.period.start, scenario.period.days
    rows = []
    for r in read_observations(path):
        if r.is_count and 0 <= (r.date - start).days < days:
            rows.append({"date": r.date.isoformat(), "place": r.place, "quantity": str(r.quantity),
                         "value": r.value, "low": r.low, "high": r.high, "source": r.source})
    return rows


def scenario_observations(scenario: Scenario, folder: Path | None) -> list[dict[str, Any]]:
    """The scenario's own observed counts (Flee's camp counts) and those of the
    observations files in its folder."""
    rows = [
        {"date": scenario.date_of(p.day).isoformat(), "place": place, "quantity": "camp", "value": p.count,
         "low": None, "high": None, "source": f"{scenario.name} observations"}
        for place, points in scenario.observations.items() for p in points
        if 0 <= p.day < scenario.period.days
    ]
    for path in sorted(folder.glob(OBSERVATION_FILES)) if folder is not None else []:
        rows += observation_rows(path, scenario)
    return rows


def context_of(scenario: Scenario, folder: Path | None) -> dict[str, Any]:
    return {"geography": geography_of(scenario), "observations": scenario_observations(scenario, folder)}


def write_context(scenario: Scenario, scenario_folder: Path | None, results: Path) -> list[str]:
    """Write ``dashboard.json`` into ``results``; return warnings about unreadable
    observations files (the run is still worth showing without them)."""
    problems = []
    try:
        context = context_of(scenario, scenario_folder)
    except CaravanaError as exc:
        problems.append(f"observations not shown: {exc}")
        context = context_of(scenario, None)
    atomic_write_text(results / CONTEXT_FILE, json.dumps(context) + "\n")
    return problems


@cache
def builtin_context(name: str) -> dict[str, Any]:
    with warnings.catch_warnings():  # notes on Flee's shipped data, not the user's to fix
        warnings.simplefilter("ignore")
        return context_of(load_scenario(name), builtin_path(name))


def catalogued_context(folder: Path) -> dict[str, Any] | None:
    """The context of the scenario the catalogue recorded for ``folder`` (None: not there)."""
    try:
        record = catalogue.find_by_path(folder)
        if record is None:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scenario = catalogue.scenario_of(record)
    except CaravanaError:  # no catalogue, busy, or the scenario file moved: draw without it
        return None
    source = Path(record.scenario)
    scenario_folder = builtin_path(record.scenario) or (source if source.is_dir() else source.parent)
    return context_of(scenario, scenario_folder)


def read_context(folder: Path, metadata: dict[str, Any]) -> dict[str, Any]:
    """The folder's map from its ``world.json`` and its observations from ``dashboard.json``,
    else its catalogued scenario's, else its built-in scenario's, else nothing."""
    found = _observations_context(folder, metadata)
    world = read_world(folder)
    return found if world is None else {**found, "geography": world}


FORECAST_REPORTS = "reports.parquet"  # written by caravana.forecast.output


def forecast_reports(folder: Path) -> list[dict[str, Any]]:
    """A forecast's count reports, each marked used (up to the as-of date) or held back."""
    rows = pq.read_table(folder / FORECAST_REPORTS).to_pylist()
    return [{**{k: r[k] for k in ("place", "quantity", "value", "low", "high", "source", "used")},
             "date": r["date"].isoformat()}
            for r in rows if r["place"] is not None and r["value"] is not None]


def _observations_context(folder: Path, metadata: dict[str, Any]) -> dict[str, Any]:
    if metadata.get("forecast") and (folder / FORECAST_REPORTS).is_file():
        # a forecast draws the reports it was given, not its scenario's
        return {"observations": forecast_reports(folder)}
    path = folder / CONTEXT_FILE
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
    found = catalogued_context(folder)
    if found is not None:
        return found
    for key in ("source", "scenario"):
        name = metadata.get(key)
        if isinstance(name, str) and recorded_as_builtin(name, metadata):
            return builtin_context(name)
    return {}
