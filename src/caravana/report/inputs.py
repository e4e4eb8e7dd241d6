"""What a report is made from: the results folder (given, or found by run id), the
scenario behind it (for the map and the caravans' roads), and what was observed."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import catalogue
from ..display.geography import geography_of
from ..errors import CaravanaError
from ..observations import Observation, Observations, read_observations
from ..scenario.load import BUILTIN_DIR, load_scenario, recorded_as_builtin
from ..scenario.schema import Scenario

# The built-in corridor scenario's dated reports of the October 2018 caravan.
BUILTIN_OBSERVATIONS = {"corridor": BUILTIN_DIR / "corridor" / "observations_2018.csv"}


@dataclass
class ReportInputs:
    folder: catalogue.ResultsFolder
    record: catalogue.RunRecord | None
    scenario: Scenario | None
    geography: dict[str, Any] | None  # places, routes, caravans' itineraries (display.geography)
    observations: Observations | None
    notes: list[str] = field(default_factory=list)  # what is missing and why, shown in the report


def resolve(source: str, *, scenario: str | None = None, observations: Path | None = None) -> ReportInputs:
    """Everything the report needs; raises CaravanaError for a bad source or file.

    ``source`` is a results folder or a catalogue run id. The scenario is ``scenario``
    if given, else the one the catalogue recorded for the run, else a built-in named
    in the results' metadata; without one the report has no map.
    """
    path = Path(source)
    if path.is_dir():
        folder = catalogue.open_results(path)
        record = _record_of_folder(path)
    elif re.fullmatch(r"[0-9a-fA-F]{1,32}", source):
        record = catalogue.get_run(source)
        folder = catalogue.folder_of(record)
    else:
        raise CaravanaError(f"{source}: no such folder, and not a run id (see 'caravana runs list')")
    inputs = ReportInputs(folder, record, None, None, None)
    inputs.scenario = _scenario(inputs, scenario)
    inputs.geography = geography_of(inputs.scenario) if inputs.scenario else None
    if inputs.geography is None:
        inputs.notes.append("No map: the scenario is unknown (pass --scenario, or run it with 'caravana run').")
    inputs.observations = _observations(inputs, observations)
    return inputs


def _record_of_folder(path: Path) -> catalogue.RunRecord | None:
    try:
        return catalogue.find_by_path(path)
    except catalogue.CatalogueError as exc:  # the folder alone still makes a report
        warnings.warn(f"catalogue not read: {exc}", stacklevel=3)
        return None


def _scenario(inputs: ReportInputs, given: str | None) -> Scenario | None:
    if given is not None:
        return load_scenario(given)  # the user asked for it: its errors are theirs to see
    if inputs.record is not None:
        try:
            return catalogue.scenario_of(inputs.record, overrides=False)
        except (catalogue.CatalogueError, catalogue.FolderError) as exc:
            inputs.notes.append(f"The run's scenario could not be reloaded: {exc}.")
            return None
    meta = inputs.folder.metadata
    for candidate in (meta.get("source"), meta.get("scenario")):
        if not isinstance(candidate, str):
            continue
        if recorded_as_builtin(candidate, meta) or Path(candidate).is_file():
            try:
                return load_scenario(candidate)
            except CaravanaError as exc:
                inputs.notes.append(f"The scenario {candidate} could not be loaded: {exc}.")
    return None


FORECAST_REPORTS = "reports.parquet"  # written by caravana.forecast.output


def _forecast_reports(path: Path) -> Observations:
    """The reports a forecast was given, as it stored them beside its bands."""
    import pyarrow.parquet as pq

    fields = ("date", "quantity", "place", "caravan", "value", "low", "high", "source")
    rows = pq.read_table(path).to_pylist()
    return Observations(rows=tuple(Observation(**{k: r[k] for k in fields if r[k] is not None}) for r in rows),
                        file=str(path))


def _observations(inputs: ReportInputs, given: Path | None) -> Observations | None:
    reports = inputs.folder.path / FORECAST_REPORTS
    if given is None and inputs.folder.metadata.get("forecast") and reports.is_file():
        return _forecast_reports(reports)  # a forecast's own reports, not its scenario's
    # the built-in scenario's reports, not those of any scenario of its name (a user's own "corridor")
    builtin = BUILTIN_OBSERVATIONS.get(inputs.scenario.name) if inputs.scenario and inputs.scenario.builtin else None
    path = given or (builtin if builtin is not None and builtin.is_file() else None)
    if path is None:
        return None
    observations = read_observations(path)
    return observations.check_against(inputs.scenario) if inputs.scenario is not None else observations
