"""Rebuilding what a finished run knew from its folder: its Results and its Scenario."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.status import STATUS_NAMES
from ..errors import CaravanaError
from ..results.results import Results
from ..scenario.load import load_scenario
from ..scenario.overrides import apply_overrides
from ..scenario.schema import Scenario
from .folders import ResultsFolder
from .records import RunRecord
from .store import CatalogueError


def all_values(column: pa.ChunkedArray) -> list[str]:
    """All values of a dictionary column: write_results keeps every place in it, even empty ones."""
    if pa.types.is_dictionary(column.type) and column.num_chunks:
        return column.chunk(0).dictionary.to_pylist()
    return sorted(set(column.to_pylist()))


def dense_counts(table: pa.Table, name: str, days: int | None = None, places: list[str] | None = None):
    """A long counts table (day, date, place, status, count) as a (days, places, statuses)
    array; returns it with the places and the date of day 0. ``name`` is for errors."""
    missing = {"day", "date", "place", "status", "count"} - set(table.column_names)
    if missing:
        raise CatalogueError(f"{name}: missing columns {', '.join(sorted(missing))}")
    if table.num_rows == 0:
        raise CatalogueError(f"{name} holds no counts")
    places = places or all_values(table["place"])
    statuses = all_values(table["status"])
    unknown = set(statuses) - set(STATUS_NAMES)
    if unknown:
        raise CatalogueError(f"{name}: unknown statuses {', '.join(sorted(unknown))}")
    day = table["day"].to_numpy()
    days = days or int(day.max()) + 1
    first = int(pc.min(table["day"]).as_py())
    start = table.filter(pc.equal(table["day"], first))["date"][0].as_py() - dt.timedelta(days=first)
    place_index = {p: i for i, p in enumerate(places)}
    try:
        p = np.array([place_index[v] for v in table["place"].cast(pa.string()).to_pylist()], dtype=np.int64)
    except KeyError as exc:
        raise CatalogueError(f"{name}: unknown place {exc}") from None
    s = np.array([STATUS_NAMES.index(v) for v in table["status"].cast(pa.string()).to_pylist()], dtype=np.int64)
    if day.min() < 0 or day.max() >= days:
        raise CatalogueError(f"{name}: days outside 0..{days - 1}")
    counts = np.zeros((days, len(places), len(STATUS_NAMES)), dtype=np.int64)
    np.add.at(counts, (day, p, s), table["count"].to_numpy())
    return counts, tuple(places), start


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
