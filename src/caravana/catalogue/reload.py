"""Rebuilding what a finished run knew from its folder: its Results and its Scenario."""

from __future__ import annotations

from ..errors import CaravanaError
from ..results.reader import ResultsFolder, dense_counts
from ..results.results import Results
from ..scenario.load import load_scenario
from ..scenario.overrides import apply_overrides
from ..scenario.schema import Scenario
from .records import RunRecord
from .store import CatalogueError


def results_from_folder(folder: ResultsFolder) -> Results:
    """The run's :class:`Results` from ``counts.parquet`` and its other tables.

    Everyone spawned is in exactly one status every day, so the spawned series is the
    daily sum of the counts.
    """
    name = str(folder.path / "counts.parquet")
    days = folder.metadata.get("days")
    counts, places, start = dense_counts(folder.read_table("counts"), name, int(days) if days else None)
    tables = {t: folder.read_table(t) for t in folder.table_names() if t != "counts"}
    return Results(
        scenario=str(folder.metadata.get("scenario", "")),
        start=start,
        places=places,
        counts=counts,
        spawned=counts.sum(axis=(1, 2)),
        metadata=folder.metadata,
        tables=tables,
    )


def scenario_of(record: RunRecord, *, overrides: bool = True) -> Scenario:
    """The scenario a registered run ran, with its recorded setting overrides applied
    (``overrides=False``: as its file says, e.g. to draw its places)."""
    try:
        scenario = load_scenario(record.scenario, flee_rules=record.metadata.get("flee_rules", "3.1"))
        return apply_overrides(scenario, record.parameters) if overrides and record.parameters else scenario
    except CaravanaError as exc:
        raise CatalogueError(f"run {record.id}: cannot reload its scenario {record.scenario}: {exc}") from None
