"""Reading a result folder into memory, in one shape for a single run and an ensemble.

- counts: every member's daily counts, (members, days, places, statuses); a run is an
  ensemble of one. Bands of any sum of statuses (people present, staying...) are taken
  across members, so they are bands of the sum, not sums of bands.
- needs and caravan positions: statistics per day (P5, P25, P50, P75, P95, mean), from
  the declared results ``needs`` and ``caravans`` (:func:`caravana.results.reader.read_bands`:
  an ensemble's quantiles, or a run's values as an ensemble of one).
- arrivals: the day each caravan's centre reached its destination, with its range.
- events: detentions, deaths, permits, crossings... per day, place, event and cause, as
  the run wrote them; for an ensemble, the mean over its members (``events.parquet``).

Folders are read by the one reader, :mod:`caravana.results.reader`; this module only puts
what it reads together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.status import STATUS_NAMES
from ..errors import CaravanaError
from ..results.bands import STAT_COLUMNS
from ..results.reader import (
    ENSEMBLE,
    FolderError,
    ResultsFolder,
    dense_counts,
    member_files,
    open_results,
    read_bands,
    read_member_counts,
    read_parquet,
)
from .context import read_context

STATS = STAT_COLUMNS
KM_TOLERANCE = 1e-3


class ResultsError(CaravanaError):
    """A result folder whose files do not fit together."""


@dataclass
class LoadedRun:
    folder: Path
    kind: str  # "run" or "ensemble"
    scenario: str
    seed: int | None
    start: dt.date
    places: tuple[str, ...]
    counts: np.ndarray  # (members, days, places, statuses)
    metadata: dict[str, Any]
    needs: dict[str, np.ndarray] = field(default_factory=dict)  # quantity -> (stats, days, places)
    caravans: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # caravan -> quantity -> (stats, days)
    arrivals: dict[str, dict[str, Any]] = field(default_factory=dict)  # caravan -> destination, p5, p50, p95, reached
    geography: dict[str, Any] | None = None
    observations: list[dict[str, Any]] = field(default_factory=list)
    statuses: tuple[str, ...] = STATUS_NAMES
    events: pa.Table | None = None  # day, place, event, cause, count (ensemble: mean over members)
    weights: np.ndarray | None = None  # per member, summing to 1 (a forecast's posterior); None: alike

    @property
    def members(self) -> int:
        return self.counts.shape[0]

    @property
    def days(self) -> int:
        return self.counts.shape[1]

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)


def load_folder(path: Path, extra_observations: Sequence[dict[str, Any]] = ()) -> LoadedRun:
    folder = open_results(path)
    context = read_context(folder.path, folder.metadata)
    geography = context.get("geography")
    days = int(folder.metadata.get("days") or 0) or None
    if folder.kind == ENSEMBLE:
        members = member_files(folder)
        if not members:
            raise ResultsError(f"{folder.path.name}: no members/member=NNNN/counts.parquet")
        first = read_parquet(members[0])  # every member is written with all the scenario's places
    else:
        first = folder.read_table("counts")
    places = _places([first], geography)
    if geography is not None and places != tuple(p["name"] for p in geography["places"]):
        geography = None  # the scenario's places are not the run's: no map rather than a wrong one
    first_counts, _, start = dense_counts(first, folder.path.name, days, list(places))
    if folder.kind == ENSEMBLE:  # one member at a time into one array
        counts = read_member_counts(members, days, list(places), np.int32)
    else:
        counts = first_counts[None].astype(np.int32)
    run = LoadedRun(
        folder=folder.path,
        kind=folder.kind,
        scenario=str(folder.metadata.get("scenario", folder.path.name)),
        seed=folder.metadata.get("seed", folder.metadata.get("root_seed")),
        start=start,
        places=places,
        counts=counts,
        metadata=folder.metadata,
        geography=geography,
        observations=[*context.get("observations", []), *extra_observations],
        weights=folder.member_weights,
    )
    if run.weights is not None and len(run.weights) != run.members:
        name, given, runs = folder.path.name, len(run.weights), run.members
        raise ResultsError(f"{name}: {given} member weights for {runs} members")
    _declared(run, folder)
    if folder.kind == ENSEMBLE:
        _ensemble_tables(run, folder)
    else:
        _run_tables(run, folder)
    return run


def _places(tables: list[pa.Table], geography: dict | None) -> tuple[str, ...]:
    """The scenario's places in its order when known, else every place in the counts."""
    seen: set[str] = set()
    for t in tables:
        column = t["place"]
        if pa.types.is_dictionary(column.type) and column.num_chunks:
            seen.update(column.chunk(0).dictionary.to_pylist())  # write_results keeps empty places too
        else:
            seen.update(pc.unique(column.cast(pa.string())).to_pylist())
    if geography is not None:
        known = tuple(p["name"] for p in geography["places"])
        if seen <= set(known):
            return known
    return tuple(sorted(seen))


def _declared(run: LoadedRun, folder: ResultsFolder) -> None:
    """Needs per place and the caravans' log, from their declared results, as bands."""
    arrays = folder.arrays()
    try:
        if "needs" in arrays:
            needs = read_bands(folder, "needs", run.days, run.places)
            run.needs = {q: needs.values[..., i] for i, q in enumerate(needs.labels["quantity"])}
        if "caravans" in arrays:
            log = read_bands(folder, "caravans", run.days, run.places)
            run.caravans = {c: {q: log.values[:, :, k, i] for i, q in enumerate(log.labels["quantity"])}
                            for k, c in enumerate(log.labels["caravan"])}
    except (FolderError, KeyError, IndexError, pa.ArrowException) as exc:
        raise ResultsError(f"{folder.path.name}: needs or caravans do not match the counts ({exc})") from None


def _run_tables(run: LoadedRun, folder: ResultsFolder) -> None:
    if folder.has_table("events"):
        events = folder.read_table("events")
        missing = {"day", "place", "event", "cause", "count"} - set(events.column_names)
        if missing:
            raise ResultsError(f"{folder.path.name}: events table has no column {', '.join(sorted(missing))}")
        run.events = events.select(["day", "place", "event", "cause", "count"])
    for name, quantities in run.caravans.items():
        road = (run.geography or {}).get("itineraries", {}).get(name)
        if road is None or "centre_km" not in quantities:
            continue
        reached = np.flatnonzero(np.nan_to_num(quantities["centre_km"][2], nan=-1.0) >= road["km"][-1] - KM_TOLERANCE)
        day = float(reached[0]) if len(reached) else None
        run.arrivals[name] = {"destination": road["places"][-1], "p5": day, "p50": day, "p95": day,
                              "reached": 1.0 if day is not None else 0.0}


def _ensemble_tables(run: LoadedRun, folder: ResultsFolder) -> None:
    if folder.has_table("events"):  # people per event: the members' mean, which adds up like counts
        events = folder.read_table("events")
        run.events = pa.table({"day": events["day"], "place": events["place"].cast(pa.string()),
                               "event": events["event"], "cause": events["cause"], "count": events["mean"]})
    if not folder.has_table("outcome_quantiles"):
        return
    outcomes = folder.read_table("outcome_quantiles").to_pylist()
    for name in run.caravans:
        road = (run.geography or {}).get("itineraries", {}).get(name)
        if road is None:
            continue
        destination = road["places"][-1]
        for row in outcomes:
            if row["outcome"] == "arrival_day" and row["caravan"] == name and row["place"] == destination:
                run.arrivals[name] = {"destination": destination, "reached": row["reached"],
                                      **{s: row[s] for s in ("p5", "p50", "p95")}}
